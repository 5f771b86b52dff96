// The apps of the generated compare benchmark: seeded descriptions (specs) of about a thousand
// system apps, the ~5 % of them that the new build changes, and the aapt sources each spec becomes.
// Same seed and count, same specs, same sources: unchanged apps build to the same APK bytes on
// both sides.
//
// The mix: 80 % in /system/app, 20 % in /system/priv-app; 0 to 8 uses-permissions out of real
// platform and vendor ones; 1 to 6 components (some exported, some with intent filters or a
// permission); 5 to 80 strings in the default locale plus 0 to 6 translations; about a third have
// a preference screen (res/xml/preferences.xml, defaults literal, through @bool or implicit);
// about a quarter carry an uncompressed asset of 16 KiB to 512 KiB (stored with `aapt -0 dat`);
// three quarters have code, a classes.dex of 20 KiB to 2.5 MiB (bench/lib/benchDex.mjs, sizes
// log-uniform; stored in priv-apps, deflated elsewhere, as AOSP builds them), which makes the APKs
// range from a few KB to a few MB. Two apps of the MIUI scenario
// (the SMS app with "Mi Cloud Messaging" and SettingsProvider) are part of the set, so the
// comparison has a real verdict to give.
import { createCipheriv, createHash } from 'node:crypto';
import { ANDROID_NS, xml } from '../../scripts/fixtures/lib/apkTools.mjs';
import { mmsApp, settingsProviderApp } from '../../scripts/fixtures/lib/miuiApps.mjs';
import { DEX_SIZES, mixAdds, SDK_MIXES } from './benchDex.mjs';
import { seededRandom } from './generatedTree.mjs';

const WORDS = [
  'gallery', 'camera', 'weather', 'notes', 'calendar', 'clock', 'music', 'video', 'browser', 'backup',
  'cloud', 'sync', 'market', 'theme', 'security', 'cleaner', 'compass', 'recorder', 'scanner', 'wallet',
  'health', 'fitness', 'analytics', 'feedback', 'updater', 'launcher', 'keyboard', 'contacts', 'dialer', 'email',
  'files', 'radio', 'torch', 'translate', 'voiceassist', 'gamecenter', 'cellbroadcast', 'bluetooth', 'nfc', 'wallpaper',
  'powerkeeper', 'location', 'telemetry', 'account', 'finddevice', 'personalassistant', 'bugreport', 'daemon', 'provision', 'stk',
];
const VENDORS = ['com.android', 'com.miui', 'com.xiaomi', 'com.qualcomm', 'org.codeaurora', 'com.google.android', 'com.bench.oem'];
const LOCALES = ['fr', 'de', 'es', 'it', 'ja', 'ko', 'ru', 'zh-rCN', 'zh-rTW', 'pt-rBR', 'ar', 'hi'];
export const PERMISSIONS = [
  'android.permission.INTERNET', 'android.permission.ACCESS_NETWORK_STATE', 'android.permission.ACCESS_WIFI_STATE',
  'android.permission.READ_PHONE_STATE', 'android.permission.RECEIVE_BOOT_COMPLETED', 'android.permission.WAKE_LOCK',
  'android.permission.ACCESS_FINE_LOCATION', 'android.permission.ACCESS_COARSE_LOCATION', 'android.permission.CAMERA',
  'android.permission.RECORD_AUDIO', 'android.permission.READ_CONTACTS', 'android.permission.WRITE_CONTACTS',
  'android.permission.READ_CALENDAR', 'android.permission.READ_SMS', 'android.permission.SEND_SMS',
  'android.permission.READ_EXTERNAL_STORAGE', 'android.permission.WRITE_EXTERNAL_STORAGE', 'android.permission.VIBRATE',
  'android.permission.GET_ACCOUNTS', 'android.permission.READ_CALL_LOG', 'android.permission.BLUETOOTH',
  'android.permission.NFC', 'android.permission.WRITE_SETTINGS', 'android.permission.PACKAGE_USAGE_STATS',
  'android.permission.INTERACT_ACROSS_USERS', 'android.permission.READ_PRIVILEGED_PHONE_STATE',
  'com.miui.permission.ANALYTICS', 'com.xiaomi.permission.CLOUD_MANAGER', 'com.miui.securitycenter.permission.SYSTEM',
];
const PREFERENCE_TITLES = [
  'Upload usage statistics', 'Sync to cloud', 'Send diagnostic reports', 'Personalised recommendations',
  'Show notifications', 'Vibrate on touch', 'Auto-update', 'Use location', 'Dark theme', 'Back up to cloud',
  'Join user experience programme', 'Download over mobile data', 'Show previews', 'Play sounds',
];
const COMPONENT_KINDS = ['activity', 'activity', 'activity', 'service', 'receiver', 'provider'];
const KiB = 1024;

