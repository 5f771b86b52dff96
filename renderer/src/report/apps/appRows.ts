import type { AppSigning } from '../../../../shared/app.js';
import type { AppChange, AppDiff, AppProfile, AppRef, CodeFinding } from '../../../../shared/appDiff.js';
import { countOf } from '../../text/format.js';
import type { ChangeKind } from '../changeKind.js';
import { describeVersion, hasVisibleChanges, searchTextOfChange } from './appFilter.js';
import { isDangerousLevel, protectionLevels, type ProtectionLevelLookup } from './platformPermissions.js';

/** One row of the apps table: an added, removed or changed app, with what a reviewer scans for. */
export interface AppRow {
  kind: ChangeKind;
  package: string;
  label: string | null;
  /** Where the APK sits; one partition when both sides agree. */
  partitions: string[];
  version: { old: string | null; new: string | null };
  /** Sorts versions: the version code (name when there is none) of the new side, the old side's for a removed app; '' when neither. */
  versionKey: number | string;
  /** Requested permissions the new build adds (every one, for an added app) and drops. */
  permissionsAdded: string[];
  permissionsRemoved: string[];
  /** How many of the added ones users must grant at run time, as the new build declares them. */
  dangerousAdded: number;
  /** Other changes in a few words: `signer`, `2 components`, `1 preference default`. */
  otherChanges: string[];
  /** A changed app whose APK differs but nothing a reviewer reads does. */
  onlyRebuilt: boolean;
  /** The new build brings the app a tracker SDK (a changed app gained one, or an added app carries one). */
  gainedTracker: boolean;
  /** The new build's app names a server the old one did not (every server, for an added app). */
  newServer: boolean;
  /** Lower-case text the filter searches. */
  searchText: string;
}

function refRow(kind: 'added' | 'removed', app: AppRef, profile: AppProfile | undefined, levels: ProtectionLevelLookup, finding: CodeFinding | undefined): AppRow {
  const permissions = (profile?.usesPermissions ?? []).map((permission) => permission.name);
  const code = profile?.code ?? null;
  const version = describeVersion(app.versionName, app.versionCode);
  return {
    kind,
    package: app.package,
    label: app.label,
    partitions: [app.partition],
    version: kind === 'added' ? { old: null, new: version } : { old: version, new: null },
    versionKey: app.versionCode ?? app.versionName ?? '',
    permissionsAdded: kind === 'added' ? permissions : [],
    permissionsRemoved: kind === 'removed' ? permissions : [],
    dangerousAdded: kind === 'added' ? permissions.filter((name) => isDangerousLevel(levels(name))).length : 0,
    otherChanges: [],
    onlyRebuilt: false,
    gainedTracker: (finding?.trackersAdded.length ?? 0) > 0,
    newServer: (finding?.hostsAdded.length ?? 0) > 0,
    searchText: [app.package, app.label ?? '', app.path, app.versionName ?? '', ...permissions, ...(code?.sdks ?? []).flatMap((sdk) => [sdk.id, sdk.name]), ...(code?.hosts ?? []).map((host) => host.host)]
      .join('\n')
      .toLowerCase(),
  };
}

function counted(count: number, noun: string): string | null {
  return count === 0 ? null : countOf(count, noun);
}

/** The signing change in a word or two: what the new build's app is now. */
function signingWord(signing: AppSigning): string {
  if (signing.testKeys.length > 0) return 'public test key';
  if (!signing.verified) return 'signatures do not verify';
  return signing.platformSigned === true ? 'platform key' : 'signatures';
}

function otherChangesOf(app: AppChange): string[] {
  const parts = [
    app.path.old === app.path.new ? null : 'moved',
    app.signers === undefined ? null : 'signer',
    app.signing === undefined ? null : signingWord(app.signing.new),
    app.targetSdkVersion === undefined ? null : 'target SDK',
    counted(app.permissions.added.length + app.permissions.removed.length + app.permissions.changed.length, 'declared permission'),
    counted(app.components.added.length + app.components.removed.length + app.components.changed.length, 'component'),
    counted(app.preferences.added.length + app.preferences.removed.length + app.preferences.changed.length, 'preference default'),
    counted((app.code?.sdks.added.length ?? 0) + (app.code?.sdks.removed.length ?? 0), 'SDK'),
    counted((app.code?.hosts.added.length ?? 0) + (app.code?.hosts.removed.length ?? 0), 'server'),
    app.code?.status === undefined ? null : 'code status',
  ];
  return parts.filter((part): part is string => part !== null);
}

