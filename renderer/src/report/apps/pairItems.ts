import type { RowStatus } from '../changeKind.js';

/** One item of an app's list (a permission, a component…) on both sides, null where absent. */
export interface PairedItem<T> {
  key: string;
  old: T | null;
  new: T | null;
  status: RowStatus;
}

const STATUS_ORDER: Record<RowStatus, number> = { added: 0, removed: 1, changed: 2, unchanged: 3 };

/**
 * Matches two lists by key: what a side lacks is added or removed, what differs is changed. A
 * missing side (an app only one build has) counts as an empty list. Changes first, then by key.
 */
export function pairItems<T>(
  oldItems: readonly T[] | null,
  newItems: readonly T[] | null,
  keyOf: (item: T) => string,
  same: (a: T, b: T) => boolean,
): PairedItem<T>[] {
  const byKey = new Map<string, PairedItem<T>>();
  for (const item of oldItems ?? []) byKey.set(keyOf(item), { key: keyOf(item), old: item, new: null, status: 'removed' });
  for (const item of newItems ?? []) {
    const key = keyOf(item);
    const before = byKey.get(key);
    if (before === undefined || before.old === null) byKey.set(key, { key, old: null, new: item, status: 'added' });
    else byKey.set(key, { key, old: before.old, new: item, status: same(before.old, item) ? 'unchanged' : 'changed' });
  }
  return [...byKey.values()].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The value of an item on the side that has it, the new side first. */
export function either<T>(item: PairedItem<T>): T {
  const value = item.new ?? item.old;
  if (value === null) throw new Error(`paired item ${item.key} has no side`);
  return value;
}