const logUniform = (random, low, high) => Math.round(Math.exp(Math.log(low) + random() * (Math.log(high) - Math.log(low))));
const pick = (random, items) => items[Math.floor(random() * items.length)];
const pickSome = (random, items, count) => {
  const pool = [...items];
  const chosen = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  return chosen;
};
const capitalised = (word) => word[0].toUpperCase() + word.slice(1);

function generatedSpec(seed, index) {
  const random = seededRandom(seed * 1_000_003 + index);
  const word = pick(random, WORDS);
  const number = String(index).padStart(4, '0');
  const preferenceCount = random() < 0.35 ? 3 + Math.floor(random() * 13) : 0;
  return {
    kind: 'generated',
    name: `${capitalised(word)}${number}`,
    partition: random() < 0.2 ? 'priv-app' : 'app',
    package: `${pick(random, VENDORS)}.${word}${number}`,
    versionCode: 1 + Math.floor(random() * 900_000),
    versionName: `${1 + Math.floor(random() * 12)}.${Math.floor(random() * 10)}.${Math.floor(random() * 30)}`,
    permissions: pickSome(random, PERMISSIONS, Math.floor(random() * 9)),
    declaresPermission: random() < 0.1,
    components: Array.from({ length: 1 + Math.floor(random() * 6) }, (_, c) => ({
      kind: pick(random, COMPONENT_KINDS),
      name: `.${capitalised(pick(random, WORDS))}Component${c}`,
      exported: random() < 0.4,
      permission: random() < 0.15 ? pick(random, PERMISSIONS) : null,
      action: random() < 0.3 ? `${word}.action.${pick(random, WORDS).toUpperCase()}` : null,
    })),
    stringCount: 5 + Math.floor(random() * 76),
    locales: pickSome(random, LOCALES, Math.floor(random() * 7)),
    preferences: Array.from({ length: preferenceCount }, (_, p) => {
      const type = random() < 0.15 ? 'text' : random() < 0.5 ? 'switch' : 'checkbox';
      const source = random();
      return {
        type,
        key: `pref_${word}_${p}`,
        title: pick(random, PREFERENCE_TITLES),
        // Booleans: literal (60 %), through @bool/def_pref_N (25 %) or no defaultValue (15 %).
        default: type === 'text' ? { source: 'literal', value: `value${p}` } : source < 0.6 ? { source: 'literal', value: random() < 0.5 } : source < 0.85 ? { source: 'resource', value: random() < 0.5 } : { source: 'implicit' },
      };
    }),
    assetBytes: random() < 0.25 ? logUniform(random, 16 * KiB, 512 * KiB) : 0,
    signed: random() < 0.05,
    dex: codeOf(seed, index),
  };
}

/** The app's classes.dex variant ({ size, mix }), or null (a quarter of the apps have no code); drawn apart from the rest of the spec. */
function codeOf(seed, index) {
  const random = seededRandom(seed * 7_000_003 + index + 0xdec0de);
  if (random() < 0.25) return null;
  return { size: Math.floor(random() * DEX_SIZES.length), mix: Math.floor(random() * (SDK_MIXES.length - 1)) };
}

