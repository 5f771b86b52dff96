import type { AppChange, AppDiff, AppProfile } from '../../shared/appDiff.js';
import { SCHEMA_VERSION, type ComparisonResult } from '../../shared/model.js';
import type { FeatureFlag } from '../../shared/flags.js';
import type { KeyFact } from '../../shared/keyClaims.js';
import type { Evidence, FeatureVerdict } from '../../shared/verdict.js';

const MMS_OLD = '/system/app/Mms/Mms.apk';
const MMS_NEW = '/system/priv-app/Mms/Mms.apk';
const REACH_NOTE = 'A changed default reaches only phones set up fresh; phones already in use keep the value they stored.';

/** Each kind of verdict card once: a fix, a regression, an undecidable one, and two found nowhere. */
export function handmadeFeatures(): FeatureVerdict[] {
  const absent = (id: string, title: string): FeatureVerdict => ({
    id,
    title,
    whyItMatters: `Why ${title} matters.`,
    old: { state: 'absent', evidence: [] },
    new: { state: 'absent', evidence: [] },
    change: 'unchanged',
    summary: `Neither build has ${title}.`,
  });
  return [
    {
      id: 'cloud-messaging',
      title: 'Mi Cloud Messaging',
      whyItMatters: 'Sends text messages through the vendor’s servers.',
      old: {
        state: 'default-on',
        evidence: [
          {
            path: `${MMS_OLD}!/res/xml/preferences.xml`,
            subject: 'pref_key_enable_mx',
            line: 12,
            detail: 'CheckBoxPreference "pref_key_enable_mx" titled “Mi Cloud Messaging”: default true (written in the XML)',
            state: 'default-on',
          },
        ],
      },
      new: {
        state: 'opt-in',
        evidence: [
          {
            path: `${MMS_NEW}!/res/xml/preferences.xml`,
            subject: 'pref_key_enable_mx',
            line: 14,
            detail: 'CheckBoxPreference "pref_key_enable_mx" titled “Mi Cloud Messaging”: default false (written in the XML)',
            state: 'opt-in',
          },
        ],
      },
      change: 'now-opt-in',
      summary: 'Mi Cloud Messaging was on by default in the old build and is opt-in in the new build.',
      reachNote: REACH_NOTE,
    },
    {
      id: 'usage-statistics',
      title: 'Usage statistics upload',
      whyItMatters: 'Uploads how the phone is used.',
      old: { state: 'opt-in', evidence: [{ path: '/system/build.prop', subject: 'persist.sys.usage_stats', line: 30, detail: 'property persist.sys.usage_stats=false', state: 'opt-in' }] },
      new: { state: 'default-on', evidence: [{ path: '/vendor/build.prop', subject: 'persist.sys.usage_stats', line: 4, detail: 'property persist.sys.usage_stats=true', state: 'default-on' }] },
      change: 'now-default-on',
      summary: 'Usage statistics upload was opt-in in the old build and is on by default in the new build: a regression.',
      reachNote: REACH_NOTE,
    },
    {
      id: 'find-device',
      title: 'Find device and cloud sync',
      whyItMatters: 'Reports the phone’s location.',
      old: { state: 'unknown', evidence: [{ path: '/system/app/FindDevice/FindDevice.apk', subject: 'com.xiaomi.finddevice', detail: 'com.xiaomi.finddevice is installed', state: 'unknown' }] },
      new: { state: 'unknown', evidence: [{ path: '/system/app/FindDevice/FindDevice.apk', subject: 'com.xiaomi.finddevice', detail: 'com.xiaomi.finddevice is installed', state: 'unknown' }] },
      change: 'unknown',
      summary: 'OTA Lens cannot tell from the firmware alone whether Find device and cloud sync is on by default.',
    },
    absent('crash-reporting', 'Automatic crash and error reports'),
    absent('backup-to-cloud', 'Backup to the cloud'),
  ];
}

