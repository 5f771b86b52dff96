import { isPropertyFile } from './propertyLayers.js';

export type ConfigFileKind = 'system-config' | 'default-permissions' | 'init-rc' | 'properties';

/** Partitions whose `etc/permissions` and `etc/sysconfig` SystemConfig reads (oem and product_services on some versions). */
const PERMISSION_PARTITIONS = '(?:system|vendor|odm|oem|product|system_ext|product_services)';

/**
 * `/<partition>/etc/{permissions,sysconfig}/*.xml`: SystemConfig lists these folders without
 * descending, except the `sku_<sku>` subfolders of vendor and odm read for the device's SKU; APEX
 * modules may add shared libraries in their `etc/permissions`.
 */
const SYSTEM_CONFIG = [
  new RegExp(`^/${PERMISSION_PARTITIONS}/etc/(?:permissions|sysconfig)/[^/]+\\.xml$`),
  /^\/(?:vendor|odm)\/etc\/(?:permissions|sysconfig)\/sku_[^/]+\/[^/]+\.xml$/,
  /^\/apex\/[^/]+\/etc\/permissions\/[^/]+\.xml$/,
];

/** `/<partition>/etc/default-permissions/*.xml` (DefaultPermissionGrantPolicy; oem only on embedded devices). */
const DEFAULT_PERMISSIONS = /^\/(?:system|vendor|odm|oem|product|system_ext|product_services)\/etc\/default-permissions\/[^/]+\.xml$/;

/**
 * init scripts: `/init*.rc` at the root (ramdisk, Android 9 and earlier, or system-as-root),
 * `/<partition>/etc/init/**` (Android 8+, including `hw/init.rc` and the `hw/` files init.rc imports),
 * and APEX `etc/*.rc`. `ueventd*.rc` uses another grammar and is left out.
 */
const INIT_RC = /^\/init[^/]*\.rc$|^\/(?:system|system_ext|vendor|odm|product|product_services)\/etc\/init\/(?:[^/]+\/)*[^/]+\.rc$|^\/apex\/[^/]+\/etc\/[^/]+\.rc$/;

/** Which parser reads the file at `devicePath`, or null when it is not a platform configuration file. */
export function configFileKind(devicePath: string): ConfigFileKind | null {
  if (isPropertyFile(devicePath)) return 'properties';
  if (SYSTEM_CONFIG.some((pattern) => pattern.test(devicePath))) return 'system-config';
  if (DEFAULT_PERMISSIONS.test(devicePath)) return 'default-permissions';
  if (INIT_RC.test(devicePath) && !/\/ueventd[^/]*\.rc$/.test(devicePath)) return 'init-rc';
  return null;
}
