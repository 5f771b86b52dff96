// Which device paths the inventory reads as platform configuration files, per the folders the AOSP
// readers list: SystemConfig (etc/permissions, etc/sysconfig), DefaultPermissionGrantPolicy
// (etc/default-permissions), init (init.rc and etc/init), property_service (boot property files).
import { describe, expect, it } from 'vitest';
import { configFileKind } from '../../electron/engine/config/configFiles.js';

const EXPECTED: [string, ReturnType<typeof configFileKind>][] = [
  ['/system/etc/permissions/platform.xml', 'system-config'],
  ['/system/etc/permissions/privapp-permissions-platform.xml', 'system-config'],
  ['/vendor/etc/sysconfig/vendor.xml', 'system-config'],
  ['/product/etc/sysconfig/google.xml', 'system-config'],
  ['/system_ext/etc/permissions/com.android.systemui.xml', 'system-config'],
  ['/odm/etc/permissions/sku_pro/features.xml', 'system-config'],
  ['/oem/etc/permissions/oem.xml', 'system-config'],
  ['/apex/com.android.extservices/etc/permissions/lib.xml', 'system-config'],
  ['/system/etc/permissions/nested/deeper.xml', null],
  ['/system/etc/permissions/readme.txt', null],
  ['/product/etc/default-permissions/default-permissions-google.xml', 'default-permissions'],
  ['/system/etc/default-permissions/default-permissions.xml', 'default-permissions'],
  ['/vendor/etc/default-permissions/sub/x.xml', null],
  ['/init.rc', 'init-rc'],
  ['/init.usb.rc', 'init-rc'],
  ['/init.qcom.rc', 'init-rc'],
  ['/ueventd.rc', null],
  ['/system/etc/init/hw/init.rc', 'init-rc'],
  ['/system/etc/init/bootanim.rc', 'init-rc'],
  ['/vendor/etc/init/hw/init.target.rc', 'init-rc'],
  ['/vendor/etc/init/android.hardware.wifi@1.0-service.rc', 'init-rc'],
  ['/vendor/etc/ueventd.rc', null],
  ['/vendor/etc/init/ueventd.rc', null],
  ['/system/etc/init/readme.txt', null],
  ['/system/build.prop', 'properties'],
  ['/vendor/build.prop', 'properties'],
  ['/default.prop', 'properties'],
  ['/product/etc/build.prop', 'properties'],
  // Partitions vendors add are read like AOSP's own (OPPO my_*, Xiaomi mi_ext, Samsung optics/prism, dlkm).
  ['/my_product/etc/permissions/oplus.feature.xml', 'system-config'],
  ['/my_stock/etc/sysconfig/oplus-power.xml', 'system-config'],
  ['/mi_ext/etc/default-permissions/mi.xml', 'default-permissions'],
  ['/my_product/etc/init/oplus.rc', 'init-rc'],
  ['/vendor_dlkm/etc/init/modules.rc', 'init-rc'],
  ['/my_product/build.prop', 'properties'],
  ['/my_manifest/build.prop', 'properties'],
  ['/vendor_dlkm/etc/build.prop', 'properties'],
  ['/system_dlkm/etc/build.prop', 'properties'],
  ['/prism/etc/build.prop', 'properties'],
  ['/my_product/etc/extra.prop', null],
  ['/apex/etc/permissions/x.xml', null],
  ['/system/app/Mms/Mms.apk', null],
  ['/system/etc/hosts', null],
];

describe('configFileKind', () => {
  for (const [path, kind] of EXPECTED) {
    it(`${path} → ${String(kind)}`, () => {
      expect(configFileKind(path)).toBe(kind);
    });
  }
});
