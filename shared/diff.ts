/** Differences between two inventories' properties, files, settings and platform configuration. */
import type { GrantDiff, InitServiceDiff, SettingChange, SettingDiff, SysconfigDiff } from './appDiff.js';
import type { InitService, LayeredProperty, PermissionGrant, SettingDefault, SysconfigEntry } from './inventory.js';
import type { FileChange, FileDiff, FileEntry, PropertyChange, PropertyDiff, UnchangedFile } from './model.js';
import { compareStrings, sortByKey } from './sort.js';

/**
 * Pairs items of two lists by key and sorts the outcome: `added`, `removed`, and the pairs present
 * on both sides (for the caller to compare).
 */
export function pairByKey<T>(before: Iterable<T>, after: Iterable<T>, key: (item: T) => string): { added: T[]; removed: T[]; both: [T, T][] } {
  const oldByKey = new Map<string, T>();
  for (const item of before) oldByKey.set(key(item), item);
  const newByKey = new Map<string, T>();
  for (const item of after) newByKey.set(key(item), item);
  const added: T[] = [];
  const both: [T, T][] = [];
  for (const [itemKey, item] of newByKey) {
    const previous = oldByKey.get(itemKey);
    if (previous === undefined) added.push(item);
    else both.push([previous, item]);
  }
  const removed = [...oldByKey].filter(([itemKey]) => !newByKey.has(itemKey)).map(([, item]) => item);
  return {
    added: sortByKey(added, key),
    removed: sortByKey(removed, key),
    both: both.sort(([a], [b]) => compareStrings(key(a), key(b))),
  };
}

/** Effective properties added, removed and changed, each with the layer that sets it. */
export function diffProperties(before: readonly LayeredProperty[], after: readonly LayeredProperty[]): PropertyDiff {
  const { added, removed, both } = pairByKey(before, after, (property) => property.name);
  const change = (old: LayeredProperty | null, current: LayeredProperty | null): PropertyChange => ({
    name: (current ?? old)?.name ?? '',
    old: old?.value ?? null,
    new: current?.value ?? null,
    oldLayer: old?.layer ?? null,
    newLayer: current?.layer ?? null,
  });
  return {
    added: added.map((property) => change(null, property)),
    removed: removed.map((property) => change(property, null)),
    changed: both.filter(([old, current]) => old.value !== current.value).map(([old, current]) => change(old, current)),
  };
}

/**
 * Files, symlinks, device nodes, FIFOs and sockets added, removed or changed (content hash, type,
 * link target or device numbers). Directories are implied by their contents and not listed. A file
 * whose content could not be read on either side (sha256 null) is only called changed when its size
 * differs; the read problem is reported separately.
 */
export function diffFiles(before: readonly FileEntry[], after: readonly FileEntry[]): FileDiff {
  const listed = (entries: readonly FileEntry[]) => entries.filter((entry) => entry.type !== 'directory');
  const { added, removed, both } = pairByKey(listed(before), listed(after), (entry) => entry.path);
  const size = (entry: FileEntry | null): number | null => (entry === null || entry.type !== 'file' ? null : entry.size);
  const change = (old: FileEntry | null, current: FileEntry | null): FileChange => {
    const fileChange: FileChange = {
      path: (current ?? old)?.path ?? '',
      oldSize: size(old),
      newSize: size(current),
      oldSha256: old?.sha256 ?? null,
      newSha256: current?.sha256 ?? null,
    };
    if (old !== null && old.type !== 'file') fileChange.oldType = old.type;
    if (current !== null && current.type !== 'file') fileChange.newType = current.type;
    if (old?.device !== undefined) fileChange.oldDevice = old.device;
    if (current?.device !== undefined) fileChange.newDevice = current.device;
    return fileChange;
  };
  const unchanged = (entry: FileEntry): UnchangedFile => {
    const file: UnchangedFile = { path: entry.path, size: size(entry), sha256: entry.sha256 };
    if (entry.type !== 'file') file.type = entry.type;
    if (entry.device !== undefined) file.device = entry.device;
    return file;
  };
  return {
    added: added.map((entry) => change(null, entry)),
    removed: removed.map((entry) => change(entry, null)),
    changed: both.filter(([old, current]) => entryChanged(old, current)).map(([old, current]) => change(old, current)),
    unchanged: both.filter(([old, current]) => entryUnchanged(old, current)).map(([, current]) => unchanged(current)),
  };
}

/** Known to be the same: a file whose content could not be read on a side is neither changed nor unchanged (it is a problem). */
function entryUnchanged(before: FileEntry, after: FileEntry): boolean {
  if (entryChanged(before, after)) return false;
  return before.type !== 'file' || (before.sha256 !== null && after.sha256 !== null);
}

function entryChanged(before: FileEntry, after: FileEntry): boolean {
  if (before.type !== after.type) return true;
  if (before.type === 'symlink') return before.target !== after.target;
  if (before.device?.major !== after.device?.major || before.device?.minor !== after.device?.minor) return true;
  if (before.size !== after.size) return true;
  if (before.sha256 === null || after.sha256 === null) return false;
  return before.sha256 !== after.sha256;
}

export function diffSettings(before: readonly SettingDefault[], after: readonly SettingDefault[]): SettingDiff {
  const { added, removed, both } = pairByKey(before, after, (setting) => setting.name);
  const change = (old: SettingDefault | null, current: SettingDefault | null): SettingChange => ({
    name: (current ?? old)?.name ?? '',
    type: (current ?? old)?.type ?? '',
    old: old?.value ?? null,
    new: current?.value ?? null,
    oldSource: old?.source ?? null,
    newSource: current?.source ?? null,
  });
  return {
    added: added.map((setting) => change(null, setting)),
    removed: removed.map((setting) => change(setting, null)),
    changed: both.filter(([old, current]) => old.value !== current.value).map(([old, current]) => change(old, current)),
  };
}

/** Grants are compared by what they grant, not where the file sits (a moved file is no change). */
export function diffGrants(before: readonly PermissionGrant[], after: readonly PermissionGrant[]): GrantDiff {
  const key = (grant: PermissionGrant): string => `${grant.kind} ${grant.package} ${grant.permission} ${grant.fixed === true ? 'fixed' : ''}`;
  const { added, removed } = pairByKey(before, after, key);
  return { added, removed };
}

export function diffSysconfig(before: readonly SysconfigEntry[], after: readonly SysconfigEntry[]): SysconfigDiff {
  const key = (entry: SysconfigEntry): string => `${entry.kind} ${entry.package ?? ''} ${entry.name ?? ''}`;
  const { added, removed } = pairByKey(before, after, key);
  return { added, removed };
}

export function diffInitServices(before: readonly InitService[], after: readonly InitService[]): InitServiceDiff {
  const { added, removed, both } = pairByKey(before, after, (service) => service.name);
  const same = (a: InitService, b: InitService): boolean => a.command === b.command && a.options.join('\n') === b.options.join('\n');
  return { added, removed, changed: both.filter(([old, current]) => !same(old, current)).map(([old, current]) => ({ old, new: current })) };
}
