import { formatTypedValue } from './typedValue.js';
import type { ResourceResolver } from './arsc/index.js';

/** A resource of the app's own package in the default configuration, resolved to text. */
export interface NamedResourceValue {
  type: string;
  /** Resolved value as text; null when it cannot be resolved (a framework reference, a bag). */
  value: string | null;
}

/**
 * Every resource of the app's own package in the default configuration (`bool/def_x` → `true`),
 * references followed. SettingsProvider keeps its defaults this way; overlays replace them by name.
 * `accept` picks the names wanted (e.g. `def_*`).
 */
export function defaultConfigValues(resolver: ResourceResolver, accept: (name: string) => boolean): Map<string, NamedResourceValue> {
  const values = new Map<string, NamedResourceValue>();
  const own = resolver.ownPackage;
  if (own === undefined) return values;
  for (const type of own.types.values()) {
    for (const chunk of type.configs) {
      if (chunk.config.qualifiers !== '') continue;
      for (const entry of chunk.entries()) {
        if (!accept(entry.key) || values.has(entry.key)) continue;
        let value: string | null = null;
        if (entry.value !== undefined) {
          const resolved = resolver.resolveValue(entry.value);
          value = resolved.unresolved === undefined && resolved.bag === undefined ? formatTypedValue(resolved.value) : null;
        }
        values.set(entry.key, { type: type.name, value });
      }
    }
  }
  return values;
}