/** The scenario apps: the SMS app (cloud messaging on in the old build, off in the new) and SettingsProvider. */
function scenarioSpecs(side) {
  return [
    { kind: 'mms', name: 'Mms', partition: 'priv-app', package: 'com.android.mms', signed: true, side },
    { kind: 'settings-provider', name: 'SettingsProvider', partition: 'priv-app', package: 'com.android.providers.settings', signed: true },
  ];
}

const CHANGE_KINDS = ['version', 'permission', 'preference', 'code'];

/**
 * The specs of both builds. Every 20th generated app changes in the new build (a version bump, a
 * version bump with one more permission, or a version bump with a preference default flipped, in
 * turn; a preference change falls back to a permission when the app has no boolean preference);
 * every 200th (offset) is removed and as many new apps are added. Returns { old, new, expected }.
 */
export function buildSpecs({ seed, apps }) {
  const generatedCount = apps - scenarioSpecs('old').length;
  const old = [...scenarioSpecs('old')];
  const current = [...scenarioSpecs('new')];
  const expected = { changed: ['com.android.mms'], removed: [], added: [], permissionAdded: [], preferenceFlipped: ['com.android.mms'], versionBumped: ['com.android.mms'], sdkAdded: [] };
  let changes = 0;
  for (let index = 0; index < generatedCount; index++) {
    const spec = generatedSpec(seed, index);
    old.push(spec);
    if (index % 200 === 101) {
      expected.removed.push(spec.package);
      continue;
    }
    if (index % 20 !== 3) {
      current.push(spec);
      continue;
    }
    const next = { ...spec, versionCode: spec.versionCode + 1, versionName: `${spec.versionName}.1` };
    let kind = CHANGE_KINDS[changes++ % CHANGE_KINDS.length];
    const flippable = spec.preferences.findIndex((preference) => preference.type !== 'text' && preference.default.source !== 'implicit');
    if (kind === 'preference' && flippable < 0) kind = 'permission';
    if (kind === 'code' && spec.dex === null) kind = 'permission';
    if (kind === 'code' && mixAdds(spec.dex.mix, spec.dex.mix + 1).length > 0) {
      // The new build's app carries the next SDK mix, which adds at least one SDK.
      next.dex = { ...spec.dex, mix: spec.dex.mix + 1 };
      expected.sdkAdded.push(spec.package);
    }
    if (kind === 'permission') {
      next.permissions = [...spec.permissions, PERMISSIONS.find((permission) => !spec.permissions.includes(permission))];
      expected.permissionAdded.push(spec.package);
    } else if (kind === 'preference') {
      next.preferences = spec.preferences.map((preference, p) => (p === flippable ? { ...preference, default: { ...preference.default, value: !preference.default.value } } : preference));
      expected.preferenceFlipped.push(spec.package);
    }
    expected.changed.push(spec.package);
    expected.versionBumped.push(spec.package);
    current.push(next);
  }
  for (let added = 0; added < expected.removed.length; added++) {
    const spec = generatedSpec(seed + 7919, 9000 + added);
    current.push(spec);
    expected.added.push(spec.package);
  }
  for (const list of Object.values(expected)) list.sort();
  return { old, new: current, expected };
}

// ---- sources ----------------------------------------------------------------------------------

const escapeXml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, "\\'");
const stringsXml = (entries) => xml(`<resources>\n${entries.map(([name, text]) => `  <string name="${name}">${escapeXml(text)}</string>`).join('\n')}\n</resources>`);

function componentXml(component) {
  const attributes = [`android:name="${component.name}"`, `android:exported="${component.exported}"`];
  if (component.permission !== null) attributes.push(`android:permission="${component.permission}"`);
  if (component.kind === 'provider') attributes.push(`android:authorities="${component.name.slice(1).toLowerCase()}.provider"`);
  const filter = component.action !== null && component.kind !== 'provider'
    ? `\n      <intent-filter>\n        <action android:name="${component.action}"/>\n      </intent-filter>\n    `
    : '';
  return `    <${component.kind} ${attributes.join(' ')}${filter ? `>${filter}</${component.kind}>` : '/>'}`;
}

