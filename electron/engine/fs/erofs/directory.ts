import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byteSource.js';
import { decodeEntryName } from './names.js';

const DIRENT_SIZE = 12;
const MAX_NAME_BYTES = 255;
/** A directory this broken is garbage: stop reading it rather than collect an error per block. */
const MAX_PROBLEMS = 32;

/** EROFS_FT_* in a directory entry; the inode's mode is what counts, this is only a hint. */
export const DIRENT_FILE_TYPES = ['unknown', 'file', 'directory', 'character device', 'block device', 'fifo', 'socket', 'symlink'] as const;

export interface DirectoryEntry {
  name: string;
  nid: number;
  fileType: number;
}

export interface DirectoryListing {
  /** By name, without `.` and `..`. */
  entries: Map<string, DirectoryEntry>;
  /** Blocks or entries that could not be read; the rest of the directory is still listed. */
  problems: InputError[];
}

/**
 * Parses a directory's content: blocks of 12-byte entries {u64 nid, u16 nameoff, u8 file_type,
 * u8 reserved} followed by the names they point at. The first entry's nameoff gives the number of
 * entries in the block; a name ends where the next one starts (the last one at the end of the
 * block, or at a NUL).
 */
export async function readDirectory(content: ByteSource, blockSize: number, format: string, imageName: string): Promise<DirectoryListing> {
  const entries = new Map<string, DirectoryEntry>();
  const problems: InputError[] = [];
  for (let blockStart = 0; blockStart < content.size && problems.length < MAX_PROBLEMS; blockStart += blockSize) {
    const length = Math.min(blockSize, content.size - blockStart);
    try {
      const block = await content.read(blockStart, length);
      parseBlock(block, blockStart, entries, problems, format, imageName);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error);
    }
  }
  return { entries, problems };
}

function parseBlock(block: Buffer, blockStart: number, entries: Map<string, DirectoryEntry>, problems: InputError[], format: string, file: string): void {
  const fail = (problem: string, at: number): InputError => new InputError(problem, { file, format, offset: blockStart + at });
  if (block.length < DIRENT_SIZE) throw fail(`directory block of ${block.length} bytes is too short for an entry`, 0);
  const firstNameOffset = block.readUInt16LE(8);
  if (firstNameOffset < DIRENT_SIZE || firstNameOffset % DIRENT_SIZE !== 0 || firstNameOffset > block.length) {
    throw fail(`directory block starts with an invalid name offset ${firstNameOffset}`, 8);
  }
  const count = firstNameOffset / DIRENT_SIZE;
  for (let k = 0; k < count; k++) {
    const at = k * DIRENT_SIZE;
    const nameStart = block.readUInt16LE(at + 8);
    const last = k + 1 === count;
    const nameEnd = last ? block.length : block.readUInt16LE(at + DIRENT_SIZE + 8);
    if (nameStart < firstNameOffset || nameEnd > block.length || nameEnd <= nameStart) {
      problems.push(fail(`directory entry ${k} has an invalid name range ${nameStart}..${nameEnd}`, at + 8));
      continue;
    }
    let raw = block.subarray(nameStart, nameEnd);
    if (last) {
      const nul = raw.indexOf(0);
      if (nul >= 0) raw = raw.subarray(0, nul);
    }
    if (raw.length === 0 || raw.length > MAX_NAME_BYTES) {
      problems.push(fail(`directory entry ${k} has a name of ${raw.length} bytes`, nameStart));
      continue;
    }
    const nidHigh = block.readUInt32LE(at + 4);
    if (nidHigh >= 2 ** 16) {
      problems.push(fail(`directory entry ${k} points at an impossible inode number`, at));
      continue;
    }
    const name = decodeEntryName(raw);
    if (name === '.' || name === '..') continue;
    if (entries.has(name)) {
      problems.push(fail(`directory lists "${name}" twice`, nameStart));
      continue;
    }
    entries.set(name, { name, nid: nidHigh * 2 ** 32 + block.readUInt32LE(at), fileType: block.readUInt8(at + 10) });
  }
}
