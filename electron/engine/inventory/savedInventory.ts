/**
 * Saved inventories: the whole record of one build (`otalens inventory PKG --json -o FILE`), as
 * canonical JSON, optionally compressed (`.gz`, `.zst`), so `compare` and `timeline` read each
 * package once. A saved inventory is recognised by its content: JSON (an object), plain or inside
 * gzip or zstd; a name ending `.json`, `.json.gz` or `.json.zst` is taken for one whatever it holds.
 */
import { stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import { toCanonicalJson } from '../../../shared/canonicalJson.js';
import type { PackageInventory, SavedInventory } from '../../../shared/inventory.js';
import { SCHEMA_VERSION } from '../../../shared/model.js';
import { sortByKey } from '../../../shared/sort.js';
import { InputError } from '../errors.js';
import { decodeZstd, encodeZstd } from '../codecs/zstd.js';
import { FileByteSource, type ByteSource } from '../io/byteSource.js';
import { compressionOf, MAGIC_BYTES } from '../io/compression.js';
import { decodeStream } from '../io/streamDecoding.js';
import { buildInventory, type InventoryOptions, type InventoryResult } from './buildInventory.js';

/** How a saved inventory's bytes are stored. */
export type InventoryEncoding = 'json' | 'gzip' | 'zstd';

/** Decoded JSON text read at most: V8 strings end a little past 512 MiB. */
export const SAVED_INVENTORY_LIMIT = 500 * 2 ** 20;
const NAMED_INVENTORY = /\.json(\.(gz|zst))?$/i;
const LAYER = 'saved inventory';
/** zstd level for `.zst`: most of level 19's size in a fraction of its time. */
const ZSTD_LEVEL = 12;

/** The encoding a file's name asks for when writing: `.gz`, `.zst`, else plain JSON. */
export function encodingForName(path: string): InventoryEncoding {
  if (/\.gz$/i.test(path)) return 'gzip';
  if (/\.zst$/i.test(path)) return 'zstd';
  return 'json';
}

/** A map of texts as a JSON object, keys sorted. */
function textRecord(texts: ReadonlyMap<string, string>): Record<string, string> {
  return Object.fromEntries(sortByKey(texts, ([path]) => path));
}

/**
 * The record `inventory --json` writes: the inventory, the texts and the evidence texts, keys
 * sorted, one final newline.
 */
export function savedInventoryJson(result: InventoryResult): string {
  const saved: SavedInventory = { ...result.inventory, texts: textRecord(result.texts), evidenceTexts: textRecord(result.evidenceTexts ?? new Map()) };
  return toCanonicalJson(saved);
}

export function encodeSavedInventory(json: string, encoding: InventoryEncoding): Buffer {
  const bytes = Buffer.from(json, 'utf8');
  switch (encoding) {
    case 'json':
      return bytes;
    case 'gzip':
      return gzipSync(bytes, { level: zlibConstants.Z_BEST_COMPRESSION });
    case 'zstd':
      return encodeZstd(bytes, ZSTD_LEVEL);
  }
}

export async function writeSavedInventory(path: string, result: InventoryResult): Promise<void> {
  await writeFile(path, encodeSavedInventory(savedInventoryJson(result), encodingForName(path)));
}

/** The first non-blank character of decoded bytes. */
function firstCharacter(bytes: Buffer): string {
  return /^\s*(\S)/.exec(bytes.toString('latin1'))?.[1] ?? '';
}

/**
 * How the file at `path` holds a saved inventory, or null when it is no saved inventory (a package,
 * a folder). Reads a few bytes, and for a compressed file its first decoded chunk.
 */
export async function savedInventoryEncoding(path: string): Promise<InventoryEncoding | null> {
  const stats = await stat(path).catch(() => null);
  if (stats === null || !stats.isFile()) return null;
  const named = NAMED_INVENTORY.test(path);
  const source = await FileByteSource.open(path, basename(path));
  try {
    const head = await source.read(0, Math.min(MAGIC_BYTES, source.size));
    const compression = compressionOf(head, source.name);
    if (compression === null) return named || firstCharacter(head) === '{' ? 'json' : null;
    if (compression !== 'gzip' && compression !== 'zstd') return null;
    if (named) return compression;
    try {
      for await (const chunk of decodeStream(source, compression)) return firstCharacter(chunk) === '{' ? compression : null;
    } catch {
      return null;
    }
    return null;
  } finally {
    await source.close();
  }
}

/**
 * The JSON text, decoded in one go (a saved inventory compresses twenty to thirty times, so the
 * compressed bytes are small), never past SAVED_INVENTORY_LIMIT: gzip by zlib, zstd natively when
 * its frames state their size (OTA Lens writes them so) and else by the bounded streaming decoder.
 */
async function decodedText(source: ByteSource, encoding: InventoryEncoding): Promise<string> {
  const fail = (problem: string): never => {
    throw new InputError(problem, { file: source.name, format: LAYER, expected: `at most ${SAVED_INVENTORY_LIMIT} bytes of JSON` });
  };
  if (source.size > SAVED_INVENTORY_LIMIT) fail(`${source.size} bytes`);
  const bytes = await source.read(0, source.size);
  try {
    switch (encoding) {
      case 'json':
        return bytes.toString('utf8');
      case 'gzip':
        return gunzipSync(bytes, { maxOutputLength: SAVED_INVENTORY_LIMIT }).toString('utf8');
      case 'zstd':
        return (await decodeZstd(bytes, SAVED_INVENTORY_LIMIT)).toString('utf8');
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') return fail(`decodes to more than ${SAVED_INVENTORY_LIMIT} bytes`);
    throw new InputError(`not a whole ${encoding} stream (${error instanceof Error ? error.message : String(error)})`, { file: source.name, format: LAYER, cause: error });
  }
}

/** Each list of a saved inventory, with the text fields every entry has (what the diffs pair and sort by). */
const LIST_ENTRY_TEXTS = {
  apps: ['path', 'partition'],
  properties: ['name', 'value', 'layer'],
  settings: ['name', 'type', 'source'],
  permissionGrants: ['kind', 'package', 'permission', 'file'],
  sysconfig: ['kind', 'file'],
  initServices: ['name', 'command', 'file'],
  flags: ['name', 'source', 'file'],
  files: ['path', 'type'],
  problems: ['path', 'message'],
} as const;
const LISTS = Object.keys(LIST_ENTRY_TEXTS) as (keyof typeof LIST_ENTRY_TEXTS)[];

/** The first entry of the lists that is not of the shape `otalens inventory` writes, as `apps[3]`, or null. */
function malformedEntry(record: Record<string, unknown>): string | null {
  for (const list of LISTS) {
    const entries = record[list] as unknown[];
    const at = entries.findIndex((entry) => {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return true;
      const fields = entry as Record<string, unknown>;
      if (LIST_ENTRY_TEXTS[list].some((field) => typeof fields[field] !== 'string')) return true;
      if (list === 'apps') return fields['app'] !== null && (typeof fields['app'] !== 'object' || typeof (fields['app'] as Record<string, unknown>)['package'] !== 'string');
      return list === 'properties' && !Array.isArray(fields['layers']);
    });
    if (at >= 0) return `${list}[${at}]`;
  }
  return null;
}

/** Proves the parsed JSON is a saved inventory of this schema version, or says what it is not. */
function checkedInventory(data: unknown, file: string): SavedInventory {
  const fail = (problem: string, expected?: string): never => {
    throw new InputError(problem, { file, format: LAYER, ...(expected === undefined ? {} : { expected }) });
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail('the JSON is not an object', 'an inventory written by otalens inventory --json');
  const record = data as Record<string, unknown>;
  if (record['schemaVersion'] !== SCHEMA_VERSION) {
    return fail(
      `schema version ${JSON.stringify(record['schemaVersion'] ?? null)}; this OTA Lens reads saved inventories of schema version ${SCHEMA_VERSION} (write it again with otalens inventory PKG --json -o FILE)`,
    );
  }
  const missing = LISTS.filter((key) => !Array.isArray(record[key]));
  const pkg = record['package'];
  if (typeof pkg !== 'object' || pkg === null || typeof (pkg as Record<string, unknown>)['file'] !== 'string' || !Array.isArray((pkg as Record<string, unknown>)['partitions'])) missing.push('package' as never);
  const isTextRecord = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((text) => typeof text === 'string');
  if (!isTextRecord(record['texts'])) missing.push('texts' as never);
  if (!isTextRecord(record['evidenceTexts'])) missing.push('evidenceTexts' as never);
  if (missing.length > 0) fail(`incomplete: ${missing.join(', ')} missing or not of the right kind`, 'an inventory written by otalens inventory --json');
  const malformed = malformedEntry(record);
  if (malformed !== null) fail(`${malformed} is not an entry of the kind otalens inventory writes`, 'an inventory written by otalens inventory --json');
  return record as unknown as SavedInventory;
}

/** Reads a saved inventory back into what comparing needs; throws InputError naming the file for anything else. */
export async function readSavedInventory(path: string, encoding: InventoryEncoding): Promise<InventoryResult> {
  const source = await FileByteSource.open(path, basename(path));
  let text: string;
  try {
    text = await decodedText(source, encoding);
  } finally {
    await source.close();
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`not valid JSON (${error instanceof Error ? error.message : String(error)})`, { file: source.name, format: LAYER, expected: 'an inventory written by otalens inventory --json' });
  }
  const { texts, evidenceTexts, ...inventory } = checkedInventory(data, source.name);
  return { inventory: inventory as PackageInventory, texts: new Map(Object.entries(texts)), evidenceTexts: new Map(Object.entries(evidenceTexts)) };
}

/** One build's inventory from a package (read now) or from a saved inventory (read back). */
export async function loadBuild(path: string, options: InventoryOptions = {}): Promise<InventoryResult> {
  const encoding = await savedInventoryEncoding(path);
  if (encoding === null) return buildInventory(path, options);
  options.onOpened?.();
  return readSavedInventory(path, encoding);
}
