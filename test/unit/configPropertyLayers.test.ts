// Boot property files layered as system/core/init property_service.cpp loads them. The orders and
// rules asserted here are transcribed from that source (Android 9, 10, 11 and current AOSP), not
// from this code's output.
import { describe, expect, it } from 'vitest';
import { propsFromText } from '../support/oracles.js';
import {
  isPropertyFile,
  layerProperties,
  layerPropertyFiles,
  LEGACY_PROPERTY_FILE_ORDER,
  planPropertyLoad,
  PROPERTY_FILE_ORDER,
  propertyLoadModelFor,
} from '../../electron/engine/config/propertyLayers.js';

const SYSTEM = { path: '/system/build.prop', text: '# begin build properties\nro.build.version.sdk=33\nro.product.locale=en-US\npersist.sys.usb.config=none\nro.config.ringtone=Ring_Synth_04.ogg\nro.config.ringtone=Ring_Classic_02.ogg\n' };
const VENDOR = { path: '/vendor/build.prop', text: 'ro.config.ringtone=Vendor_Ring.ogg\nro.vendor.only=1\npersist.sys.usb.config=mtp\n' };
const PRODUCT = { path: '/product/etc/build.prop', text: 'ro.product.locale=de-DE\n' };

/** Whether `subsequence` appears in `list` in the same relative order. */
function inOrder(list: readonly string[], subsequence: readonly string[]): boolean {
  let from = 0;
  for (const item of subsequence) {
    const at = list.indexOf(item, from);
    if (at === -1) return false;
    from = at + 1;
  }
  return true;
}

describe('property file order', () => {
  it('lists Android 10+ files in the order PropertyLoadBootDefaults reads them', () => {
    // Android 10/11: prop.default chain, then system, system_ext, vendor, odm, product.
    // Android 12+: second-stage ramdisk build.prop, system, system_ext, vendor, vendor_dlkm, odm_dlkm, odm, product.
    expect(
      inOrder(PROPERTY_FILE_ORDER, [
        '/system/etc/prop.default',
        '/prop.default',
        '/default.prop',
        '/system/build.prop',
        '/system_ext/etc/build.prop',
        '/system_ext/build.prop',
        // Android 13+: load_properties_from_file("/system_dlkm/etc/build.prop") right after system_ext.
        '/system_dlkm/etc/build.prop',
        '/vendor/default.prop',
        '/vendor/build.prop',
        '/vendor_dlkm/etc/build.prop',
        '/odm_dlkm/etc/build.prop',
        '/odm/etc/build.prop',
        '/odm/build.prop',
        '/product/etc/build.prop',
        '/product/build.prop',
      ]),
    ).toBe(true);
    expect(inOrder(PROPERTY_FILE_ORDER, ['/system/etc/ramdisk/build.prop', '/system/build.prop'])).toBe(true);
    expect(inOrder(PROPERTY_FILE_ORDER, ['/product/build.prop', '/product_services/build.prop', '/factory/factory.prop'])).toBe(true);
  });

  it('lists Android 9 and earlier files in property_load_boot_defaults then load_system_props order', () => {
    expect(
      LEGACY_PROPERTY_FILE_ORDER.filter((path) => path !== '/system/default.prop' && path !== '/system/etc/prop.default' && path !== '/prop.default'),
    ).toEqual(['/default.prop', '/product/build.prop', '/odm/default.prop', '/vendor/default.prop', '/system/build.prop', '/odm/build.prop', '/vendor/build.prop', '/factory/factory.prop']);
    // Android 4.x: /default.prop (ramdisk), then /system/build.prop and /system/default.prop.
    expect(inOrder(LEGACY_PROPERTY_FILE_ORDER, ['/default.prop', '/system/build.prop', '/system/default.prop'])).toBe(true);
  });

  it('recognises property files of any version and nothing else', () => {
    for (const path of ['/system/build.prop', '/vendor/build.prop', '/default.prop', '/system/default.prop', '/odm/etc/build.prop', '/factory/factory.prop']) {
      expect(isPropertyFile(path), path).toBe(true);
    }
    for (const path of ['/system/etc/prop.default.bak', '/vendor/etc/build.prop', '/system/build.prop/x', 'system/build.prop', '/data/local.prop']) {
      expect(isPropertyFile(path), path).toBe(false);
    }
  });
});

