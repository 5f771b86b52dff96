import type { ResourceResolver } from './arsc/index.js';
import { isReference, ValueType, formatTypedValue, type TypedValue } from './typedValue.js';
import type { ValueResolver } from './valueResolver.js';

/** The manifest/preference readers' view of an APK's resource table, in the default configuration. */
export function resourceLookup(resolver: ResourceResolver): ValueResolver {
  const nameOf = (id: number): string | undefined => resolver.nameOf(id);
  return {
    nameOf,
    resolve(value: TypedValue) {
      const resourceName = isReference(value) && value.data !== 0 ? (nameOf(value.data >>> 0) ?? null) : null;
      const resolved = resolver.resolveValue(value);
      if (resolved.bag === undefined) return { value: resolved.value, resourceName };
      // An array default (MultiSelectListPreference): its items as one readable value.
      const items = resolved.bag.items.map((item) => formatTypedValue(resolver.resolveValue(item.value).value, { resolveReference: nameOf }));
      return { value: { type: ValueType.STRING, data: 0, string: `[${items.join(', ')}]` }, resourceName };
    },
  };
}
