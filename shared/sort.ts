/** Code-unit order: stable across locales and machines, so output never depends on where it ran. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of `items` sorted by a string key, in code-unit order (each key computed once). */
export function sortByKey<T>(items: Iterable<T>, key: (item: T) => string): T[] {
  const keyed = Array.from(items, (item) => ({ item, key: key(item) }));
  keyed.sort((a, b) => compareStrings(a.key, b.key));
  return keyed.map((entry) => entry.item);
}