describe('planPropertyLoad', () => {
  it('reads /<partition>/etc/build.prop instead of the legacy files when it exists (Android 11+)', () => {
    expect(planPropertyLoad(['/odm/build.prop', '/odm/etc/build.prop', '/product/build.prop', '/product/default.prop'], 'modern')).toEqual({
      loaded: [{ path: '/odm/etc/build.prop' }, { path: '/product/default.prop' }, { path: '/product/build.prop' }],
      skipped: [{ path: '/odm/build.prop', reason: 'not read because /odm/etc/build.prop exists' }],
    });
  });

  it('reads only the first of /system/etc/prop.default, /prop.default, /default.prop', () => {
    const plan = planPropertyLoad(['/default.prop', '/system/etc/prop.default', '/system/build.prop'], 'modern');
    expect(plan.loaded.map((file) => file.path)).toEqual(['/system/etc/prop.default', '/system/build.prop']);
    expect(plan.skipped.map((file) => file.path)).toEqual(['/default.prop']);
  });

  it('takes only ro.* names from /factory/factory.prop and names files no version reads', () => {
    const plan = planPropertyLoad(['/factory/factory.prop', '/vendor/etc/extra.prop'], 'modern');
    expect(plan.loaded).toEqual([{ path: '/factory/factory.prop', namePrefix: 'ro.' }]);
    expect(plan.skipped).toEqual([{ path: '/vendor/etc/extra.prop', reason: 'not a boot property file of Android 10 and later' }]);
  });
});

describe('layerProperties (Android 10+)', () => {
  it('lets the vendor value win over the system one and keeps every definition in load order', () => {
    const layered = layerProperties([VENDOR, PRODUCT, SYSTEM], 'modern');
    const ringtone = layered.find((property) => property.name === 'ro.config.ringtone');
    expect(ringtone).toEqual({
      name: 'ro.config.ringtone',
      value: 'Vendor_Ring.ogg',
      layer: '/vendor/build.prop',
      layers: [
        { layer: '/system/build.prop', value: 'Ring_Synth_04.ogg', line: 5 },
        { layer: '/system/build.prop', value: 'Ring_Classic_02.ogg', line: 6 },
        { layer: '/vendor/build.prop', value: 'Vendor_Ring.ogg', line: 1 },
      ],
    });
    expect(layered.find((property) => property.name === 'ro.product.locale')).toMatchObject({ value: 'de-DE', layer: '/product/etc/build.prop' });
    expect(layered.find((property) => property.name === 'persist.sys.usb.config')).toMatchObject({ value: 'mtp', layer: '/vendor/build.prop' });
  });

  it('takes the last definition within one file, as a plain name=value reading does', () => {
    const layered = layerProperties([SYSTEM], 'modern');
    const expected = propsFromText(SYSTEM.text);
    expect(Object.fromEntries(layered.map((property) => [property.name, property.value]))).toEqual(expected);
  });

  it('sorts by name in code-unit order', () => {
    const layered = layerProperties([{ path: '/system/build.prop', text: 'ro.b=1\nZ.upper=2\nro.a=3\n' }], 'modern');
    expect(layered.map((property) => property.name)).toEqual(['Z.upper', 'ro.a', 'ro.b']);
  });

  it('drops names init refuses: illegal names and, since Android 10, ctl.* and sys.powerctl', () => {
    const text = 'good.name=1\nbad name=2\n.leading=3\ntrailing.=4\ndouble..dot=5\nctl.start=adbd\nsys.powerctl=reboot\nok-name@x:y_z=6\n';
    expect(layerProperties([{ path: '/system/build.prop', text }], 'modern').map((property) => property.name)).toEqual(['good.name', 'ok-name@x:y_z']);
  });

  it('takes only ro.* names from /factory/factory.prop', () => {
    const layered = layerProperties([{ path: '/factory/factory.prop', text: 'ro.factory.x=1\npersist.factory.y=2\n' }], 'modern');
    expect(layered.map((property) => property.name)).toEqual(['ro.factory.x']);
  });

  it('ignores files init does not read', () => {
    expect(layerProperties([{ path: '/vendor/etc/extra.prop', text: 'ro.extra=1\n' }], 'modern')).toEqual([]);
  });
});

