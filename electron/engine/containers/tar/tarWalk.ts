import type { Problem } from '../../../../shared/model.js';
import { InputError } from '../../errors.js';
import { parsePaxRecords } from './paxHeader.js';
import type { TarInput } from './tarInput.js';
import { cString, isZeroBlock, parseTarHeader, TAR_BLOCK, type TarHeader } from './tarHeader.js';

export type TarMemberType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

/** One archive member as the walk found it: where its data lies in the (decompressed) archive. */
export interface TarEntry {
  /** Path without leading `./` or trailing `/`. */
  name: string;
  type: TarMemberType;
  /** Bytes of data stored for this member (0 for directories, links and devices). */
  size: number;
  linkTarget?: string;
  mode: number;
  mtime: number;
  headerOffset: number;
  dataOffset: number;
}

export interface TarWalkResult {
  entries: TarEntry[];
  problems: Problem[];
  /** One past the last byte of member data: the part of the archive members can be read from. */
  dataEnd: number;
}

/** GNU long names and pax headers are small; a larger size field is corruption, not a name. */
const MAX_METADATA_BYTES = 1 << 20;

/** Types whose size field counts data blocks that follow (Python's tarfile reads them the same way). */
const LINK_OR_SPECIAL = new Set(['1', '2', '3', '4', '5', '6']);

/** GNU long name/link and pax headers: their data describes the next member. */
const METADATA_TYPES = new Set(['L', 'K', 'x', 'g']);

interface Overrides {
  path?: string;
  linkPath?: string;
  size?: number;
  /** GNU tar's pax sparse formats: the data is a sparse map plus packed regions, not the file. */
  sparse?: boolean;
}

/**
 * Walks a tar archive front to back: ustar, GNU (`L`/`K` long names) and pax (`x`/`g`: path,
 * linkpath, size) headers, checking every header's checksum. Unsafe names (absolute, `..`) and
 * members whose data cannot be read (sparse, multi-volume) become problems.
 */
export async function walkTar(input: TarInput, file: string, format: string): Promise<TarWalkResult> {
  const entries: TarEntry[] = [];
  const problems: Problem[] = [];
  let global: Overrides = {};
  let local: Overrides = {};
  let dataEnd = 0;
  let offset = 0;

  const readMetadata = async (dataOffset: number, size: number, what: string): Promise<Buffer> => {
    if (size > MAX_METADATA_BYTES) {
      throw new InputError(`${what} of ${size} bytes is larger than the ${MAX_METADATA_BYTES} allowed`, { file, format, offset: dataOffset - TAR_BLOCK });
    }
    const data = await input.read(dataOffset, size);
    if (data.length < size) throw truncated(file, format, dataOffset + data.length, `the rest of a ${what}`);
    return data;
  };

  while (true) {
    const block = await input.read(offset, TAR_BLOCK);
    // An archive may end without its two zero blocks; GNU tar lists it all the same.
    if (block.length === 0) break;
    if (block.length < TAR_BLOCK) throw truncated(file, format, offset + block.length, 'a complete 512-byte header');
    if (isZeroBlock(block)) break;

    const where = { file, format, offset };
    const header = offset === 0 ? firstHeader(block, where) : parseTarHeader(block, where);
    const size = sizeOf(header, local);
    // An old GNU sparse member may carry more of its sparse map in extra blocks before its data.
    const dataOffset = offset + TAR_BLOCK + (header.type === 'S' && block[GNU_SPARSE_EXTENDED] !== 0 ? await sparseExtensionBytes(input, offset + TAR_BLOCK, where) : 0);
    const next = dataOffset + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;

    switch (header.type) {
      case 'L':
        local.path = cString(await readMetadata(dataOffset, size, 'GNU long name'));
        break;
      case 'K':
        local.linkPath = cString(await readMetadata(dataOffset, size, 'GNU long link name'));
        break;
      case 'x':
        local = { ...local, ...overridesOf(parsePaxRecords(await readMetadata(dataOffset, size, 'pax header'), { file, format, offset: dataOffset }), where) };
        break;
      case 'g':
        global = { ...global, ...overridesOf(parsePaxRecords(await readMetadata(dataOffset, size, 'pax global header'), { file, format, offset: dataOffset }), where) };
        break;
      default: {
        if (!(await input.reaches(dataOffset + size))) {
          throw truncated(file, format, dataOffset, `${size} bytes of data for ${JSON.stringify(local.path ?? global.path ?? header.name)}`);
        }
        const entry = toEntry(header, local, global, offset, dataOffset, size, problems);
        if (entry !== null) {
          entries.push(entry);
          dataEnd = Math.max(dataEnd, dataOffset + size);
        }
        local = {};
      }
    }
    offset = next;
  }
  return { entries, problems, dataEnd };
}

const GNU_SPARSE_EXTENDED = 482;
const EXTENSION_FLAG = 504;
/** A corrupt chain of extension blocks must not walk the whole archive one block at a time. */
const MAX_SPARSE_EXTENSIONS = 100_000;

