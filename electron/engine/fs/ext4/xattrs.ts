import type { BlockReader, LayerPath } from './blockReader.js';
import type { Inode } from './inode.js';
import { PromiseLru } from './lru.js';
import { xattrPrefix, xattrPrefixes } from '../xattrNames.js';

/** h_magic of the xattr block header and of the in-inode area (fs/ext4/xattr.h). */
const XATTR_MAGIC = 0xea020000;
const ENTRY_HEADER = 16;
const BLOCK_HEADER = 32;
/** The kernel's XATTR_SIZE_MAX: no value is larger. */
const MAX_VALUE_SIZE = 65536;
/** Parsed xattr blocks kept: Android images share one block among many inodes (same label). */
const CACHED_BLOCKS = 256;

/** Name prefixes by e_name_index (fs/ext4/xattr.c, ext4_xattr_handler_map). */
const PREFIXES = xattrPrefixes([
  [7, 'system.'],
  [8, 'system.richacl'],
]);

/** One extended attribute entry: its full name and where its value is. */
export interface XattrEntry {
  name: string;
  /** The value's bytes, or the EA inode that holds them (ea_inode feature). */
  value: { bytes: Buffer } | { inode: number; size: number };
}

/**
 * Parses the entries of an xattr area, checked as the kernel checks them (ext4_xattr_check_entries):
 * entries start at `entriesStart`, value offsets count from `valueBase` (the first entry for the
 * in-inode area, the block start for a block); `areaOffset` is the image offset of the area, for
 * messages. The list ends at four zero bytes or at the end of the area.
 */
function parseEntries(blocks: BlockReader, area: Buffer, entriesStart: number, valueBase: number, areaOffset: number, layer: LayerPath): XattrEntry[] {
  const entries: XattrEntry[] = [];
  let at = entriesStart;
  while (at + 4 <= area.length && area.readUInt32LE(at) !== 0) {
    if (at + ENTRY_HEADER > area.length) {
      throw blocks.error(`xattr entry header cut off (${area.length - at} bytes left)`, layer, areaOffset + at, `${ENTRY_HEADER} bytes`);
    }
    const nameLength = area.readUInt8(at);
    const nameIndex = area.readUInt8(at + 1);
    const valueOffset = area.readUInt16LE(at + 2);
    const valueInode = area.readUInt32LE(at + 4);
    const valueSize = area.readUInt32LE(at + 8);
    if (nameLength === 0 || at + ENTRY_HEADER + nameLength > area.length) {
      throw blocks.error(`xattr entry name of ${nameLength} bytes does not fit`, layer, areaOffset + at, `1 to ${area.length - at - ENTRY_HEADER} bytes`);
    }
    const suffix = area.subarray(at + ENTRY_HEADER, at + ENTRY_HEADER + nameLength).toString('latin1');
    const name = `${xattrPrefix(PREFIXES, nameIndex)}${suffix}`;
    if (valueSize > MAX_VALUE_SIZE) {
      throw blocks.error(`xattr ${name} claims a value of ${valueSize} bytes`, layer, areaOffset + at + 8, `at most ${MAX_VALUE_SIZE} bytes`);
    }
    if (valueInode !== 0) {
      entries.push({ name, value: { inode: valueInode, size: valueSize } });
    } else {
      if (valueBase + valueOffset + valueSize > area.length) {
        throw blocks.error(`xattr ${name}: value of ${valueSize} bytes at ${valueOffset} lies outside its area`, layer, areaOffset + at + 2, `within ${area.length - valueBase} bytes`);
      }
      // The area is the inode's own copy or a freshly read block: its bytes can be shared.
      entries.push({ name, value: { bytes: area.subarray(valueBase + valueOffset, valueBase + valueOffset + valueSize) } });
    }
    at += (ENTRY_HEADER + nameLength + 3) & ~3;
  }
  return entries;
}

/** The entries kept in the inode itself, after i_extra_isize (none without the magic there). */
export function inodeXattrs(blocks: BlockReader, inode: Inode): XattrEntry[] {
  const area = inode.inlineXattrs;
  if (area === null || area.readUInt32LE(0) !== XATTR_MAGIC) return [];
  const areaOffset = inode.offset + blocks.sb.inodeSize - area.length;
  return parseEntries(blocks, area, 4, 4, areaOffset, [`inode ${inode.number}`, 'in-inode xattrs']);
}

/**
 * Reads inodes' extended attributes: the in-inode area, then the xattr block (parsed once per block,
 * whichever inodes share it); values in EA inodes are read through `readEaInode`.
 */
export class XattrReader {
  private readonly parsedBlocks = new PromiseLru<number, XattrEntry[]>(CACHED_BLOCKS);

  constructor(
    private readonly blocks: BlockReader,
    private readonly readEaInode: (owner: Inode, valueInode: number, size: number) => Promise<Buffer>,
  ) {}

  /** Every attribute of the inode, in-inode ones first (as the kernel looks them up), by name; without an xattr block, no wait. */
  entries(inode: Inode): XattrEntry[] | Promise<XattrEntry[]> {
    const entries = inodeXattrs(this.blocks, inode);
    if (inode.xattrBlock === 0) return entries;
    return this.blockEntries(inode).then((fromBlock) => [...entries, ...fromBlock]);
  }

  /** The value of the first attribute called `name`, or null; only a value in an EA inode needs a read. */
  value(inode: Inode, entries: readonly XattrEntry[], name: string): Buffer | null | Promise<Buffer> {
    const entry = entries.find((candidate) => candidate.name === name);
    if (entry === undefined) return null;
    return 'bytes' in entry.value ? entry.value.bytes : this.readEaInode(inode, entry.value.inode, entry.value.size);
  }

  private blockEntries(inode: Inode): Promise<XattrEntry[]> {
    const block = inode.xattrBlock;
    const layer = [`inode ${inode.number}`, `xattr block ${block}`];
    this.blocks.checkBlocks(block, 1, layer, inode.offset + 0x68);
    return this.parsedBlocks.get(block, async () => {
      const bytes = await this.blocks.read(block, 1, layer);
      const offset = block * this.blocks.sb.blockSize;
      if (bytes.readUInt32LE(0) !== XATTR_MAGIC) {
        throw this.blocks.error(`bad xattr block magic 0x${bytes.readUInt32LE(0).toString(16)}`, layer, offset, 'magic 0xea020000');
      }
      if (bytes.readUInt32LE(8) !== 1) throw this.blocks.error(`xattr block spans ${bytes.readUInt32LE(8)} blocks`, layer, offset + 8, '1 block');
      return parseEntries(this.blocks, bytes, BLOCK_HEADER, 0, offset, layer);
    });
  }
}
