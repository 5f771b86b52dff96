import { compareStrings } from '../../../shared/sort.js';

/**
 * build.prop / prop.default syntax as Android's init reads it (property_service.cpp): one
 * `name=value` per line, leading/trailing blanks trimmed around both, `#` comment lines, `import`
 * lines naming other files. A later definition of the same name replaces the earlier one.
 */
export interface PropertyDefinition {
  name: string;
  value: string;
  /** 1-based line number, so evidence can point at it. */
  line: number;
}

export interface PropertyFile {
  /** Effective value per name (the last definition wins). */
  values: Map<string, string>;
  /** Every definition in file order, including ones later overridden. */
  definitions: PropertyDefinition[];
  /** Files named by `import` lines (not followed here). */
  imports: string[];
}

export function parsePropertyFile(text: string): PropertyFile {
  const values = new Map<string, string>();
  const definitions: PropertyDefinition[] = [];
  const imports: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const importMatch = /^import\s+(\S.*)$/.exec(line);
    if (importMatch?.[1] !== undefined && !line.includes('=')) {
      imports.push(importMatch[1].trim());
      return;
    }
    const equals = line.indexOf('=');
    if (equals <= 0) return;
    const name = line.slice(0, equals).trim();
    const value = line.slice(equals + 1).trim();
    if (name === '') return;
    values.set(name, value);
    definitions.push({ name, value, line: index + 1 });
  });
  return { values, definitions, imports };
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
