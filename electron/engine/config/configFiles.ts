import { isPropertyFile } from './propertyLayers.js';

export type ConfigFileKind = 'system-config' | 'default-permissions' | 'init-rc' | 'properties';

/**
 * Any mounted partition: the ones AOSP reads (system, vendor, odm, oem, product, system_ext,
 * product_services) and the ones vendors add and read the same folders of (mi_ext, my_product,
 * my_stock…, optics, prism). `/apex/<name>` has rules of its own.
 */
const PARTITION = '(?!apex/)[A-Za-z0-9_][A-Za-z0-9_.-]*';

/**
 * `/<partition>/etc/{permissions,sysconfig}/*.xml`: SystemConfig lists these folders without
 * descending, except the `sku_<sku>` subfolders of vendor and odm read for the device's SKU; APEX
 * modules may add shared libraries in their `etc/permissions`.
 */
const SYSTEM_CONFIG = [
  new RegExp(`^/${PARTITION}/etc/(?:permissions|sysconfig)/[^/]+\\.xml$`),
  /^\/(?:vendor|odm)\/etc\/(?:permissions|sysconfig)\/sku_[^/]+\/[^/]+\.xml$/,
  /^\/apex\/[^/]+\/etc\/permissions\/[^/]+\.xml$/,
];

/** `/<partition>/etc/default-permissions/*.xml` (DefaultPermissionGrantPolicy). */
const DEFAULT_PERMISSIONS = new RegExp(`^/${PARTITION}/etc/default-permissions/[^/]+\\.xml$`);

/**
 * init scripts: `/init*.rc` at the root (ramdisk, Android 9 and earlier, or system-as-root),
 * `/<partition>/etc/init/**` (Android 8+, including `hw/init.rc` and the `hw/` files init.rc imports;
 * AOSP reads system, system_ext, vendor, odm and product, vendors patch init to read the partitions
 * they add), and APEX `etc/*.rc`. `ueventd*.rc` uses another grammar and is left out.
 */
const INIT_RC = new RegExp(`^/init[^/]*\\.rc$|^/${PARTITION}/etc/init/(?:[^/]+/)*[^/]+\\.rc$|^/apex/[^/]+/etc/[^/]+\\.rc$`);

/** A partition's own property file, loaded at boot or imported by one that is (`import /my_product/build.prop`). */
const PARTITION_PROPERTIES = new RegExp(`^/${PARTITION}/(?:etc/)?build\\.prop$`);

/** Which parser reads the file at `devicePath`, or null when it is not a platform configuration file. */
export function configFileKind(devicePath: string): ConfigFileKind | null {
  if (isPropertyFile(devicePath) || PARTITION_PROPERTIES.test(devicePath)) return 'properties';
  if (SYSTEM_CONFIG.some((pattern) => pattern.test(devicePath))) return 'system-config';
  if (DEFAULT_PERMISSIONS.test(devicePath)) return 'default-permissions';
  if (INIT_RC.test(devicePath) && !/\/ueventd[^/]*\.rc$/.test(devicePath)) return 'init-rc';
  return null;
}
