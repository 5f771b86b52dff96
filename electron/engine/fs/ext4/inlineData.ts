import type { BlockReader } from './blockReader.js';
import type { Inode } from './inode.js';
import { inodeXattrs } from './xattrs.js';

/**
 * The bytes after the first 60 of an inline-data inode: the value of its in-inode `system.data`
 * extended attribute (empty when absent).
 */
export function inlineDataTail(blocks: BlockReader, inode: Inode): Buffer {
  const data = inodeXattrs(blocks, inode).find((entry) => entry.name === 'system.data');
  if (data === undefined) return Buffer.alloc(0);
  if (!('bytes' in data.value)) {
    throw blocks.error('system.data attribute value lies in an EA inode, outside the inode', [`inode ${inode.number}`, 'inline data'], inode.offset, 'the value in the inode');
  }
  return data.value.bytes;
}

/** The whole inline content: i_block, then the system.data value. */
export function inlineContent(blocks: BlockReader, inode: Inode): Buffer {
  return Buffer.concat([inode.iBlock, inlineDataTail(blocks, inode)]);
}
