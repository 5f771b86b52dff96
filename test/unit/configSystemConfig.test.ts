// SystemConfig files (etc/permissions, etc/sysconfig) read as frameworks/base SystemConfig.java reads
// them. Expected values are written from the samples' text; line numbers are found in the raw text.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../electron/engine/errors.js';
import { parseSystemConfigXml } from '../../electron/engine/config/systemConfig.js';

function thrown(action: () => unknown): InputError {
  try {
    action();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

/** 1-based line of the first line containing `needle` (the `occurrence`-th one, from 0), found in the raw text. */
function lineOf(text: string, needle: string, occurrence = 0): number {
  let at = -1;
  for (let seen = 0; seen <= occurrence; seen += 1) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`sample has no ${needle}`);
  }
  return text.slice(0, at).split('\n').length;
}

const PRIVAPP_FILE = '/system/etc/permissions/privapp-permissions-platform.xml';
const PRIVAPP = `<?xml version="1.0" encoding="utf-8"?>
<!--
  ~ Copyright (C) 2017 The Android Open Source Project
  -->

<!--
This XML file declares which signature|privileged permissions should be granted to privileged
applications that come with the platform
-->
<permissions>
    <privapp-permissions package="com.android.backupconfirm">
        <permission name="android.permission.BACKUP"/>
        <permission name="android.permission.CRYPT_KEEPER"/>
    </privapp-permissions>

    <privapp-permissions package="com.android.cellbroadcastreceiver">
        <permission name="android.permission.INTERACT_ACROSS_USERS"/>
        <!-- <permission name="android.permission.COMMENTED_OUT"/> -->
        <deny-permission name="android.permission.READ_PRIVILEGED_PHONE_STATE"/>
        <permission name=""/>
        <permission/>
        <unknown name="android.permission.IGNORED"/>
    </privapp-permissions>
</permissions>
`;

const PLATFORM_FILE = '/system/etc/permissions/platform.xml';
const PLATFORM = `<?xml version="1.0" encoding="utf-8"?>
<permissions>
    <permission name="android.permission.BLUETOOTH_ADMIN" >
        <group gid="net_bt_admin" />
    </permission>
    <permission name="android.permission.INTERNET" >
        <group gid="inet" />
    </permission>
    <assign-permission name="android.permission.MODIFY_AUDIO_SETTINGS" uid="media" />
    <assign-permission name="android.permission.WAKE_LOCK" />
    <split-permission name="android.permission.ACCESS_FINE_LOCATION" targetSdk="29">
        <new-permission name="android.permission.ACCESS_BACKGROUND_LOCATION" />
    </split-permission>
    <library name="android.test.runner" file="/system/framework/android.test.runner.jar" />
    <library name="no.file.given" />
    <allow-in-power-save-except-idle package="com.android.providers.downloads" />
    <allow-in-power-save package="com.android.cellbroadcastreceiver" />
    <allow-in-data-usage-save package="com.android.providers.downloads" />
    <allow-unthrottled-location package="com.android.location.fused" />
    <allow-ignore-location-settings package="com.android.phone" attributionTag="*" />
    <allow-implicit-broadcast action="android.intent.action.SIM_STATE_CHANGED" />
    <app-link package="com.android.example.links" />
    <system-user-whitelisted-app package="com.android.settings" />
    <system-user-blacklisted-app package="com.android.wallpaper.livepicker" />
    <backup-transport-whitelisted-service service="com.android.localtransport/.LocalTransportService" />
    <hidden-api-whitelisted-app package="com.android.nfc" />
    <allow-in-power-save package="" />
    <allow-in-power-save />
</permissions>
`;

