import type { AppChange } from '../../../../shared/appDiff.js';

/** The text a changed app is found by: package, label, paths and every name that changed. */
export function searchTextOfChange(app: AppChange): string[] {
  return [
    app.package,
    app.label ?? '',
    app.path.old,
    app.path.new,
    ...app.usesPermissions.added,
    ...app.usesPermissions.removed,
    ...app.permissions.added.map((permission) => permission.name),
    ...app.permissions.removed.map((permission) => permission.name),
    ...app.permissions.changed.map((permission) => permission.name),
    ...app.components.added.map((component) => component.name),
    ...app.components.removed.map((component) => component.name),
    ...app.components.changed.map((component) => component.name),
    ...app.preferences.added.flatMap((preference) => [preference.key, preference.title ?? '']),
    ...app.preferences.removed.flatMap((preference) => [preference.key, preference.title ?? '']),
    ...app.preferences.changed.flatMap((preference) => [preference.key, preference.title ?? '']),
    ...[...(app.code?.sdks.added ?? []), ...(app.code?.sdks.removed ?? [])].flatMap((sdk) => [sdk.id, sdk.name]),
    ...[...(app.code?.hosts.added ?? []), ...(app.code?.hosts.removed ?? [])].map((host) => host.host),
  ];
}

/**
 * Whether anything a reviewer reads changed, beyond the APK's bytes: most apps of a new build are
 * rebuilt without any such change, and those are listed compactly instead.
 */
export function hasVisibleChanges(app: AppChange): boolean {
  return (
    app.path.old !== app.path.new ||
    app.versionCode !== undefined ||
    app.versionName !== undefined ||
    app.targetSdkVersion !== undefined ||
    app.signers !== undefined ||
    app.signing !== undefined ||
    app.usesPermissions.added.length + app.usesPermissions.removed.length > 0 ||
    app.permissions.added.length + app.permissions.removed.length + app.permissions.changed.length > 0 ||
    app.components.added.length + app.components.removed.length + app.components.changed.length > 0 ||
    app.preferences.added.length + app.preferences.removed.length + app.preferences.changed.length > 0 ||
    app.code !== undefined
  );
}

/** `1.2 (12)`: the version name and code as Android shows them, or words when neither is known. */
export function describeVersion(name: string | null | undefined, code: number | null | undefined): string {
  const hasName = name !== null && name !== undefined && name !== '';
  const hasCode = code !== null && code !== undefined;
  if (hasName && hasCode) return `${name} (${code})`;
  if (hasName) return name;
  if (hasCode) return `code ${code}`;
  return 'no version';
}
