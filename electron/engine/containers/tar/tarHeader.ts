import { InputError } from '../../errors.js';
import { pathFromBytes } from '../../vfs/rawNames.js';

export const TAR_BLOCK = 512;

/** The fields of one 512-byte header that the reader needs, before pax and GNU overrides. */
export interface TarHeader {
  /** `prefix/name` for POSIX ustar, the name field otherwise. */
  name: string;
  mode: number;
  size: number;
  mtime: number;
  /** The type flag character; '\0' for old archives' regular files. */
  type: string;
  linkName: string;
}

export interface HeaderLocation {
  file: string;
  format: string;
  offset: number;
}

const CHECKSUM_START = 148;
const CHECKSUM_LENGTH = 8;

export function isZeroBlock(block: Buffer): boolean {
  return block[0] === 0 && block.subarray(1).equals(block.subarray(0, block.length - 1));
}

/**
 * Decodes a ustar, GNU or v7 header after checking its checksum (the unsigned sum of the
 * header with the checksum field read as spaces; some old tars summed signed bytes, also accepted).
 */
export function parseTarHeader(block: Buffer, where: HeaderLocation): TarHeader {
  const stored = readOctal(block.subarray(CHECKSUM_START, CHECKSUM_START + CHECKSUM_LENGTH));
  if (stored === null) {
    throw new InputError('not a tar header: the checksum field is not an octal number', { ...where, expected: 'a tar header' });
  }
  const { unsigned, signed } = checksums(block);
  if (stored !== unsigned && stored !== signed) {
    throw new InputError(`tar header checksum mismatch: stored ${stored.toString(8)}, computed ${unsigned.toString(8)}`, {
      ...where,
      expected: 'an intact tar header (corrupt or not a tar file)',
    });
  }
  const numeric = (start: number, length: number, field: string): number => {
    const value = readNumber(block.subarray(start, start + length));
    if (value === null) throw new InputError(`invalid ${field} field in tar header`, { ...where, offset: where.offset + start, expected: 'an octal or base-256 number' });
    return value;
  };
  const magic = block.toString('latin1', 257, 263);
  const name = cString(block.subarray(0, 100));
  // POSIX ustar splits long paths into prefix (345..500) and name; GNU tar uses that area for times.
  const prefix = magic === 'ustar\0' ? cString(block.subarray(345, 500)) : '';
  return {
    name: prefix === '' ? name : `${prefix}/${name}`,
    mode: numeric(100, 8, 'mode'),
    size: numeric(124, 12, 'size'),
    mtime: numeric(136, 12, 'mtime'),
    type: String.fromCharCode(block[156] ?? 0),
    linkName: cString(block.subarray(157, 257)),
  };
}

function checksums(block: Buffer): { unsigned: number; signed: number } {
  let unsigned = 0;
  let signed = 0;
  for (let index = 0; index < TAR_BLOCK; index++) {
    const byte = index >= CHECKSUM_START && index < CHECKSUM_START + CHECKSUM_LENGTH ? 0x20 : (block[index] ?? 0);
    unsigned += byte;
    signed += byte >= 0x80 ? byte - 0x100 : byte;
  }
  return { unsigned, signed };
}

/**
 * A name up to the first NUL: bytes (UTF-8 on a UTF-8 system, anything on others) escaped into a
 * path by vfs/rawNames.ts, so names that are not UTF-8 stay distinct.
 */
export function cString(field: Buffer): string {
  const end = field.indexOf(0);
  return pathFromBytes(field.subarray(0, end === -1 ? field.length : end));
}

/** An octal field (NUL- or space-terminated, maybe space-padded), or null when it is not one. */
function readOctal(field: Buffer): number | null {
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return null;
  const value = parseInt(text, 8);
  return Number.isSafeInteger(value) ? value : null;
}

/** A numeric field: octal, or GNU base-256 (high bit set) for values octal cannot hold. */
function readNumber(field: Buffer): number | null {
  const first = field[0] ?? 0;
  if ((first & 0x80) === 0) return readOctal(field);
  // 0xff starts a negative base-256 number: never valid for a size, mode or time we use.
  if (first === 0xff) return null;
  let value = first & 0x7f;
  for (const byte of field.subarray(1)) {
    value = value * 256 + byte;
    if (!Number.isSafeInteger(value)) return null;
  }
  return value;
}
