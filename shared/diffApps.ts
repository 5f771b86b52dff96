/** Apps of two builds matched by package name (wherever the APK sits) and compared field by field. */
import type { ApkSigner, AppComponent, AppModel, AppSigning, PreferenceDefault } from './app.js';
import type { AppChange, AppDiff, AppProfile, AppRef, ComponentChange, PermissionDeclaration, PreferenceChange } from './appDiff.js';
import { codeChange, codeFindings } from './codeDiff.js';
import { pairByKey } from './diff.js';
import { signingFindings } from './signingFindings.js';
import type { InventoryApp } from './inventory.js';
import { compareStrings } from './sort.js';

interface ReadApp {
  entry: InventoryApp;
  app: AppModel;
}

/**
 * One app per package: where a package appears twice (an updated copy in another partition), the
 * higher versionCode wins, then the first path, as the package manager would pick.
 */
export function appsByPackage(apps: readonly InventoryApp[]): ReadApp[] {
  const chosen = new Map<string, ReadApp>();
  for (const entry of [...apps].sort((a, b) => compareStrings(a.path, b.path))) {
    if (entry.app === null) continue;
    const current = chosen.get(entry.app.package);
    if (current === undefined || (entry.app.versionCode ?? 0) > (current.app.versionCode ?? 0)) chosen.set(entry.app.package, { entry, app: entry.app });
  }
  return [...chosen.values()];
}

/**
 * An APK that could not be read on one side is neither added nor removed where the other side has
 * an app at the same path: it is reported as a read problem instead, never as a change it may not be.
 */
export function diffApps(before: readonly InventoryApp[], after: readonly InventoryApp[]): AppDiff {
  const appsBefore = appsByPackage(before);
  const appsAfter = appsByPackage(after);
  const { added, removed, both } = pairByKey(appsBefore, appsAfter, (read) => read.app.package);
  const unreadable = (apps: readonly InventoryApp[]): Set<string> => new Set(apps.filter((entry) => entry.app === null).map((entry) => entry.path));
  const unreadableBefore = unreadable(before);
  const unreadableAfter = unreadable(after);
  const addedApps = added.filter((read) => !unreadableBefore.has(read.entry.path));
  const removedApps = removed.filter((read) => !unreadableAfter.has(read.entry.path));
  // An app whose APK is the same can still have other code: a preopted app's VDEX beside it.
  const changedApps = both.filter(([old, current]) => old.entry.sha256 !== current.entry.sha256 || codeChange(old.app.code, current.app.code) !== undefined);
  const changes = changedApps.map(([old, current]) => appChange(old, current));
  const profiles = {
    old: profilesOf([...removedApps, ...changedApps.map(([old]) => old)]),
    new: profilesOf([...addedApps, ...changedApps.map(([, current]) => current)]),
  };
  return {
    added: addedApps.map(appRef),
    removed: removedApps.map(appRef),
    changed: changes,
    profiles,
    permissionDeclarations: { old: declarationsOf(appsBefore, profiles.old), new: declarationsOf(appsAfter, profiles.new) },
    signingFindings: signingFindings(appsBefore.map(signedApp), appsAfter.map(signedApp), sameSigners),
    codeFindings: codeFindings(
      changedApps.map(([, current], index) => ({ app: current.app, path: current.entry.path, code: changes[index]?.code })),
      addedApps.map((read) => ({ app: read.app, path: read.entry.path })),
    ),
  };
}

/**
 * The declarations, in one build, of the permissions its listed apps ask for. Where several apps
 * declare one name, the platform's (`android`) wins, as the package manager keeps the first
 * definition and the platform is defined first; else the first APK by path.
 */
function declarationsOf(apps: readonly ReadApp[], profiles: readonly AppProfile[]): PermissionDeclaration[] {
  const wanted = new Set(profiles.flatMap((profile) => profile.usesPermissions.map((permission) => permission.name)));
  const declared = new Map<string, PermissionDeclaration>();
  const platformFirst = [...apps].sort((a, b) => Number(b.app.package === 'android') - Number(a.app.package === 'android') || compareStrings(a.entry.path, b.entry.path));
  for (const { app } of platformFirst) {
    for (const permission of app.permissions) {
      if (wanted.has(permission.name) && !declared.has(permission.name)) declared.set(permission.name, { name: permission.name, protectionLevel: permission.protectionLevel, declaredBy: app.package });
    }
  }
  return [...declared.values()].sort((a, b) => compareStrings(a.name, b.name));
}

function signedApp({ entry, app }: ReadApp): { path: string; app: AppModel } {
  return { path: entry.path, app };
}

function profilesOf(apps: readonly ReadApp[]): AppProfile[] {
  return apps.map(appProfile).sort((a, b) => compareStrings(a.package, b.package));
}

