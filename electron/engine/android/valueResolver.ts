import { isReference, ValueType, formatTypedValue, type TypedValue } from './typedValue.js';

/** A value as the app sees it in the default configuration, and where it came from. */
export interface ResolvedValue {
  /** The final value after following references. */
  value: TypedValue;
  /** The first resource referenced, e.g. `@bool/def_cloud_messaging`; null for a literal. */
  resourceName: string | null;
}

/**
 * What the manifest and preference readers need from resources.arsc: turning references into
 * values in the default configuration, and naming resources. Implemented over the APK's resource
 * table (resourceLookup.ts); a table-less APK uses LITERAL_ONLY.
 */
export interface ValueResolver {
  /** Follows a reference chain; a value that is no reference comes back as it is. */
  resolve(value: TypedValue): ResolvedValue;
  /** `@type/name` for a resource ID, when the table knows it. */
  nameOf(resourceId: number): string | undefined;
}

export const LITERAL_ONLY: ValueResolver = {
  resolve: (value) => ({ value, resourceName: null }),
  nameOf: () => undefined,
};

/** The value as text after resolving (`true`, `15`, a string), or null for @null / an unresolved reference. */
export function resolvedText(resolver: ValueResolver, value: TypedValue | undefined): string | null {
  if (value === undefined) return null;
  const resolved = resolver.resolve(value).value;
  if (resolved.type === ValueType.NULL) return null;
  if (isReference(resolved)) return formatTypedValue(resolved, { resolveReference: (id) => resolver.nameOf(id) });
  return formatTypedValue(resolved);
}

/** An integer value (versionCode, priority, sdk levels); null when absent or not a number. */
export function resolvedInteger(resolver: ValueResolver, value: TypedValue | undefined): number | null {
  if (value === undefined) return null;
  const resolved = resolver.resolve(value).value;
  if (resolved.type === ValueType.INT_DEC || resolved.type === ValueType.INT_HEX) return resolved.data | 0;
  if (resolved.type === ValueType.STRING && /^-?\d+$/.test(resolved.string ?? '')) return Number(resolved.string);
  return null;
}

/** A boolean attribute, or `fallback` when absent or not a boolean. */
export function resolvedBoolean(resolver: ValueResolver, value: TypedValue | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const resolved = resolver.resolve(value).value;
  if (resolved.type === ValueType.INT_BOOLEAN) return resolved.data !== 0;
  if (resolved.type === ValueType.STRING) return resolved.string === 'true' ? true : resolved.string === 'false' ? false : fallback;
  return fallback;
}