describe('layerProperties (Android 9 and earlier)', () => {
  const systemKitKat = { path: '/system/build.prop', text: 'ro.build.version.sdk=19\nro.config.ringtone=Ring_A.ogg\nro.config.ringtone=Ring_B.ogg\npersist.sys.dalvik=1\npersist.sys.dalvik=2\n' };
  const ramdisk = { path: '/default.prop', text: 'ro.secure=1\nro.debuggable=0\npersist.sys.usb.config=mass_storage\n' };
  const systemDefault = { path: '/system/default.prop', text: 'ro.debuggable=1\npersist.sys.usb.config=mtp\n' };

  it('chooses the model from the SDK level /system/build.prop declares', () => {
    expect(propertyLoadModelFor([systemKitKat])).toBe('legacy');
    expect(propertyLoadModelFor([{ path: '/system/build.prop', text: 'ro.build.version.sdk=28\n' }])).toBe('legacy');
    expect(propertyLoadModelFor([{ path: '/system/build.prop', text: 'ro.build.version.sdk=29\n' }])).toBe('modern');
    expect(propertyLoadModelFor([{ path: '/system/build.prop', text: 'ro.system.build.version.sdk=34\n' }])).toBe('modern');
    expect(propertyLoadModelFor([{ path: '/vendor/build.prop', text: 'ro.build.version.sdk=19\n' }])).toBe('modern');
  });

  it('keeps the first value of a ro. property, even within one file, and the last of any other', () => {
    const layered = layerProperties([systemKitKat]);
    expect(layered.find((property) => property.name === 'ro.config.ringtone')).toMatchObject({ value: 'Ring_A.ogg', layer: '/system/build.prop' });
    expect(layered.find((property) => property.name === 'persist.sys.dalvik')).toMatchObject({ value: '2' });
    // The same files under Android 10+ rules: the last definition wins.
    expect(layerProperties([systemKitKat], 'modern').find((property) => property.name === 'ro.config.ringtone')?.value).toBe('Ring_B.ogg');
  });

  it('lets /default.prop fix ro. values before /system/build.prop and /system/default.prop (Android 4.x)', () => {
    const layered = layerProperties([systemDefault, systemKitKat, ramdisk]);
    expect(layered.find((property) => property.name === 'ro.debuggable')).toEqual({
      name: 'ro.debuggable',
      value: '0',
      layer: '/default.prop',
      layers: [
        { layer: '/default.prop', value: '0', line: 2 },
        { layer: '/system/default.prop', value: '1', line: 1 },
      ],
    });
    expect(layered.find((property) => property.name === 'persist.sys.usb.config')).toMatchObject({ value: 'mtp', layer: '/system/default.prop' });
  });

  it('loads /product/build.prop before /system/build.prop in Android 9, so its ro. values win there', () => {
    const system = { path: '/system/build.prop', text: 'ro.build.version.sdk=28\nro.x=system\nnot.ro=system\n' };
    const product = { path: '/product/build.prop', text: 'ro.x=product\nnot.ro=product\n' };
    const layered = layerProperties([system, product]);
    expect(layered.find((property) => property.name === 'ro.x')?.value).toBe('product');
    expect(layered.find((property) => property.name === 'not.ro')?.value).toBe('system');
  });
});

