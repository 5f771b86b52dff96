import { InputError, UnsupportedFormatError } from '../../errors.js';
import type { ImageReader } from './imageReader.js';
import { INODE_SLOT_BITS, type Superblock } from './superblock.js';

export const DATA_LAYOUT = {
  flatPlain: 0,
  compressedFull: 1,
  flatInline: 2,
  compressedCompact: 3,
  chunkBased: 4,
} as const;

export type InodeKind = 'file' | 'directory' | 'symlink' | 'character device' | 'block device' | 'fifo' | 'socket';

const KIND_BY_MODE: Record<number, InodeKind> = {
  0o100000: 'file',
  0o040000: 'directory',
  0o120000: 'symlink',
  0o020000: 'character device',
  0o060000: 'block device',
  0o010000: 'fifo',
  0o140000: 'socket',
};

/** i_format: bit 0 extended layout, bits 1-3 data layout, bit 4 "nlink is 1" (compact non-directories, which then keep address bits 32-47 in i_nb) or "no `.` entry" (directories). */
const I_FORMAT_BITS = 0x1f;
const I_NLINK_1 = 0x10;
const COMPACT_INODE_SIZE = 32;
const EXTENDED_INODE_SIZE = 64;
const XATTR_IBODY_HEADER_SIZE = 12;
/** A block address meaning "no block": a hole. */
export const NULL_BLOCK = 0xffffffff;

export interface Inode {
  nid: number;
  /** Byte offset of the on-disk inode. */
  position: number;
  kind: InodeKind;
  dataLayout: number;
  size: number;
  /** `i_u`: raw block address, compressed block count, device number or chunk format, by layout. */
  union: number;
  /** Flat layouts: the first data block (up to 48 bits), or null for none (a hole). */
  startBlock: number | null;
  /** Where what follows the inode and its inline xattrs starts (inline data, index tables). */
  tailStart: number;
  /** Permission and type bits, owner and group. */
  mode: number;
  uid: number;
  gid: number;
  /** The inline xattr area right after the inode: its image offset and size (0 when the inode has none). */
  xattrStart: number;
  xattrSize: number;
}

export function inodeFormat(nid: number): string {
  return `erofs › inode ${nid}`;
}

/** Reads and checks one inode (compact or extended), skipping its inline xattr area. */
export async function readInode(reader: ImageReader, superblock: Superblock, nid: number): Promise<Inode> {
  const format = inodeFormat(nid);
  const position = superblock.metaStart + nid * 2 ** INODE_SLOT_BITS;
  const head = await reader.readMeta(position, COMPACT_INODE_SIZE, format, `inode ${nid}`);
  const iFormat = head.readUInt16LE(0);
  const extended = (iFormat & 1) === 1;
  const dataLayout = (iFormat >>> 1) & 7;
  const error = (problem: string, offset: number): InputError => new InputError(problem, { file: reader.name, format, offset: position + offset });
  if ((iFormat & ~I_FORMAT_BITS) !== 0) {
    throw new UnsupportedFormatError(`unknown inode format flags 0x${iFormat.toString(16)}`, { file: reader.name, format, offset: position });
  }
  if (dataLayout > DATA_LAYOUT.chunkBased) throw error(`unknown data layout ${dataLayout}`, 0);
  const xattrCount = head.readUInt16LE(2);
  const mode = head.readUInt16LE(4);
  const kind = KIND_BY_MODE[mode & 0o170000];
  if (kind === undefined) throw error(`unknown file type in mode 0o${mode.toString(8)}`, 4);

  let size: number;
  let union: number;
  let inodeSize: number;
  let uid: number;
  let gid: number;
  // Bits 32-47 of the start block (48-bit layout) sit in i_nb, which compact inodes otherwise use for nlink.
  let addressHigh: number | null = null;
  if (extended) {
    const full = await reader.readMeta(position, EXTENDED_INODE_SIZE, format, `inode ${nid}`);
    const high = full.readUInt32LE(12);
    if (high >= 2 ** 21) throw error(`absurd size (high word 0x${high.toString(16)})`, 8);
    size = high * 2 ** 32 + full.readUInt32LE(8);
    union = full.readUInt32LE(16);
    addressHigh = full.readUInt16LE(6);
    uid = full.readUInt32LE(24);
    gid = full.readUInt32LE(28);
    inodeSize = EXTENDED_INODE_SIZE;
  } else {
    size = head.readUInt32LE(8);
    union = head.readUInt32LE(16);
    if (kind !== 'directory' && (iFormat & I_NLINK_1) !== 0) addressHigh = head.readUInt16LE(6);
    uid = head.readUInt16LE(24);
    gid = head.readUInt16LE(26);
    inodeSize = COMPACT_INODE_SIZE;
  }
  const xattrSize = xattrCount === 0 ? 0 : XATTR_IBODY_HEADER_SIZE + 4 * (xattrCount - 1);
  const inode: Inode = {
    nid,
    position,
    kind,
    dataLayout,
    size,
    union,
    startBlock: startBlockOf(dataLayout, union, addressHigh),
    tailStart: position + inodeSize + xattrSize,
    mode,
    uid,
    gid,
    xattrStart: position + inodeSize,
    xattrSize,
  };
  const problem = implausibleSize(inode, superblock, reader.size);
  if (problem !== null) throw error(problem, 8);
  return inode;
}

