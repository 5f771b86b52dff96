import type { PropertyChange } from '../../../shared/model.js';

/** Case-insensitive match on the name, either value or either layer; an empty query keeps everything. */
export function filterProperties(changes: readonly PropertyChange[], query: string): PropertyChange[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [...changes];
  return changes.filter((change) =>
    [change.name, change.old, change.new, change.oldLayer, change.newLayer].some((text) => text !== null && text.toLowerCase().includes(needle)),
  );
}
