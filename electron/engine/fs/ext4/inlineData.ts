import type { BlockReader } from './blockReader.js';
import type { Inode } from './inode.js';

const XATTR_MAGIC = 0xea020000;
const ENTRY_HEADER = 16;
/** Name index 7 is the `system.` namespace; inline data lives in `system.data`. */
const SYSTEM_INDEX = 7;
const DATA_NAME = Buffer.from('data');

/**
 * The bytes after the first 60 of an inline-data inode: the value of its in-inode `system.data`
 * extended attribute (empty when absent).
 */
export function inlineDataTail(blocks: BlockReader, inode: Inode): Buffer {
  const area = inode.inlineXattrs;
  if (area === null || area.readUInt32LE(0) !== XATTR_MAGIC) return Buffer.alloc(0);
  const layer = [`inode ${inode.number}`, 'inline data'];
  const areaOffset = inode.offset + blocks.sb.inodeSize - area.length;
  // Value offsets count from the first entry, just after the 4-byte magic.
  const entries = area.subarray(4);
  let at = 0;
  while (at + ENTRY_HEADER <= entries.length && entries.readUInt32LE(at) !== 0) {
    const nameLength = entries.readUInt8(at);
    const nameIndex = entries.readUInt8(at + 1);
    const valueOffset = entries.readUInt16LE(at + 2);
    const valueInode = entries.readUInt32LE(at + 4);
    const valueSize = entries.readUInt32LE(at + 8);
    const name = entries.subarray(at + ENTRY_HEADER, at + ENTRY_HEADER + nameLength);
    if (nameIndex === SYSTEM_INDEX && name.equals(DATA_NAME)) {
      if (valueInode !== 0 || valueOffset + valueSize > entries.length) {
        throw blocks.error(`system.data attribute value (${valueSize} bytes at ${valueOffset}) lies outside the inode`, layer, areaOffset + 4 + at, `at most ${entries.length} bytes in the inode`);
      }
      return Buffer.from(entries.subarray(valueOffset, valueOffset + valueSize));
    }
    at += (ENTRY_HEADER + nameLength + 3) & ~3;
  }
  return Buffer.alloc(0);
}

/** The whole inline content: i_block, then the system.data value. */
export function inlineContent(blocks: BlockReader, inode: Inode): Buffer {
  return Buffer.concat([inode.iBlock, inlineDataTail(blocks, inode)]);
}