function appProfile(read: ReadApp): AppProfile {
  const { app } = read;
  return {
    ...appRef(read),
    minSdkVersion: app.minSdkVersion,
    targetSdkVersion: app.targetSdkVersion,
    sharedUserId: app.sharedUserId,
    usesPermissions: app.usesPermissions,
    permissions: app.permissions,
    application: app.application,
    components: app.components.map(({ type, name, exported, enabled, permission }) => ({ type, name, exported, enabled, permission })),
    signers: app.signers,
    signing: app.signing,
    preferences: app.preferences,
    code: app.code,
  };
}

function appRef({ entry, app }: ReadApp): AppRef {
  return { package: app.package, label: app.label, path: entry.path, partition: entry.partition, versionCode: app.versionCode, versionName: app.versionName };
}

function appChange(old: ReadApp, current: ReadApp): AppChange {
  const change: AppChange = {
    package: current.app.package,
    label: current.app.label ?? old.app.label,
    path: { old: old.entry.path, new: current.entry.path },
    partition: { old: old.entry.partition, new: current.entry.partition },
    sha256: { old: old.entry.sha256, new: current.entry.sha256 },
    usesPermissions: listDiff(
      old.app.usesPermissions.map((permission) => permission.name),
      current.app.usesPermissions.map((permission) => permission.name),
    ),
    permissions: declaredPermissionDiff(old.app, current.app),
    components: componentDiff(old.app.components, current.app.components),
    preferences: preferenceDiff(old.app.preferences, current.app.preferences),
  };
  if (old.app.versionCode !== current.app.versionCode) change.versionCode = { old: old.app.versionCode, new: current.app.versionCode };
  if (old.app.versionName !== current.app.versionName) change.versionName = { old: old.app.versionName, new: current.app.versionName };
  if (old.app.targetSdkVersion !== current.app.targetSdkVersion) change.targetSdkVersion = { old: old.app.targetSdkVersion, new: current.app.targetSdkVersion };
  if (!sameSigners(old.app.signers, current.app.signers)) change.signers = { old: old.app.signers, new: current.app.signers };
  if (!sameSigning(old.app.signing, current.app.signing)) change.signing = { old: old.app.signing, new: current.app.signing };
  const code = codeChange(old.app.code, current.app.code);
  if (code !== undefined) change.code = code;
  return change;
}

function sameSigning(a: AppSigning, b: AppSigning): boolean {
  return a.verified === b.verified && a.platformSigned === b.platformSigned && a.testKeys.join(',') === b.testKeys.join(',');
}

/** Whether two signer lists hold the same set of certificates (schemes aside), as an in-place update needs. */
export function sameSigners(before: readonly ApkSigner[], after: readonly ApkSigner[]): boolean {
  const key = (signers: readonly ApkSigner[]): string => [...new Set(signers.map((signer) => signer.certificateSha256))].sort().join(',');
  return key(before) === key(after);
}

function listDiff(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const { added, removed } = pairByKey(before, after, (name) => name);
  return { added, removed };
}

function declaredPermissionDiff(old: AppModel, current: AppModel): AppChange['permissions'] {
  const { added, removed, both } = pairByKey(old.permissions, current.permissions, (permission) => permission.name);
  return {
    added,
    removed,
    changed: both.filter(([a, b]) => a.protectionLevel !== b.protectionLevel).map(([a, b]) => ({ name: a.name, old: a.protectionLevel, new: b.protectionLevel })),
  };
}

function componentDiff(before: readonly AppComponent[], after: readonly AppComponent[]): AppChange['components'] {
  const { added, removed, both } = pairByKey(before, after, (component) => `${component.type} ${component.name}`);
  const facts = (component: AppComponent): ComponentChange['old'] => ({ exported: component.exported, enabled: component.enabled, permission: component.permission });
  const changed = both
    .filter(([a, b]) => a.exported !== b.exported || a.enabled !== b.enabled || a.permission !== b.permission)
    .map(([a, b]): ComponentChange => ({ type: b.type, name: b.name, old: facts(a), new: facts(b) }));
  return { added, removed, changed };
}

/** Preferences are matched by file and key; a change is a change of the default or of where it comes from. */
function preferenceDiff(before: readonly PreferenceDefault[], after: readonly PreferenceDefault[]): AppChange['preferences'] {
  const { added, removed, both } = pairByKey(before, after, (preference) => `${preference.file} ${preference.key}`);
  const facts = (preference: PreferenceDefault): PreferenceChange['old'] => {
    const picked: PreferenceChange['old'] = { defaultValue: preference.defaultValue, defaultSource: preference.defaultSource, line: preference.line };
    if (preference.defaultResource !== undefined) picked.defaultResource = preference.defaultResource;
    return picked;
  };
  const changed = both
    .filter(([a, b]) => a.defaultValue !== b.defaultValue || a.defaultSource !== b.defaultSource || a.defaultResource !== b.defaultResource)
    .map(([a, b]): PreferenceChange => ({ file: b.file, key: b.key, title: b.title ?? a.title, old: facts(a), new: facts(b) }));
  return { added, removed, changed };
}
