import { compareStrings } from '../../../shared/sort.js';

/**
 * build.prop / prop.default syntax as Android's init reads it (`LoadProperties` in
 * system/core/init property_service.cpp): one `name=value` per line, blanks trimmed around both,
 * `#` comment lines, and `import FILE [FILTER]` lines naming another file to load at that point
 * (only the names FILTER allows: `ro.foo.*` a prefix, `ro.foo.bar` one name). Inside a file loaded
 * through a filter, `import` lines are not imports (init only follows them when no filter is set).
 */
export interface PropertyDefinition {
  name: string;
  value: string;
  /** 1-based line number, so evidence can point at it. */
  line: number;
}

/** An `import` line: the file as written (before `${…}` expansion) and its filter, if any. */
export interface PropertyImport {
  path: string;
  filter: string | null;
  line: number;
}

export type PropertyEntry = ({ kind: 'definition' } & PropertyDefinition) | ({ kind: 'import' } & PropertyImport);

export interface PropertyFile {
  /** Effective value per name (the last definition wins). */
  values: Map<string, string>;
  /** Every definition in file order, including ones later overridden. */
  definitions: PropertyDefinition[];
  /** The `import` lines (followed by the property layering, not here). */
  imports: PropertyImport[];
  /** Definitions and imports in file order. */
  entries: PropertyEntry[];
}

const IMPORT = 'import ';

/** Parses a property file; with `filter`, only the names it allows are kept and imports are not recognised. */
export function parsePropertyFile(text: string, filter: string | null = null): PropertyFile {
  const values = new Map<string, string>();
  const definitions: PropertyDefinition[] = [];
  const imports: PropertyImport[] = [];
  const entries: PropertyEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (filter === null && line.startsWith(IMPORT)) {
      const rest = line.slice(IMPORT.length).trimStart();
      const space = rest.indexOf(' ');
      const entry = { path: space === -1 ? rest : rest.slice(0, space), filter: space === -1 ? null : rest.slice(space + 1).trimStart(), line: index + 1 };
      imports.push(entry);
      entries.push({ kind: 'import', ...entry });
      return;
    }
    const equals = line.indexOf('=');
    if (equals === -1) return;
    const name = line.slice(0, equals).trimEnd();
    const value = line.slice(equals + 1).trimStart();
    if (name === '' || !passesFilter(name, filter)) return;
    values.set(name, value);
    const definition = { name, value, line: index + 1 };
    definitions.push(definition);
    entries.push({ kind: 'definition', ...definition });
  });
  return { values, definitions, imports, entries };
}

/** init's filter: none allows all, `prefix*` a prefix, anything else one exact name. */
function passesFilter(name: string, filter: string | null): boolean {
  if (filter === null || filter === '') return true;
  return filter.endsWith('*') ? name.startsWith(filter.slice(0, -1)) : name === filter;
}

/** `META-INF/com/android/metadata`: `key=value` lines written by ota_from_target_files. */
export function parseOtaMetadata(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    result[line.slice(0, equals).trim()] = line.slice(equals + 1).trim();
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => compareStrings(a, b)));
}