/**
 * As Linux reads it: the low 32 bits in i_u, bits 32-47 in i_nb; a plain file whose address is
 * all ones (in the bits its inode can hold) has no blocks.
 */
function startBlockOf(dataLayout: number, union: number, addressHigh: number | null): number | null {
  if (dataLayout !== DATA_LAYOUT.flatPlain && dataLayout !== DATA_LAYOUT.flatInline) return null;
  if (dataLayout === DATA_LAYOUT.flatPlain && union === NULL_BLOCK && (addressHigh === null || addressHigh === 0xffff)) return null;
  return (addressHigh ?? 0) * 2 ** 32 + union;
}

/**
 * Why the inode's size cannot be true for its data layout, or null. Compared with the larger of the
 * image and the size the superblock declares, so a truncated image still lists its files (reading
 * them then reports the truncation).
 */
function implausibleSize(inode: Inode, superblock: Superblock, imageSize: number): string | null {
  const capacity = Math.max(imageSize, superblock.blocks * superblock.blockSize);
  const { size, dataLayout, union } = inode;
  const blockSize = superblock.blockSize;
  switch (dataLayout) {
    case DATA_LAYOUT.flatPlain: {
      const start = inode.startBlock;
      return size > 0 && start !== null && start * blockSize + size > capacity ? `size ${size} at block ${start} does not fit in the file system` : null;
    }
    case DATA_LAYOUT.flatInline: {
      if (size === 0) return null;
      const start = inode.startBlock ?? 0;
      const bodyBlocks = Math.ceil(size / blockSize) - 1;
      const tail = size - bodyBlocks * blockSize;
      if (bodyBlocks > 0 && (start + bodyBlocks) * blockSize > capacity) return `size ${size} at block ${start} does not fit in the file system`;
      if ((inode.tailStart % blockSize) + tail > blockSize) return `inline tail of ${tail} bytes does not fit in the inode's block`;
      return null;
    }
    case DATA_LAYOUT.chunkBased: {
      const chunkBits = superblock.blockSizeBits + (union & 0x1f);
      const entrySize = (union & 0x20) !== 0 ? 8 : 4;
      return Math.ceil(size / 2 ** chunkBits) * entrySize > capacity ? `size ${size} needs a chunk table larger than the file system` : null;
    }
    default:
      // Compressed files have no such bound: shared pclusters (dedupe) and fragments let any size
      // fit, and Linux sets none. Reading them is bounded by their index (MAX_LCLUSTERS, extents
      // that must lie in the image) and by the caller's limits on what a package may expand to.
      return null;
  }
}