function mmsChange(): AppChange {
  return {
    package: 'com.android.mms',
    label: 'Messaging',
    path: { old: MMS_OLD, new: MMS_NEW },
    partition: { old: 'system', new: 'system' },
    sha256: { old: '1'.repeat(64), new: '2'.repeat(64) },
    versionCode: { old: 19, new: 20 },
    versionName: { old: '4.4.2-1', new: '4.4.2-2' },
    usesPermissions: { added: ['android.permission.READ_CONTACTS'], removed: ['android.permission.RECEIVE_MMS'] },
    permissions: { added: [{ name: 'com.android.mms.permission.CLOUD', protectionLevel: 'signature' }], removed: [], changed: [] },
    components: {
      added: [
        { type: 'service', name: 'com.android.mms.CloudSyncService', exported: true, exportedSource: 'declared', enabled: true, permission: null, intentFilters: [] },
      ],
      removed: [],
      changed: [{ type: 'receiver', name: 'com.android.mms.PushReceiver', old: { exported: true, enabled: true, permission: null }, new: { exported: false, enabled: true, permission: null } }],
    },
    signers: {
      old: [OLD_VENDOR_SIGNER],
      new: [NEW_TEST_KEY_SIGNER],
    },
    signing: { old: PLATFORM_SIGNING, new: TEST_KEY_SIGNING },
    preferences: {
      added: [],
      removed: [],
      changed: [
        {
          file: 'res/xml/preferences.xml',
          key: 'pref_key_enable_mx',
          title: 'Mi Cloud Messaging',
          old: { defaultValue: 'true', defaultSource: 'literal', line: 12 },
          new: { defaultValue: 'false', defaultSource: 'literal', line: 14 },
        },
      ],
    },
  };
}

/** Messaging in the old build: the platform key; in the new one, AOSP's public testkey. */
const OLD_VENDOR_SIGNER = { scheme: 'v1' as const, certificateSha256: 'c'.repeat(64), subject: 'CN=Old Vendor', verified: true, platformKey: true as const };
const NEW_TEST_KEY_SIGNER = { scheme: 'v2' as const, certificateSha256: 'd'.repeat(64), subject: 'CN=New Vendor', verified: true, testKey: 'testkey' };
const PLATFORM_SIGNING = { verified: true, testKeys: [], platformSigned: true };
const TEST_KEY_SIGNING = { verified: true, testKeys: ['testkey'], platformSigned: false };

/** The signing findings behind the signers above: what the Summary leads with. */
export function handmadeSigningFindings(): AppDiff['signingFindings'] {
  const mms = { package: 'com.android.mms', label: 'Messaging', path: MMS_NEW };
  return [
    { kind: 'test-key', ...mms, builds: 'new', testKeys: ['testkey'], summary: "Messaging (com.android.mms) is signed with AOSP's public test key testkey (the old build’s was signed with another key): anyone can sign an update that replaces it." },
    { kind: 'platform-signed', ...mms, builds: 'old', summary: 'Messaging (com.android.mms) no longer holds the platform key (it was signed like framework-res.apk in the old build).' },
    { kind: 'signer-changed', ...mms, builds: 'both', summary: 'Messaging (com.android.mms) is signed with other certificates than in the old build: it cannot update the old app in place unless a rotation lineage links them.' },
  ];
}

const APPLICATION = { debuggable: false, allowBackup: true, persistent: false, usesCleartextTraffic: null, enabled: true, className: null };

function profile(fields: Pick<AppProfile, 'package' | 'label' | 'path'> & Partial<AppProfile>): AppProfile {
  return {
    partition: 'system',
    versionCode: null,
    versionName: null,
    minSdkVersion: 19,
    targetSdkVersion: 19,
    sharedUserId: null,
    usesPermissions: [],
    permissions: [],
    application: APPLICATION,
    components: [],
    signers: [OLD_VENDOR_SIGNER],
    signing: PLATFORM_SIGNING,
    preferences: [],
    ...fields,
  };
}