/** Bytes taken by the chain of sparse map extension blocks starting at `offset`. */
async function sparseExtensionBytes(input: TarInput, offset: number, where: { file: string; format: string; offset: number }): Promise<number> {
  for (let count = 1; count <= MAX_SPARSE_EXTENSIONS; count++) {
    const block = await input.read(offset + (count - 1) * TAR_BLOCK, TAR_BLOCK);
    if (block.length < TAR_BLOCK) throw truncated(where.file, where.format, offset + (count - 1) * TAR_BLOCK + block.length, 'a GNU sparse map block');
    if (block[EXTENSION_FLAG] === 0) return count * TAR_BLOCK;
  }
  throw new InputError('GNU sparse map does not end', { ...where, expected: `at most ${MAX_SPARSE_EXTENSIONS} extension blocks` });
}

/**
 * Data bytes after a header: a pax `size` record overrides the size field of the member it
 * precedes (not of GNU or pax metadata headers); links and special files have none. A global
 * `size` is ignored: it would give every member the same length.
 */
function sizeOf(header: TarHeader, local: Overrides): number {
  if (LINK_OR_SPECIAL.has(header.type)) return 0;
  if (METADATA_TYPES.has(header.type)) return header.size;
  return local.size ?? header.size;
}

/** The first header decides whether this is a tar archive at all: say so plainly when it is not. */
function firstHeader(block: Buffer, where: { file: string; format: string; offset: number }): TarHeader {
  try {
    return parseTarHeader(block, where);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(`not a tar archive: ${error.problem}`, { ...where, expected: 'a tar header at the start', cause: error });
  }
}

function toEntry(header: TarHeader, local: Overrides, global: Overrides, headerOffset: number, dataOffset: number, size: number, problems: Problem[]): TarEntry | null {
  const rawName = local.path ?? global.path ?? header.name;
  const rawLink = local.linkPath ?? global.linkPath ?? header.linkName;
  const type = memberType(header.type, rawName);
  const skip = (message: string): null => {
    problems.push({ path: displayName(rawName), message });
    return null;
  };
  if (local.sparse === true) return skip('tar member skipped: GNU sparse files (pax format) are not supported');
  if (type === 'unreadable') return skip(`tar member skipped: type ${JSON.stringify(header.type)} (sparse or multi-volume) is not supported`);
  if (type === 'label') return null;
  const name = normalizeName(rawName);
  if (name === null) return skip('tar member skipped: absolute path, ".." or NUL in its name');
  // The archive's own root, `./`.
  if (name === '') return null;
  const entry: TarEntry = { name, type, size: type === 'file' ? size : 0, mode: header.mode, mtime: header.mtime, headerOffset, dataOffset };
  if (type === 'symlink') entry.linkTarget = rawLink;
  if (type === 'hardlink') {
    const target = normalizeName(rawLink);
    if (target === null || target === '') return skip(`tar member skipped: hard link to an unsafe path ${JSON.stringify(displayName(rawLink))}`);
    entry.linkTarget = target;
  }
  return entry;
}

function memberType(flag: string, rawName: string): TarMemberType | 'unreadable' | 'label' {
  switch (flag) {
    case '0':
    case '\0':
    case '7':
      // Pre-POSIX archives mark directories only by the trailing slash.
      return flag === '\0' && rawName.endsWith('/') ? 'directory' : 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '5':
    case 'D':
      return 'directory';
    case 'V':
      return 'label';
    case 'S':
    case 'M':
    case 'N':
      return 'unreadable';
    default:
      return 'other';
  }
}

/** `./a/b/` → `a/b`; null for absolute paths, any `..` segment and NUL (possible in a pax path). */
export function normalizeName(raw: string): string | null {
  if (raw.startsWith('/') || raw.includes('\0')) return null;
  const segments = raw.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return null;
  return segments.join('/');
}

function overridesOf(records: Map<string, string>, where: { file: string; format: string; offset: number }): Overrides {
  const overrides: Overrides = {};
  // Sparse members keep their real name in GNU.sparse.name; `path` holds a placeholder.
  const path = records.get('GNU.sparse.name') ?? records.get('path');
  if ([...records.keys()].some((key) => key.startsWith('GNU.sparse.'))) overrides.sparse = true;
  const linkPath = records.get('linkpath');
  const size = records.get('size');
  if (path !== undefined && path !== '') overrides.path = path;
  if (linkPath !== undefined && linkPath !== '') overrides.linkPath = linkPath;
  if (size !== undefined && size !== '') {
    if (!/^\d+$/.test(size) || !Number.isSafeInteger(Number(size))) {
      throw new InputError(`invalid pax size "${size.slice(0, 30)}"`, { ...where, expected: 'a decimal byte count' });
    }
    overrides.size = Number(size);
  }
  return overrides;
}

function truncated(file: string, format: string, offset: number, expected: string): InputError {
  return new InputError('the archive ends early: it is truncated', { file, format, offset, expected });
}

/** Names are shown to people, never used as host paths; keep control characters visible. */
function displayName(name: string): string {
  return JSON.stringify(name).slice(1, -1);
}