function changeRow(app: AppChange, oldProfile: AppProfile | undefined, newProfile: AppProfile | undefined, levels: ProtectionLevelLookup, finding: CodeFinding | undefined): AppRow {
  const versionOf = (profile: AppProfile | undefined) => (profile === undefined ? null : describeVersion(profile.versionName, profile.versionCode));
  return {
    kind: 'changed',
    package: app.package,
    label: app.label,
    partitions: [...new Set([app.partition.old, app.partition.new])],
    version: { old: versionOf(oldProfile), new: versionOf(newProfile) },
    versionKey: newProfile?.versionCode ?? newProfile?.versionName ?? '',
    permissionsAdded: app.usesPermissions.added,
    permissionsRemoved: app.usesPermissions.removed,
    dangerousAdded: app.usesPermissions.added.filter((name) => isDangerousLevel(levels(name))).length,
    otherChanges: otherChangesOf(app),
    onlyRebuilt: !hasVisibleChanges(app),
    gainedTracker: (finding?.trackersAdded.length ?? 0) > 0,
    newServer: (finding?.hostsAdded.length ?? 0) > 0,
    searchText: searchTextOfChange(app).join('\n').toLowerCase(),
  };
}

/** Every app the builds differ in, as rows: added and removed apps, then changed ones. */
export function appRows(apps: AppDiff): AppRow[] {
  const oldProfiles = profilesByPackage(apps.profiles.old);
  const newProfiles = profilesByPackage(apps.profiles.new);
  const oldLevels = protectionLevels(apps.permissionDeclarations.old);
  const newLevels = protectionLevels(apps.permissionDeclarations.new);
  const findings = new Map((apps.codeFindings ?? []).map((finding) => [finding.package, finding]));
  return [
    ...apps.added.map((app) => refRow('added', app, newProfiles.get(app.package), newLevels, findings.get(app.package))),
    ...apps.removed.map((app) => refRow('removed', app, oldProfiles.get(app.package), oldLevels, undefined)),
    ...apps.changed.map((app) => changeRow(app, oldProfiles.get(app.package), newProfiles.get(app.package), newLevels, findings.get(app.package))),
  ];
}

export function profilesByPackage(profiles: readonly AppProfile[]): Map<string, AppProfile> {
  return new Map(profiles.map((profile) => [profile.package, profile]));
}

export type AppSortKey = 'kind' | 'package' | 'label' | 'partition' | 'version' | 'permissions';

export interface AppSort {
  key: AppSortKey;
  ascending: boolean;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const KIND_ORDER: Record<ChangeKind, string> = { added: '1', removed: '2', changed: '3' };

/** Text to compare, or a number; '' sorts last in either direction. */
function sortValue(row: AppRow, key: AppSortKey): string | number {
  switch (key) {
    case 'kind':
      return KIND_ORDER[row.kind];
    case 'package':
      return row.package;
    case 'label':
      return row.label ?? '';
    case 'partition':
      return row.partitions.join(', ');
    case 'version':
      return row.versionKey;
    case 'permissions':
      return row.permissionsAdded.length + row.permissionsRemoved.length;
  }
}

/** A sorted copy; missing labels and versions sort last either way, ties fall back to the package name. */
export function sortAppRows(rows: readonly AppRow[], sort: AppSort): AppRow[] {
  const direction = sort.ascending ? 1 : -1;
  const byPackage = (a: AppRow, b: AppRow) => collator.compare(a.package, b.package);
  return [...rows].sort((a, b) => {
    const left = sortValue(a, sort.key);
    const right = sortValue(b, sort.key);
    if (left === '' || right === '') return Number(left === '') - Number(right === '') || byPackage(a, b);
    const order = typeof left === 'number' && typeof right === 'number' ? left - right : collator.compare(String(left), String(right));
    return direction * order || byPackage(a, b);
  });
}

export type KindFilter = ChangeKind | 'all';

/** Apps by what the new build brings their code: anything, a tracker, a server. */
export type CodeFilter = 'all' | 'tracker' | 'server';

export interface AppRowFilter {
  query: string;
  kind: KindFilter;
  /** Include changed apps that were only rebuilt. */
  includeRebuilt: boolean;
  /** Only apps that gained a tracker or a server (default: all). */
  code?: CodeFilter;
}

/** Every typed word must appear (case-insensitive) in the row's package, label, paths or permissions. */
export function filterAppRows(rows: readonly AppRow[], filter: AppRowFilter): AppRow[] {
  const words = filter.query.toLowerCase().split(/\s+/).filter((word) => word !== '');
  return rows.filter(
    (row) =>
      (filter.kind === 'all' || row.kind === filter.kind) &&
      (filter.includeRebuilt || !row.onlyRebuilt) &&
      (filter.code === undefined || filter.code === 'all' || (filter.code === 'tracker' ? row.gainedTracker : row.newServer)) &&
      words.every((word) => row.searchText.includes(word)),
  );
}