describe('parseSystemConfigXml', () => {
  it('turns privapp-permissions into grants and denials with the line of each permission', () => {
    const { grants, entries } = parseSystemConfigXml(PRIVAPP, PRIVAPP_FILE);
    expect(entries).toEqual([]);
    expect(grants).toEqual([
      { kind: 'privapp-permission', package: 'com.android.backupconfirm', permission: 'android.permission.BACKUP', file: PRIVAPP_FILE, line: lineOf(PRIVAPP, 'permission.BACKUP') },
      { kind: 'privapp-permission', package: 'com.android.backupconfirm', permission: 'android.permission.CRYPT_KEEPER', file: PRIVAPP_FILE, line: lineOf(PRIVAPP, 'CRYPT_KEEPER') },
      { kind: 'privapp-permission', package: 'com.android.cellbroadcastreceiver', permission: 'android.permission.INTERACT_ACROSS_USERS', file: PRIVAPP_FILE, line: lineOf(PRIVAPP, 'INTERACT_ACROSS_USERS') },
      { kind: 'privapp-deny', package: 'com.android.cellbroadcastreceiver', permission: 'android.permission.READ_PRIVILEGED_PHONE_STATE', file: PRIVAPP_FILE, line: lineOf(PRIVAPP, 'READ_PRIVILEGED_PHONE_STATE') },
    ]);
  });

  it('reads platform.xml-style elements as entries, skipping those without the attribute Android requires', () => {
    const { grants, entries } = parseSystemConfigXml(PLATFORM, PLATFORM_FILE);
    expect(grants).toEqual([]);
    const at = (needle: string, occurrence = 0) => ({ file: PLATFORM_FILE, line: lineOf(PLATFORM, needle, occurrence) });
    expect(entries).toEqual([
      { kind: 'permission', name: 'android.permission.BLUETOOTH_ADMIN', ...at('BLUETOOTH_ADMIN') },
      { kind: 'permission', name: 'android.permission.INTERNET', ...at('permission.INTERNET') },
      { kind: 'assign-permission', name: 'android.permission.MODIFY_AUDIO_SETTINGS', ...at('MODIFY_AUDIO_SETTINGS') },
      { kind: 'split-permission', name: 'android.permission.ACCESS_FINE_LOCATION', ...at('<split-permission') },
      { kind: 'library', name: 'android.test.runner', ...at('android.test.runner"') },
      { kind: 'allow-in-power-save-except-idle', package: 'com.android.providers.downloads', ...at('<allow-in-power-save-except-idle') },
      { kind: 'allow-in-power-save', package: 'com.android.cellbroadcastreceiver', ...at('<allow-in-power-save package="com') },
      { kind: 'allow-in-data-usage-save', package: 'com.android.providers.downloads', ...at('<allow-in-data-usage-save') },
      { kind: 'allow-unthrottled-location', package: 'com.android.location.fused', ...at('<allow-unthrottled-location') },
      { kind: 'allow-ignore-location-settings', package: 'com.android.phone', ...at('<allow-ignore-location-settings') },
      { kind: 'allow-implicit-broadcast', name: 'android.intent.action.SIM_STATE_CHANGED', ...at('SIM_STATE_CHANGED') },
      { kind: 'app-link', package: 'com.android.example.links', ...at('<app-link') },
      { kind: 'system-user-whitelisted-app', package: 'com.android.settings', ...at('<system-user-whitelisted-app') },
      { kind: 'system-user-blacklisted-app', package: 'com.android.wallpaper.livepicker', ...at('<system-user-blacklisted-app') },
      { kind: 'backup-transport-whitelisted-service', name: 'com.android.localtransport/.LocalTransportService', ...at('LocalTransportService') },
      { kind: 'hidden-api-whitelisted-app', package: 'com.android.nfc', ...at('<hidden-api-whitelisted-app') },
      // Android only checks `package` for null, so an empty one is taken as written.
      { kind: 'allow-in-power-save', package: '', ...at('package=""') },
    ]);
  });

  it('reads the sysconfig kinds of recent Android versions, with their second identifier', () => {
    const file = '/product/etc/sysconfig/google.xml';
    const xml = `<config>
  <allow-adas-location-settings package="com.example.adas" attributionTag="nav" />
  <bg-restriction-exemption package="com.example.bg" />
  <default-enabled-vr-app package="com.google.vr.vrcore" class="com.google.vr.vrcore.VrCoreListenerService" />
  <default-enabled-vr-app package="com.missing.class" />
  <disabled-until-used-preinstalled-carrier-app package="com.example.carrier" />
  <disabled-until-used-preinstalled-carrier-associated-app package="com.example.assoc" carrierAppPackage="com.example.carrier" />
  <allow-association target="com.example.target" allowed="com.example.caller" />
  <named-actor namespace="exampleactors" name="overlay" package="com.example.actor" />
  <whitelisted-staged-installer package="com.android.vending" />
  <rollback-whitelisted-app package="com.example.rollback" />
  <bugreport-whitelisted package="com.example.bugreport" />
  <app-data-isolation-whitelisted-app package="com.example.isolation" />
  <overlay-config-signature package="com.example.signature" />
  <allowed-vendor-apex package="com.example.apex" installerPackage="com.example.installer" />
  <install-constraints-allowed package="com.example.constraints" />
  <feature name="android.software.device_admin" />
  <unavailable-feature name="android.hardware.camera.ar" />
  <apex-library name="com.example.lib" file="/apex/com.example/javalib/lib.jar" />
  <group gid="sdcard_r" />
  <component-override package="com.example.components">
    <component class=".Disabled" enabled="false" />
  </component-override>
  <install-in-user-type package="com.example.users">
    <install-in user-type="FULL" />
  </install-in-user-type>
  <oem-permissions package="com.example.oem">
    <permission name="com.example.permission.OEM" />
  </oem-permissions>
</config>`;
    const { grants, entries } = parseSystemConfigXml(xml, file);
    expect(grants).toEqual([]);
    expect(entries.map(({ kind, package: packageName, name }) => [kind, packageName, name])).toEqual([
      ['allow-adas-location-settings', 'com.example.adas', undefined],
      ['bg-restriction-exemption', 'com.example.bg', undefined],
      ['default-enabled-vr-app', 'com.google.vr.vrcore', 'com.google.vr.vrcore.VrCoreListenerService'],
      ['disabled-until-used-preinstalled-carrier-app', 'com.example.carrier', undefined],
      ['disabled-until-used-preinstalled-carrier-associated-app', 'com.example.assoc', 'com.example.carrier'],
      ['allow-association', 'com.example.target', 'com.example.caller'],
      ['named-actor', 'com.example.actor', 'overlay'],
      ['whitelisted-staged-installer', 'com.android.vending', undefined],
      ['rollback-whitelisted-app', 'com.example.rollback', undefined],
      ['bugreport-whitelisted', 'com.example.bugreport', undefined],
      ['app-data-isolation-whitelisted-app', 'com.example.isolation', undefined],
      ['overlay-config-signature', 'com.example.signature', undefined],
      ['allowed-vendor-apex', 'com.example.apex', 'com.example.installer'],
      ['install-constraints-allowed', 'com.example.constraints', undefined],
      ['feature', undefined, 'android.software.device_admin'],
      ['unavailable-feature', undefined, 'android.hardware.camera.ar'],
      ['apex-library', undefined, 'com.example.lib'],
      ['group', undefined, 'sdcard_r'],
      ['component-override', 'com.example.components', undefined],
      ['install-in-user-type', 'com.example.users', undefined],
      ['oem-permissions', 'com.example.oem', undefined],
    ]);
    expect(entries.every((entry) => entry.file === file)).toBe(true);
    expect(entries[0]?.line).toBe(2);
  });

  it('skips unknown elements together with everything inside them', () => {
    const xml = '<permissions>\n<vendor-extension>\n<allow-in-power-save package="hidden"/>\n<privapp-permissions package="p"><permission name="x"/></privapp-permissions>\n</vendor-extension>\n<feature name="seen"/>\n</permissions>';
    const { grants, entries } = parseSystemConfigXml(xml, PLATFORM_FILE);
    expect(grants).toEqual([]);
    expect(entries).toEqual([{ kind: 'feature', name: 'seen', file: PLATFORM_FILE, line: 6 }]);
  });

  it('reads the children of a privapp-permissions without package as top-level elements, as Android does', () => {
    const xml = '<permissions>\n<privapp-permissions>\n<permission name="android.permission.LEAKED"/>\n<allow-in-power-save package="com.leaked"/>\n</privapp-permissions>\n</permissions>';
    const { grants, entries } = parseSystemConfigXml(xml, PRIVAPP_FILE);
    expect(grants).toEqual([]);
    expect(entries).toEqual([
      { kind: 'permission', name: 'android.permission.LEAKED', file: PRIVAPP_FILE, line: 3 },
      { kind: 'allow-in-power-save', package: 'com.leaked', file: PRIVAPP_FILE, line: 4 },
    ]);
  });

  it('refuses a root element other than <permissions> or <config> (Android ignores such a file)', () => {
    const error = thrown(() => parseSystemConfigXml('<exceptions><feature name="x"/></exceptions>', PLATFORM_FILE));
    expect(error.file).toBe(PLATFORM_FILE);
    expect(error.format).toBe('xml');
    expect(error.expected).toBe('root element <permissions> or <config>');
  });

  it('reports malformed XML as a typed error naming the file, the line and the offset', () => {
    const xml = '<permissions>\n<feature name="x">\n</permissions>';
    const error = thrown(() => parseSystemConfigXml(xml, PLATFORM_FILE));
    expect(error.message).toContain(PLATFORM_FILE);
    expect(error.format).toBe('xml');
    expect(error.problem).toMatch(/^line 3, column 1: <\/permissions> closes <feature>/);
    expect(error.offset).toBe(xml.indexOf('</permissions>'));
  });
});