/** The whole apps behind the changes above: Messaging on both sides agrees with {@link mmsChange}. */
function handmadeProfiles(): AppDiff['profiles'] {
  const mmsPreference = { file: 'res/xml/preferences.xml', key: 'pref_key_enable_mx', type: 'CheckBoxPreference', title: 'Mi Cloud Messaging', summary: null, defaultSource: 'literal' as const };
  const unchangedPreference = { file: 'res/xml/preferences.xml', key: 'pref_key_auto_retrieve', type: 'CheckBoxPreference', title: 'Auto-retrieve', summary: null, defaultValue: 'true', defaultSource: 'literal' as const };
  const pushReceiver = { type: 'receiver' as const, name: 'com.android.mms.PushReceiver', enabled: true, permission: null };
  const smsReceiver = { type: 'receiver' as const, name: 'com.android.mms.SmsReceiver', exported: true, enabled: true, permission: 'android.permission.BROADCAST_SMS' };
  const rebuilt = profile({ package: 'com.example.rebuilt', label: 'Rebuilt', path: '/system/app/Rebuilt/Rebuilt.apk', versionCode: 7, versionName: '7.0' });
  return {
    old: [
      profile({
        package: 'com.android.mms',
        label: 'Messaging',
        path: MMS_OLD,
        versionCode: 19,
        versionName: '4.4.2-1',
        usesPermissions: [{ name: 'android.permission.READ_SMS' }, { name: 'android.permission.RECEIVE_MMS' }],
        components: [{ ...pushReceiver, exported: true }, smsReceiver],
        preferences: [{ ...mmsPreference, defaultValue: 'true', line: 12 }, { ...unchangedPreference, line: 16 }],
      }),
      rebuilt,
      profile({ package: 'com.example.legacy', label: null, path: '/system/app/Legacy/Legacy.apk', usesPermissions: [{ name: 'android.permission.READ_PHONE_STATE' }] }),
    ],
    new: [
      profile({
        package: 'com.android.mms',
        label: 'Messaging',
        path: MMS_NEW,
        versionCode: 20,
        versionName: '4.4.2-2',
        usesPermissions: [{ name: 'android.permission.READ_CONTACTS' }, { name: 'android.permission.READ_SMS' }],
        permissions: [{ name: 'com.android.mms.permission.CLOUD', protectionLevel: 'signature' }],
        components: [
          { type: 'service', name: 'com.android.mms.CloudSyncService', exported: true, enabled: true, permission: null },
          { ...pushReceiver, exported: false },
          smsReceiver,
        ],
        signers: [NEW_TEST_KEY_SIGNER],
        signing: TEST_KEY_SIGNING,
        preferences: [{ ...mmsPreference, defaultValue: 'false', line: 14 }, { ...unchangedPreference, line: 18 }],
      }),
      rebuilt,
      profile({
        package: 'com.example.weather',
        label: 'Weather',
        path: '/system/app/Weather/Weather.apk',
        versionCode: 3,
        versionName: '1.3',
        usesPermissions: [
          { name: 'android.permission.ACCESS_FINE_LOCATION' },
          { name: 'android.permission.INTERNET' },
          { name: 'com.android.mms.permission.CLOUD' },
          { name: 'com.example.permission.READ_HEALTH' },
        ],
        components: [{ type: 'service', name: 'com.example.weather.UploadService', exported: true, enabled: true, permission: null }],
      }),
    ],
  };
}

/** An apps diff with nothing in it but the parts given. */
export function appDiffOf(parts: Partial<AppDiff>): AppDiff {
  return { added: [], removed: [], changed: [], profiles: { old: [], new: [] }, permissionDeclarations: { old: [], new: [] }, signingFindings: [], ...parts };
}

const CAROUSEL_FLAG: FeatureFlag = {
  name: 'com.android.systemui.lockscreen_carousel',
  namespace: 'systemui',
  package: 'com.android.systemui',
  state: 'enabled',
  permission: 'read-write',
  container: 'system',
  source: 'aconfig',
  file: '/system/etc/aconfig_flags.pb',
};

/** A few keys of the new build, one of each kind, agreeing with the changes above. */
function handmadeKeys(): KeyFact[] {
  const evidence = (path: string, subject: string, detail: string, state: Evidence['state'], line?: number): Evidence => ({ path, subject, detail, state, ...(line === undefined ? {} : { line }) });
  return [
    { kind: 'flag', key: CAROUSEL_FLAG.name, package: null, value: 'enabled', evidence: evidence(CAROUSEL_FLAG.file, CAROUSEL_FLAG.name, 'aconfig flag com.android.systemui.lockscreen_carousel ENABLED, read-write, namespace systemui', 'default-on') },
    { kind: 'pref', key: 'pref_key_enable_mx', package: 'com.android.mms', value: 'false', evidence: evidence(`${MMS_NEW}!/res/xml/preferences.xml`, 'pref_key_enable_mx', 'CheckBoxPreference "pref_key_enable_mx" titled “Mi Cloud Messaging” in com.android.mms: default false (written in the XML)', 'opt-in', 14) },
    { kind: 'prop', key: 'ro.build.version.release', package: null, value: '14', evidence: evidence('/system/build.prop', 'ro.build.version.release', 'property ro.build.version.release=14', 'unknown', 2) },
    { kind: 'setting', key: 'def_location_providers_allowed', package: null, value: '', evidence: evidence('/vendor/overlay/SettingsOverlay.apk!/resources.arsc', 'def_location_providers_allowed', 'setting default def_location_providers_allowed =  (set by overlay com.example.overlay, priority 1)', 'unknown') },
  ];
}

