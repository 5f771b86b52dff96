// Independent DEX oracles: AOSP's dexdump (Debian package dexdump) for the header and the classes,
// smali's baksmali (libsmali-java) for the string pool. A missing tool fails the test loudly.
import { toolOutput } from './oracles.js';

const run = (command: string, args: string[]): string => toolOutput(command, args).toString('utf8');

/** Class descriptors in class_defs order, as dexdump prints them. */
export function dexdumpClasses(dexPath: string): string[] {
  return [...run('dexdump', [dexPath]).matchAll(/^ {2}Class descriptor {2}: '([^']+)'$/gm)].map((match) => match[1] as string);
}

/** The header fields `dexdump -f` prints, e.g. `string_ids_size` → `10`, `magic` → `'dex\n035\0'`. */
export function dexdumpHeader(dexPath: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const match of run('dexdump', ['-f', dexPath]).matchAll(/^([a-z_]+)\s+: (.*)$/gm)) fields.set(match[1] as string, (match[2] as string).trim());
  return fields;
}

/** Every string of the pool, in index order, as baksmali lists them (its Java escapes undone). */
export function baksmaliStrings(dexPath: string): string[] {
  const lines = run('baksmali', ['list', 'strings', dexPath]).split('\n').filter((line) => line !== '');
  return lines.map((line) => {
    if (!line.startsWith('"') || !line.endsWith('"')) throw new Error(`baksmali printed an unexpected line: ${line}`);
    return line.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_match, escape: string) => {
      if (escape.length === 5) return String.fromCharCode(Number.parseInt(escape.slice(1), 16));
      return { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }[escape] ?? escape;
    });
  });
}
