import type { PermissionDeclaration } from '../../../../shared/appDiff.js';

/**
 * Android platform permissions whose protection level is `dangerous` (the user grants them at run
 * time), as declared in the framework's core AndroidManifest.xml. An app's manifest names them
 * without a level, so the level comes from this list; permissions of other levels are not listed.
 */
const DANGEROUS_PLATFORM_PERMISSIONS: ReadonlySet<string> = new Set(
  [
    'READ_CALENDAR',
    'WRITE_CALENDAR',
    'CAMERA',
    'READ_CONTACTS',
    'WRITE_CONTACTS',
    'GET_ACCOUNTS',
    'ACCESS_FINE_LOCATION',
    'ACCESS_COARSE_LOCATION',
    'ACCESS_BACKGROUND_LOCATION',
    'ACCESS_MEDIA_LOCATION',
    'RECORD_AUDIO',
    'READ_PHONE_STATE',
    'READ_PHONE_NUMBERS',
    'CALL_PHONE',
    'ANSWER_PHONE_CALLS',
    'READ_CALL_LOG',
    'WRITE_CALL_LOG',
    'ADD_VOICEMAIL',
    'USE_SIP',
    'PROCESS_OUTGOING_CALLS',
    'ACCEPT_HANDOVER',
    'BODY_SENSORS',
    'BODY_SENSORS_BACKGROUND',
    'SEND_SMS',
    'RECEIVE_SMS',
    'READ_SMS',
    'RECEIVE_WAP_PUSH',
    'RECEIVE_MMS',
    'READ_CELL_BROADCASTS',
    'READ_EXTERNAL_STORAGE',
    'WRITE_EXTERNAL_STORAGE',
    'READ_MEDIA_AUDIO',
    'READ_MEDIA_VIDEO',
    'READ_MEDIA_IMAGES',
    'READ_MEDIA_VISUAL_USER_SELECTED',
    'ACTIVITY_RECOGNITION',
    'POST_NOTIFICATIONS',
    'NEARBY_WIFI_DEVICES',
    'BLUETOOTH_SCAN',
    'BLUETOOTH_CONNECT',
    'BLUETOOTH_ADVERTISE',
    'UWB_RANGING',
  ].map((name) => `android.permission.${name}`),
);

/** `dangerous` for a platform permission users must grant; null when this list does not know it. */
export function platformProtectionLevel(name: string): string | null {
  return DANGEROUS_PLATFORM_PERMISSIONS.has(name) ? 'dangerous' : null;
}

/** A permission's protection level and who says so: a package of the build, or null for Android's own list. */
export interface ProtectionLevel {
  level: string;
  declaredBy: string | null;
}

export type ProtectionLevelLookup = (name: string) => ProtectionLevel | null;

/**
 * Levels as one build declares them (framework-res.apk, vendor apps), falling back to Android's
 * list of dangerous platform permissions for builds whose framework was not among the files read.
 */
export function protectionLevels(declarations: readonly PermissionDeclaration[]): ProtectionLevelLookup {
  const declared = new Map(declarations.map((declaration) => [declaration.name, declaration]));
  return (name) => {
    const declaration = declared.get(name);
    if (declaration !== undefined) return { level: declaration.protectionLevel, declaredBy: declaration.declaredBy };
    const platform = platformProtectionLevel(name);
    return platform === null ? null : { level: platform, declaredBy: null };
  };
}

export function isDangerousLevel(level: ProtectionLevel | null): boolean {
  return level !== null && level.level.split('|').includes('dangerous');
}
