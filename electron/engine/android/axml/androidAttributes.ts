/**
 * Resource IDs of the framework attributes OTA Lens reads (android.R.attr, pinned in AOSP
 * core/res/res/values/public.xml, stable across releases). Android's own parser identifies
 * `android:` attributes by these IDs, not by their names, so neither do we: APKs with stripped or
 * obfuscated attribute names still decode right.
 */
export const AndroidAttr = {
  theme: 0x01010000,
  label: 0x01010001,
  icon: 0x01010002,
  name: 0x01010003,
  permission: 0x01010006,
  readPermission: 0x01010007,
  writePermission: 0x01010008,
  protectionLevel: 0x01010009,
  permissionGroup: 0x0101000a,
  sharedUserId: 0x0101000b,
  hasCode: 0x0101000c,
  persistent: 0x0101000d,
  enabled: 0x0101000e,
  debuggable: 0x0101000f,
  exported: 0x01010010,
  process: 0x01010011,
  authorities: 0x01010018,
  grantUriPermissions: 0x0101001b,
  priority: 0x0101001c,
  description: 0x01010020,
  targetPackage: 0x01010021,
  value: 0x01010024,
  resource: 0x01010025,
  mimeType: 0x01010026,
  scheme: 0x01010027,
  host: 0x01010028,
  port: 0x01010029,
  path: 0x0101002a,
  entries: 0x010100b2,
  title: 0x010101e1,
  key: 0x010101e8,
  summary: 0x010101e9,
  dependency: 0x010101ec,
  defaultValue: 0x010101ed,
  entryValues: 0x010101f8,
  minSdkVersion: 0x0101020c,
  versionCode: 0x0101021b,
  versionName: 0x0101021c,
  targetSdkVersion: 0x01010270,
  maxSdkVersion: 0x01010271,
  allowBackup: 0x01010280,
  usesCleartextTraffic: 0x010104ec,
  isStatic: 0x0101055a,
} as const;

export type AndroidAttrName = keyof typeof AndroidAttr;

const NAME_BY_ID = new Map<number, string>(Object.entries(AndroidAttr).map(([name, id]) => [id, name]));

/** The attribute's real name for a known framework resource ID, e.g. 0x0101021b → `versionCode`. */
export function androidAttributeName(resourceId: number): string | undefined {
  return NAME_BY_ID.get(resourceId);
}

export const ANDROID_NAMESPACE = 'http://schemas.android.com/apk/res/android';