function preferencesXml(spec) {
  const items = spec.preferences.map((preference, p) => {
    const element = { text: 'EditTextPreference', switch: 'SwitchPreference', checkbox: 'CheckBoxPreference' }[preference.type];
    const value = preference.default;
    const defaultAttribute = value.source === 'implicit' ? '' : value.source === 'resource' ? `\n        android:defaultValue="@bool/def_pref_${p}"` : `\n        android:defaultValue="${value.value}"`;
    return `    <${element}\n        android:key="${preference.key}"\n        android:title="@string/pref_title_${p}"\n        android:summary="@string/pref_summary_${p}"${defaultAttribute}/>`;
  });
  return xml(`
<PreferenceScreen xmlns:android="${ANDROID_NS}"
    android:title="@string/app_name">
  <PreferenceCategory android:key="pref_category_main" android:title="@string/app_name">
${items.join('\n')}
  </PreferenceCategory>
</PreferenceScreen>`);
}

/** A seeded incompressible asset: AES-CTR keystream keyed by the package name. */
function assetBytes(spec) {
  const key = createHash('sha256').update(`otalens-bench asset ${spec.package}`).digest().subarray(0, 16);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(spec.assetBytes));
}

function generatedSources(spec) {
  const manifest = xml(`
<manifest xmlns:android="${ANDROID_NS}"
    package="${spec.package}"
    android:versionCode="${spec.versionCode}"
    android:versionName="${spec.versionName}">
  <uses-sdk android:minSdkVersion="19" android:targetSdkVersion="28"/>
${spec.permissions.map((name) => `  <uses-permission android:name="${name}"/>`).join('\n')}${spec.declaresPermission ? `\n  <permission android:name="${spec.package}.permission.ACCESS" android:protectionLevel="signature"/>` : ''}
  <application android:label="@string/app_name"${spec.dex === null ? ' android:hasCode="false"' : ''} android:allowBackup="${spec.partition === 'app'}">
${spec.components.map(componentXml).join('\n')}
  </application>
</manifest>`);
  const strings = (locale) => {
    const entries = [['app_name', `${spec.name}${locale ? ` (${locale})` : ''}`]];
    for (let s = 0; s < spec.stringCount; s++) entries.push([`text_${s}`, `${locale || 'en'} text ${s} of ${spec.name}: tap to continue`]);
    spec.preferences.forEach((preference, p) => entries.push([`pref_title_${p}`, `${preference.title}${locale ? ` [${locale}]` : ''}`], [`pref_summary_${p}`, `What ${preference.title.toLowerCase()} does`]));
    return stringsXml(entries);
  };
  const sources = { 'AndroidManifest.xml': manifest, 'res/values/strings.xml': strings('') };
  for (const locale of spec.locales) sources[`res/values-${locale}/strings.xml`] = strings(locale);
  if (spec.preferences.length > 0) {
    sources['res/xml/preferences.xml'] = preferencesXml(spec);
    const bools = spec.preferences.map((preference, p) => [p, preference]).filter(([, preference]) => preference.default.source === 'resource');
    if (bools.length > 0) sources['res/values/bools.xml'] = xml(`<resources>\n${bools.map(([p, preference]) => `  <bool name="def_pref_${p}">${preference.default.value}</bool>`).join('\n')}\n</resources>`);
  }
  if (spec.assetBytes > 0) sources['assets/payload.dat'] = assetBytes(spec);
  return sources;
}

/** The aapt sources of a spec: { 'AndroidManifest.xml': text, 'res/…': text, 'assets/…': Buffer }. */
export function appSources(spec) {
  if (spec.kind === 'mms') {
    const old = spec.side === 'old';
    return mmsApp({ versionCode: old ? 60 : 61, versionName: old ? '4.4.60' : '4.4.61', mx: { key: 'pref_key_enable_mx', default: { source: 'literal', value: old } } }).sources;
  }
  if (spec.kind === 'settings-provider') return settingsProviderApp().sources;
  return generatedSources(spec);
}
