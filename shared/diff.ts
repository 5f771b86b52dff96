import type { FileDiff, FileEntry, PropertyChange, PropertyDiff } from './model.js';
import { compareStrings } from './sort.js';

/** Added, removed and changed properties, each list sorted by name. */
export function diffProperties(oldValues: Readonly<Record<string, string>>, newValues: Readonly<Record<string, string>>): PropertyDiff {
  const result: PropertyDiff = { added: [], removed: [], changed: [] };
  const names = new Set([...Object.keys(oldValues), ...Object.keys(newValues)]);
  for (const name of [...names].sort(compareStrings)) {
    const change: PropertyChange = { name, old: ownValue(oldValues, name), new: ownValue(newValues, name) };
    if (change.old === null) result.added.push(change);
    else if (change.new === null) result.removed.push(change);
    else if (change.old !== change.new) result.changed.push(change);
  }
  return result;
}

function ownValue(values: Readonly<Record<string, string>>, name: string): string | null {
  return Object.hasOwn(values, name) ? (values[name] ?? null) : null;
}

/**
 * Files and symlinks added, removed or changed (content hash, type or link target). Directories
 * are implied by their contents and not listed. A file whose content could not be read on either
 * side (sha256 null) is only called changed when its size differs; the read problem is reported
 * separately.
 */
export function diffFiles(oldFiles: readonly FileEntry[], newFiles: readonly FileEntry[]): FileDiff {
  const oldByPath = new Map(oldFiles.filter(isListed).map((entry) => [entry.path, entry]));
  const newByPath = new Map(newFiles.filter(isListed).map((entry) => [entry.path, entry]));
  const result: FileDiff = { added: [], removed: [], changed: [] };
  for (const [path, entry] of newByPath) {
    const before = oldByPath.get(path);
    if (before === undefined) result.added.push(path);
    else if (entryChanged(before, entry)) result.changed.push(path);
  }
  for (const path of oldByPath.keys()) if (!newByPath.has(path)) result.removed.push(path);
  result.added.sort(compareStrings);
  result.removed.sort(compareStrings);
  result.changed.sort(compareStrings);
  return result;
}

function isListed(entry: FileEntry): boolean {
  return entry.type !== 'directory';
}

function entryChanged(before: FileEntry, after: FileEntry): boolean {
  if (before.type !== after.type) return true;
  if (before.type === 'symlink') return before.target !== after.target;
  if (before.size !== after.size) return true;
  if (before.sha256 === null || after.sha256 === null) return false;
  return before.sha256 !== after.sha256;
}

