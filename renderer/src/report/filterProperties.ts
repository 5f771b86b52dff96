import type { PropertyChange } from '../../../shared/model.js';

/** Case-insensitive match on the name or either value; an empty query keeps everything. */
export function filterProperties(changes: readonly PropertyChange[], query: string): PropertyChange[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [...changes];
  return changes.filter((change) =>
    [change.name, change.old, change.new].some((text) => text !== null && text.toLowerCase().includes(needle)),
  );
}
