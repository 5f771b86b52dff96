import type { BlockReader, LayerPath } from './blockReader.js';
import { nameFromBytes } from '../../vfs/rawNames.js';

const HEADER_SIZE = 8;
const MAX_BLOCK_SIZE = 65536;

/** Dirent file_type values (only meaningful with the filetype feature). */
export const FILE_TYPE_DIRECTORY = 2;

export interface DirectoryEntry {
  inode: number;
  /** The name as a path segment (vfs/rawNames.ts). */
  name: string;
  fileType: number;
}

/**
 * Walks the linked dirents of one directory block (or the inline-data areas of an inline
 * directory). Deleted entries, the metadata_csum tail and the htree index (which sits inside the
 * `..` entry of the first block, and inside one empty dirent spanning each index block) all have
 * inode 0 or are dot entries, so a linear walk skips them by construction.
 */
export function parseDirentArea(
  blocks: BlockReader,
  bytes: Buffer,
  areaOffset: number,
  hasFileType: boolean,
  layer: LayerPath,
  out: DirectoryEntry[],
): void {
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < HEADER_SIZE) {
      throw blocks.error(`directory entry header cut off (${bytes.length - at} bytes left in the block)`, layer, areaOffset + at, 'entries that fill the block exactly');
    }
    const inode = bytes.readUInt32LE(at);
    const recordLength = decodeRecordLength(bytes.readUInt16LE(at + 4), blocks.sb.blockSize);
    const nameLength = hasFileType ? bytes.readUInt8(at + 6) : bytes.readUInt16LE(at + 6);
    if (recordLength < HEADER_SIZE || recordLength % 4 !== 0 || at + recordLength > bytes.length) {
      throw blocks.error(`bad directory record length ${recordLength}`, layer, areaOffset + at + 4, `a multiple of 4 from ${HEADER_SIZE} to ${bytes.length - at}`);
    }
    if (inode !== 0) {
      if (HEADER_SIZE + nameLength > recordLength || nameLength === 0) {
        throw blocks.error(`directory entry name of ${nameLength} bytes does not fit its record of ${recordLength}`, layer, areaOffset + at + 6, `1 to ${recordLength - HEADER_SIZE} bytes`);
      }
      const nameBytes = bytes.subarray(at + HEADER_SIZE, at + HEADER_SIZE + nameLength);
      if (!isDotEntry(nameBytes)) {
        out.push({ inode, name: nameFromBytes(nameBytes), fileType: hasFileType ? bytes.readUInt8(at + 7) : 0 });
      }
    }
    at += recordLength;
  }
}

/** With 64 KiB blocks a record can be 65536 bytes long, which needs the two low bits (always 0) as bits 16–17. */
function decodeRecordLength(raw: number, blockSize: number): number {
  if (blockSize < MAX_BLOCK_SIZE) return raw;
  if (raw === 0xffff || raw === 0) return MAX_BLOCK_SIZE;
  return (raw & 0xfffc) | ((raw & 3) << 16);
}

function isDotEntry(name: Buffer): boolean {
  return name[0] === 0x2e && (name.length === 1 || (name.length === 2 && name[1] === 0x2e));
}