/** A small comparison written by hand, for tests that need exact control over the data shown. */
export function handmadeResult(overrides: Partial<ComparisonResult> = {}): ComparisonResult {
  return {
    schemaVersion: SCHEMA_VERSION,
    old: {
      file: 'handmade-old.zip',
      sha256: 'a'.repeat(64),
      format: 'file-ota-zip',
      fingerprint: 'Example/handmade/device:13/TQ1A.000001.001/1:user/release-keys',
      fingerprintSource: '/system/build.prop',
      androidVersion: '13',
      securityPatch: '2023-01-05',
      boot: null,
      partitions: [{ name: 'system', fileSystem: 'zip members', size: null, origin: 'system/', kind: 'file-system' }],
    },
    new: {
      file: 'handmade-new.zip',
      sha256: 'b'.repeat(64),
      format: 'ab-ota-zip',
      fingerprint: 'Example/handmade/device:14/UQ1A.000002.002/2:user/release-keys',
      fingerprintSource: '/system/build.prop',
      androidVersion: '14',
      securityPatch: '2024-01-05',
      boot: {
        securityPatch: '2024-01',
        osVersion: '14.0.0',
        kernelVersion: '5.15.110-android14-11-g0123abcdef',
        images: [
          {
            partition: 'boot',
            kind: 'boot-image',
            headerVersion: 4,
            osVersion: '14.0.0',
            securityPatch: '2024-01',
            kernelVersion: '5.15.110-android14-11-g0123abcdef',
            kernelBanner: 'Linux version 5.15.110-android14-11-g0123abcdef (build-user@build-host) #1 SMP PREEMPT Mon Jan 1 00:00:00 UTC 2024',
            kernelEncoding: 'lz4',
          },
        ],
      },
      partitions: [
        { name: 'boot', fileSystem: 'boot image (header v4)', size: 67_108_864, origin: 'payload.bin', kind: 'boot-image' },
        { name: 'system', fileSystem: 'erofs', size: 1_288_490_188, origin: 'payload.bin', kind: 'file-system' },
        { name: 'vendor', fileSystem: 'ext4', size: 402_653_184, origin: 'payload.bin', kind: 'file-system' },
      ],
    },
    features: handmadeFeatures(),
    otherDefaultChanges: [
      {
        kind: 'preference',
        name: 'pref_key_auto_sync',
        title: 'Sync automatically',
        package: 'com.android.mms',
        old: 'false',
        new: 'true',
        evidence: {
          old: { path: `${MMS_OLD}!/res/xml/preferences.xml`, subject: 'pref_key_auto_sync', line: 20, detail: 'default false (literal)', state: 'opt-in' },
          new: { path: `${MMS_NEW}!/res/xml/preferences.xml`, subject: 'pref_key_auto_sync', line: 22, detail: 'default true (literal)', state: 'default-on' },
        },
      },
    ],
    apps: {
      added: [{ package: 'com.example.weather', label: 'Weather', path: '/system/app/Weather/Weather.apk', partition: 'system', versionCode: 3, versionName: '1.3' }],
      removed: [{ package: 'com.example.legacy', label: null, path: '/system/app/Legacy/Legacy.apk', partition: 'system', versionCode: null, versionName: null }],
      changed: [
        mmsChange(),
        {
          package: 'com.example.rebuilt',
          label: 'Rebuilt',
          path: { old: '/system/app/Rebuilt/Rebuilt.apk', new: '/system/app/Rebuilt/Rebuilt.apk' },
          partition: { old: 'system', new: 'system' },
          sha256: { old: '3'.repeat(64), new: '4'.repeat(64) },
          usesPermissions: { added: [], removed: [] },
          permissions: { added: [], removed: [], changed: [] },
          components: { added: [], removed: [], changed: [] },
          preferences: { added: [], removed: [], changed: [] },
        },
      ],
      profiles: handmadeProfiles(),
      signingFindings: handmadeSigningFindings(),
      permissionDeclarations: {
        old: [{ name: 'android.permission.READ_SMS', protectionLevel: 'dangerous', declaredBy: 'android' }],
        new: [
          { name: 'android.permission.INTERNET', protectionLevel: 'normal', declaredBy: 'android' },
          { name: 'android.permission.READ_SMS', protectionLevel: 'dangerous', declaredBy: 'android' },
          { name: 'com.android.mms.permission.CLOUD', protectionLevel: 'signature', declaredBy: 'com.android.mms' },
          { name: 'com.example.permission.READ_HEALTH', protectionLevel: 'dangerous', declaredBy: 'com.example.health' },
        ],
      },
    },
    properties: {
      changed: [{ name: 'ro.build.version.release', old: '13', new: '14', oldLayer: '/system/build.prop', newLayer: '/system/build.prop' }],
      added: [{ name: 'ro.example.added', old: null, new: 'yes', oldLayer: null, newLayer: '/vendor/build.prop' }],
      removed: [{ name: 'ro.example.removed', old: 'gone', new: null, oldLayer: '/system/build.prop', newLayer: null }],
    },
    settings: {
      changed: [
        {
          name: 'def_location_providers_allowed',
          type: 'string',
          old: 'gps,network',
          new: '',
          oldSource: '/system/priv-app/SettingsProvider/SettingsProvider.apk',
          newSource: '/vendor/overlay/SettingsOverlay.apk',
        },
      ],
      added: [],
      removed: [],
    },
    permissionGrants: {
      added: [{ kind: 'default-permission', package: 'com.example.weather', permission: 'android.permission.ACCESS_FINE_LOCATION', fixed: true, file: '/system/etc/default-permissions/weather.xml', line: 5 }],
      removed: [{ kind: 'privapp-permission', package: 'com.example.legacy', permission: 'android.permission.READ_PHONE_STATE', file: '/system/etc/permissions/privapp-permissions-legacy.xml', line: 3 }],
    },
    sysconfig: {
      added: [{ kind: 'allow-in-power-save', package: 'com.example.weather', file: '/system/etc/sysconfig/weather.xml', line: 2 }],
      removed: [],
    },
    initServices: {
      added: [{ name: 'telemetryd', command: '/system/bin/telemetryd --upload', options: ['class main', 'user system'], file: '/system/etc/init/telemetryd.rc', line: 1 }],
      removed: [],
      changed: [
        {
          old: { name: 'logd', command: '/system/bin/logd', options: ['class core'], file: '/system/etc/init/logd.rc', line: 1 },
          new: { name: 'logd', command: '/system/bin/logd --verbose', options: ['class core', 'oneshot'], file: '/system/etc/init/logd.rc', line: 1 },
        },
      ],
    },
    files: {
      added: [{ path: '/system/app/New/New.apk', oldSize: null, newSize: 48_213, oldSha256: null, newSha256: 'c'.repeat(64) }],
      removed: [{ path: '/system/app/Old/Old.apk', oldSize: 1_024, newSize: null, oldSha256: 'd'.repeat(64), newSha256: null }],
      changed: [{ path: '/system/build.prop', oldSize: 2_047, newSize: 2_110, oldSha256: 'e'.repeat(64), newSha256: 'f'.repeat(64) }],
      unchanged: [
        { path: '/system/app/Keep/Keep.apk', size: 9_000, sha256: '9'.repeat(64) },
        { path: '/system/bin/sh', size: null, sha256: null },
        { path: '/vendor/etc/hosts', size: 56, sha256: '8'.repeat(64) },
      ],
    },
    claimableKeys: handmadeKeys(),
    flags: {
      added: [],
      removed: [],
      changed: [{ name: 'com.android.systemui.lockscreen_carousel', old: { ...CAROUSEL_FLAG, state: 'disabled' }, new: CAROUSEL_FLAG }],
    },
    evidenceFiles: { old: {}, new: {} },
    textDiffs: [
      {
        path: '/system/build.prop',
        patch:
          'Index: /system/build.prop\n===================================================================\n' +
          '--- /system/build.prop\told build\n+++ /system/build.prop\tnew build\n' +
          '@@ -1,3 +1,3 @@\n ro.build.id=TQ1A\n-ro.build.version.release=13\n+ro.build.version.release=14\n ro.build.type=user\n',
      },
    ],
    problems: { old: [], new: [] },
    ...overrides,
  };
}