// `import FILE [FILTER]` as LoadProperties (system/core/init/property_service.cpp) handles it:
// the imported file is loaded by load_properties_from_file into the same map at the point of the
// import line; the filter ("ro.foo.*" prefix or exact name) applies to its names and, inside a
// filtered file, import lines are not followed (`flen == 0`); FILE goes through ExpandProps first.
describe('imports (OPPO-like my_* partitions over the dlkm partitions)', () => {
  const system = { path: '/system/build.prop', text: 'ro.build.version.sdk=34\nro.product.model=system-model\nro.oplus.region=CN\npersist.sys.stat=1\n' };
  const vendorDlkm = { path: '/vendor_dlkm/etc/build.prop', text: 'ro.vendor_dlkm.build.id=UP1A\nro.product.model=dlkm-model\n' };
  const odmDlkm = { path: '/odm_dlkm/etc/build.prop', text: 'ro.odm_dlkm.build.id=UP1A\nro.oplus.region=odm_dlkm\n' };
  // /odm/etc/build.prop loads after both dlkm files; its import sits between two of its own lines.
  const odm = { path: '/odm/etc/build.prop', text: 'ro.oplus.region=odm-before\nimport /my_product/build.prop\nro.product.model=odm-after\nimport /my_stock/build.prop persist.sys.*\n' };
  const myProduct = { path: '/my_product/build.prop', text: 'ro.oplus.region=EU\nro.product.model=my_product-model\npersist.sys.stat=0\nimport /my_region/build.prop\n' };
  const myRegion = { path: '/my_region/build.prop', text: 'ro.oplus.region.sub=EEA\n' };
  const myStock = { path: '/my_stock/build.prop', text: 'persist.sys.cloud=1\nro.oplus.stock=1\nimport /my_heytap/build.prop\n' };
  const product = { path: '/product/etc/build.prop', text: 'ro.product.locale=en-GB\n' };
  const all = [system, vendorDlkm, odmDlkm, odm, myProduct, myRegion, myStock, product];

  it('places imported definitions at the import line, each with its own file and line', () => {
    const layering = layerPropertyFiles(all, 'modern');
    const get = (name: string) => layering.properties.find((property) => property.name === name);
    // Order: system < vendor_dlkm < odm_dlkm < odm (line 1) < my_product (imported at odm line 2) < odm line 3.
    expect(get('ro.oplus.region')?.layers).toEqual([
      { layer: '/system/build.prop', value: 'CN', line: 3 },
      { layer: '/odm_dlkm/etc/build.prop', value: 'odm_dlkm', line: 2 },
      { layer: '/odm/etc/build.prop', value: 'odm-before', line: 1 },
      { layer: '/my_product/build.prop', value: 'EU', line: 1, importedBy: { layer: '/odm/etc/build.prop', line: 2 } },
    ]);
    // Android 10+: the later definition wins, so my_product's value stands over odm's line 1 …
    expect(get('ro.oplus.region')).toMatchObject({ value: 'EU', layer: '/my_product/build.prop' });
    // … and odm's line 3, after the import, wins over my_product's.
    expect(get('ro.product.model')?.layers.map((layer) => layer.layer)).toEqual(['/system/build.prop', '/vendor_dlkm/etc/build.prop', '/my_product/build.prop', '/odm/etc/build.prop']);
    expect(get('ro.product.model')).toMatchObject({ value: 'odm-after', layer: '/odm/etc/build.prop' });
    // An import inside an imported file is followed too (no filter on the way).
    expect(get('ro.oplus.region.sub')?.layers).toEqual([{ layer: '/my_region/build.prop', value: 'EEA', line: 1, importedBy: { layer: '/my_product/build.prop', line: 4 } }]);
    // The filter `persist.sys.*` keeps persist.sys.cloud and drops ro.oplus.stock; inside the filtered
    // file the import of /my_heytap is not an import at all, so nothing reports it missing.
    expect(get('persist.sys.cloud')).toMatchObject({ value: '1', layer: '/my_stock/build.prop' });
    expect(get('ro.oplus.stock')).toBeUndefined();
    expect(get('persist.sys.stat')).toMatchObject({ value: '0', layer: '/my_product/build.prop' });
    expect(get('ro.vendor_dlkm.build.id')?.value).toBe('UP1A');
    expect(layering.problems).toEqual([]);
    expect(layering.missing).toEqual([]);
  });

  it('under Android 9 rules the first ro. value still wins, imported or not', () => {
    const legacy = layerPropertyFiles([{ path: '/system/build.prop', text: 'ro.build.version.sdk=28\nro.x=system\nimport /vendor/etc/x.prop\nro.y=after\n' }, { path: '/vendor/etc/x.prop', text: 'ro.x=imported\nro.y=imported\n' }]);
    expect(legacy.properties.find((property) => property.name === 'ro.x')?.value).toBe('system');
    expect(legacy.properties.find((property) => property.name === 'ro.y')?.value).toBe('imported');
  });

  it('reports imports it cannot follow: missing files, device-dependent names, cycles', () => {
    const odmWithExtras = {
      path: '/odm/etc/build.prop',
      text: 'import /my_bigball/build.prop\nimport /odm/etc/${ro.boot.prjname}/build.prop\nimport /odm/etc/${ro.product.name:-generic}.prop\nimport /odm/etc/build.prop\nimport /odm/etc/$${x}.prop\n',
    };
    const layering = layerPropertyFiles([system, odmWithExtras, { path: '/odm/etc/generic.prop', text: 'ro.generic=1\n' }], 'modern');
    expect(layering.missing).toEqual(['/my_bigball/build.prop', '/odm/etc/${x}.prop']);
    const messages = layering.problems.map((problem) => `${problem.path} ${problem.message}`);
    expect(messages).toEqual([
      '/odm/etc/build.prop line 1: import /my_bigball/build.prop not followed: /my_bigball/build.prop is not in the package (init skips a missing file)',
      '/odm/etc/build.prop line 2: import /odm/etc/${ro.boot.prjname}/build.prop not followed: the file name depends on ro.boot.prjname, which the bootloader sets on the device',
      '/odm/etc/build.prop line 4: import /odm/etc/build.prop not followed: /odm/etc/build.prop is already being loaded (init would load it again and again until it crashes)',
      '/odm/etc/build.prop line 5: import /odm/etc/$${x}.prop not followed: /odm/etc/${x}.prop is not in the package (init skips a missing file)',
    ]);
    // ${name:-default}: under Android 10+ nothing from the files is set yet, so the default is used.
    expect(layering.properties.find((property) => property.name === 'ro.generic')?.layer).toBe('/odm/etc/generic.prop');
  });
});
