/**
 * Permissions Android grants an app without its manifest asking for them, as the package parser
 * adds them: the two that apps targeting Android 1.5 and older got silently (PackageParser's
 * NEW_PERMISSIONS), then the split-permission table (frameworks/base data/etc/platform.xml;
 * flag-gated entries left out), in its order, so that an implied permission can imply further
 * ones. Reasons are worded as `aapt dump badging` words them.
 */
import type { UsesPermission } from '../../../shared/app.js';

const P = 'android.permission.';

interface Split {
  from: string;
  to: readonly string[];
  /** Applies to apps targeting below this API level; to every app when absent. */
  targetSdk?: number;
  /** The first Android version (API level) whose package parser adds it. */
  since: number;
}

/** Apps targeting below Donut (API 4) hold these without asking. */
const LEGACY_TARGET = 4;
const LEGACY_PERMISSIONS = [`${P}WRITE_EXTERNAL_STORAGE`, `${P}READ_PHONE_STATE`];
const DONUT = 4;

const SPLITS: readonly Split[] = [
  { from: 'ACCESS_FINE_LOCATION', to: ['ACCESS_COARSE_LOCATION'], since: 31 },
  { from: 'WRITE_EXTERNAL_STORAGE', to: ['READ_EXTERNAL_STORAGE'], since: 16 },
  { from: 'READ_CONTACTS', to: ['READ_CALL_LOG'], targetSdk: 16, since: 16 },
  { from: 'WRITE_CONTACTS', to: ['WRITE_CALL_LOG'], targetSdk: 16, since: 16 },
  { from: 'ACCESS_FINE_LOCATION', to: ['ACCESS_BACKGROUND_LOCATION'], targetSdk: 29, since: 29 },
  { from: 'ACCESS_COARSE_LOCATION', to: ['ACCESS_BACKGROUND_LOCATION'], targetSdk: 29, since: 29 },
  { from: 'READ_EXTERNAL_STORAGE', to: ['ACCESS_MEDIA_LOCATION'], targetSdk: 29, since: 29 },
  { from: 'WRITE_EXTERNAL_STORAGE', to: ['ACCESS_MEDIA_LOCATION'], targetSdk: 29, since: 29 },
  { from: 'BLUETOOTH', to: ['BLUETOOTH_SCAN', 'BLUETOOTH_CONNECT', 'BLUETOOTH_ADVERTISE'], targetSdk: 31, since: 31 },
  { from: 'BLUETOOTH_ADMIN', to: ['BLUETOOTH_SCAN', 'BLUETOOTH_CONNECT', 'BLUETOOTH_ADVERTISE'], targetSdk: 31, since: 31 },
  { from: 'BODY_SENSORS', to: ['BODY_SENSORS_BACKGROUND'], targetSdk: 33, since: 33 },
  { from: 'BODY_SENSORS', to: ['health.READ_HEART_RATE'], targetSdk: 36, since: 36 },
  { from: 'BODY_SENSORS_BACKGROUND', to: ['health.READ_HEALTH_DATA_IN_BACKGROUND'], targetSdk: 36, since: 36 },
  { from: 'READ_EXTERNAL_STORAGE', to: ['READ_MEDIA_AUDIO', 'READ_MEDIA_VIDEO', 'READ_MEDIA_IMAGES'], targetSdk: 33, since: 33 },
  { from: 'WRITE_EXTERNAL_STORAGE', to: ['READ_MEDIA_AUDIO', 'READ_MEDIA_VIDEO', 'READ_MEDIA_IMAGES'], targetSdk: 33, since: 33 },
  { from: 'READ_MEDIA_IMAGES', to: ['READ_MEDIA_VISUAL_USER_SELECTED'], since: 34 },
  { from: 'READ_MEDIA_VIDEO', to: ['READ_MEDIA_VISUAL_USER_SELECTED'], since: 34 },
  { from: 'ACCESS_MEDIA_LOCATION', to: ['READ_MEDIA_VISUAL_USER_SELECTED'], since: 34 },
];

/**
 * The requested permissions with the implied ones added (marked with their reason and the first
 * Android version that adds them). `targetSdk` is the app's target as a number (a codename counts
 * as the development level, 10000).
 */
export function withImpliedPermissions(requested: readonly UsesPermission[], targetSdk: number): UsesPermission[] {
  const byName = new Map(requested.map((permission) => [permission.name, permission]));
  const imply = (name: string, reason: string, since: number, maxSdkVersion?: number): void => {
    if (byName.has(name)) return;
    const permission: UsesPermission = { name, implied: { reason, since } };
    if (maxSdkVersion !== undefined) permission.maxSdkVersion = maxSdkVersion;
    byName.set(name, permission);
  };
  if (targetSdk < LEGACY_TARGET) for (const name of LEGACY_PERMISSIONS) imply(name, `targetSdkVersion < ${LEGACY_TARGET}`, DONUT);
  for (const split of SPLITS) {
    const root = byName.get(`${P}${split.from}`);
    if (root === undefined || (split.targetSdk !== undefined && targetSdk >= split.targetSdk)) continue;
    const reason = split.targetSdk === undefined ? `requested ${split.from}` : `targetSdkVersion < ${split.targetSdk} and requested ${split.from}`;
    for (const name of split.to) imply(`${P}${name}`, reason, split.since, root.maxSdkVersion);
  }
  return [...byName.values()];
}

/** Leaves out implied permissions the build's Android version (API level) does not add yet. */
export function impliedOnPlatform(permissions: readonly UsesPermission[], platformSdk: number): UsesPermission[] {
  return permissions.filter((permission) => permission.implied === undefined || permission.implied.since <= platformSdk);
}
