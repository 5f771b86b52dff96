/**
 * JAR manifests (`META-INF/MANIFEST.MF`) and signature files (`*.SF`) the way apksig's
 * ManifestParser reads them: sections separated by empty lines, `Name: value` attributes, lines
 * starting with a space continuing the previous one, each section's byte range kept because the
 * signature file signs those exact bytes. And which of a section's digests Android checks.
 */
import { createHash } from 'node:crypto';

export interface ManifestSection {
  /** Byte offset of the section's first line. */
  start: number;
  /** Bytes from `start` up to and including the empty line that ends it (or the end of the file). */
  size: number;
  /** The `Name` attribute's value when it is the first attribute, as in per-entry sections. */
  name: string | null;
  attributes: { name: string; value: string }[];
}

export interface Manifest {
  /** The main section; null for an empty file. */
  main: ManifestSection | null;
  /** The per-entry sections, in order. */
  sections: ManifestSection[];
}

export function attributeValue(section: ManifestSection, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return section.attributes.find((attribute) => attribute.name.toLowerCase() === wanted)?.value;
}

interface Line {
  start: number;
  /** Offset just past the line's end-of-line characters. */
  next: number;
  text: Buffer;
}

function* lines(bytes: Buffer): Generator<Line> {
  let start = 0;
  while (start < bytes.length) {
    let end = start;
    while (end < bytes.length && bytes[end] !== 0x0a && bytes[end] !== 0x0d) end++;
    let next = end;
    if (bytes[next] === 0x0d) next++;
    if (next === end + 1 && bytes[end] === 0x0d && bytes[next] === 0x0a) next++;
    else if (next === end && bytes[next] === 0x0a) next++;
    yield { start, next, text: bytes.subarray(start, end) };
    start = next;
  }
}

export function parseManifest(bytes: Buffer): Manifest {
  const sections: ManifestSection[] = [];
  let current: { start: number; attributes: Buffer[] } | null = null;
  const close = (end: number): void => {
    if (current === null) return;
    const attributes = current.attributes.map(parseAttribute);
    const first = attributes[0];
    sections.push({ start: current.start, size: end - current.start, name: first !== undefined && first.name.toLowerCase() === 'name' ? first.value : null, attributes });
    current = null;
  };
  for (const line of lines(bytes)) {
    if (line.text.length === 0) {
      close(line.next);
      continue;
    }
    if (current === null) current = { start: line.start, attributes: [] };
    const previous = current.attributes.at(-1);
    if (line.text[0] === 0x20 && previous !== undefined) current.attributes[current.attributes.length - 1] = Buffer.concat([previous, line.text.subarray(1)]);
    else current.attributes.push(line.text);
  }
  close(bytes.length);
  const [main = null, ...rest] = sections;
  return { main, sections: rest };
}

/** `Name: value` split at the first `: `; a line without one is a name with an empty value. */
function parseAttribute(line: Buffer): { name: string; value: string } {
  const text = line.toString('utf8');
  const colon = text.indexOf(': ');
  return colon < 0 ? { name: text, value: '' } : { name: text.slice(0, colon), value: text.slice(colon + 2) };
}

/** A digest a section states: Node's hash name and the expected bytes. */
export interface NamedDigest {
  hash: string;
  /** JCA's name, as messages print it. */
  name: string;
  expected: Buffer;
}

const JB_MR2 = 18;
const GINGERBREAD = 9;
/** Digest names Android accepts in manifests → [Node hash, JCA name, first API level that reads it]. */
const DIGESTS = new Map<string, [string, string, number]>([
  ['MD5', ['md5', 'MD5', 0]],
  ['SHA', ['sha1', 'SHA-1', 0]],
  ['SHA1', ['sha1', 'SHA-1', 0]],
  ['SHA-1', ['sha1', 'SHA-1', 0]],
  ['SHA-256', ['sha256', 'SHA-256', 0]],
  ['SHA-384', ['sha384', 'SHA-384', GINGERBREAD]],
  ['SHA-512', ['sha512', 'SHA-512', GINGERBREAD]],
]);
const NEWER_DIGESTS: [string, string][] = [
  ['SHA-512', 'SHA-512'],
  ['SHA-384', 'SHA-384'],
  ['SHA-256', 'SHA-256'],
  ['SHA1', 'SHA-1'],
];

/**
 * The digests of `section` (attributes named `<alg><suffix>`) that Android checks somewhere in
 * [minSdk, ∞) (apksig's getDigestsToVerify): before API 18 the first one the `Digest-Algorithms`
 * list (default `SHA SHA1`) names, from API 18 the strongest present. Empty when none is usable.
 */
export function digestsToVerify(section: ManifestSection, suffix: string, minSdk: number): NamedDigest[] {
  const result: NamedDigest[] = [];
  if (minSdk < JB_MR2) {
    const listed = (attributeValue(section, 'Digest-Algorithms') ?? 'SHA SHA1').split(/\s+/).filter((token) => token !== '');
    for (const algorithm of listed) {
      const value = attributeValue(section, `${algorithm}${suffix}`);
      const known = DIGESTS.get(algorithm.toUpperCase());
      if (value === undefined || known === undefined || known[2] > minSdk) continue;
      result.push({ hash: known[0], name: known[1], expected: Buffer.from(value, 'base64') });
      break;
    }
    if (result.length === 0) return result;
  }
  for (const [prefix, name] of NEWER_DIGESTS) {
    const value = attributeValue(section, `${prefix}${suffix}`);
    if (value === undefined) continue;
    const expected = Buffer.from(value, 'base64');
    const same = result.find((digest) => digest.name === name);
    if (same === undefined || !same.expected.equals(expected)) result.push({ hash: DIGESTS.get(name)?.[0] ?? 'sha1', name, expected });
    break;
  }
  return result;
}

/** The first digest that does not match `bytes`, or undefined when all do. */
export function mismatchedDigest(digests: readonly NamedDigest[], bytes: Buffer): NamedDigest | undefined {
  return digests.find((digest) => !createHash(digest.hash).update(bytes).digest().equals(digest.expected));
}
