import type { DeviceNumbers } from '../../../../shared/model.js';
import { decodeDeviceNumber } from '../../vfs/deviceNumbers.js';
import type { BlockReader } from './blockReader.js';
import type { GroupDescriptors } from './groupDescriptors.js';
import { PromiseLru } from './lru.js';
import { INCOMPAT_LARGEDIR, RO_COMPAT_HUGE_FILE } from './superblock.js';

export const ROOT_INODE = 2;

const S_IFMT = 0xf000;

/** File types by the S_IFMT bits of i_mode. */
const KIND_BY_MODE: ReadonlyMap<number, InodeKind> = new Map([
  [0x8000, 'file'],
  [0x4000, 'directory'],
  [0xa000, 'symlink'],
  [0x2000, 'char-device'],
  [0x6000, 'block-device'],
  [0x1000, 'fifo'],
  [0xc000, 'socket'],
]);

export const FLAG_ENCRYPTED = 0x800;
/** The inode holds one large extended attribute value (ea_inode feature). */
export const FLAG_EA_INODE = 0x200000;
export const FLAG_HUGE_FILE = 0x40000;
export const FLAG_EXTENTS = 0x80000;
export const FLAG_INLINE_DATA = 0x10000000;

/** i_block: 15 block pointers, an extent tree root, a fast symlink's target or inline data. */
export const I_BLOCK_OFFSET = 0x28;
export const I_BLOCK_SIZE = 60;
const GOOD_OLD_INODE_SIZE = 128;
/** Inode table blocks kept in memory; a 4 KiB block holds 16 inodes of 256 bytes. */
const CACHED_TABLE_BLOCKS = 64;

/** A file type from i_mode; `other` for S_IFMT bits no file type has (corruption), `unused` for mode 0. */
export type InodeKind = 'file' | 'directory' | 'symlink' | 'char-device' | 'block-device' | 'fifo' | 'socket' | 'other' | 'unused';

export interface Inode {
  number: number;
  kind: InodeKind;
  mode: number;
  /** Owner and group, the 16-bit fields joined with their high halves (osd2). */
  uid: number;
  gid: number;
  flags: number;
  size: number;
  /** Storage charged to the inode, in 512-byte units (to tell fast from slow symlinks). */
  sectors: number;
  /** Block of the extended attribute block, 0 when none. */
  xattrBlock: number;
  /** A copy of i_block. */
  iBlock: Buffer;
  /** The in-inode extended attribute area (after i_extra_isize), or null when there is none. */
  inlineXattrs: Buffer | null;
  /** Image offset of the inode, for error messages. */
  offset: number;
}

/** Reads inodes through the group descriptors, keeping recently used inode table blocks. */
export class InodeTable {
  private readonly tableBlocks = new PromiseLru<number, Buffer>(CACHED_TABLE_BLOCKS);

  constructor(
    private readonly blocks: BlockReader,
    private readonly groups: GroupDescriptors,
  ) {}

  async read(number: number): Promise<Inode> {
    const sb = this.blocks.sb;
    const layer = [`inode ${number}`];
    if (!Number.isInteger(number) || number < 1 || number > sb.inodesCount) {
      throw this.blocks.error(`inode number ${number} does not exist`, layer, undefined, `1 to ${sb.inodesCount}`);
    }
    const group = Math.floor((number - 1) / sb.inodesPerGroup);
    const byteInTable = ((number - 1) % sb.inodesPerGroup) * sb.inodeSize;
    const table = await this.groups.inodeTableBlock(group);
    const block = table + Math.floor(byteInTable / sb.blockSize);
    const within = byteInTable % sb.blockSize;
    const bytes = await this.tableBlocks.get(block, () => this.blocks.read(block, 1, layer));
    return this.parse(number, bytes.subarray(within, within + sb.inodeSize), block * sb.blockSize + within);
  }

  private parse(number: number, bytes: Buffer, offset: number): Inode {
    const sb = this.blocks.sb;
    const mode = bytes.readUInt16LE(0x0);
    const kind = kindOf(mode);
    const flags = bytes.readUInt32LE(0x20);
    const sizeLow = bytes.readUInt32LE(0x4);
    const sizeHigh = bytes.readUInt32LE(0x6c);
    // As the kernel does: i_size_high is the old i_dir_acl for directories without large_dir.
    const usesHigh = kind === 'file' || (kind === 'directory' && (sb.featureIncompat & INCOMPAT_LARGEDIR) !== 0);
    const size = sizeLow + (usesHigh ? sizeHigh * 2 ** 32 : 0);

    let sectors = bytes.readUInt32LE(0x1c);
    if ((sb.featureRoCompat & RO_COMPAT_HUGE_FILE) !== 0) {
      sectors += bytes.readUInt16LE(0x74) * 2 ** 32;
      if ((flags & FLAG_HUGE_FILE) !== 0) sectors *= sb.blockSize / 512;
    }
    const xattrBlock = bytes.readUInt32LE(0x68) + bytes.readUInt16LE(0x76) * 2 ** 32;

    let inlineXattrs: Buffer | null = null;
    if (bytes.length > GOOD_OLD_INODE_SIZE) {
      const extra = bytes.readUInt16LE(0x80);
      const start = GOOD_OLD_INODE_SIZE + extra;
      if (extra % 4 === 0 && start + 4 <= bytes.length) inlineXattrs = Buffer.from(bytes.subarray(start));
    }

    return {
      number,
      kind: mode === 0 ? 'unused' : kind,
      mode,
      uid: bytes.readUInt16LE(0x2) + bytes.readUInt16LE(0x78) * 0x10000,
      gid: bytes.readUInt16LE(0x18) + bytes.readUInt16LE(0x7a) * 0x10000,
      flags,
      size,
      sectors,
      xattrBlock,
      iBlock: Buffer.from(bytes.subarray(I_BLOCK_OFFSET, I_BLOCK_OFFSET + I_BLOCK_SIZE)),
      inlineXattrs,
      offset,
    };
  }
}

function kindOf(mode: number): InodeKind {
  return KIND_BY_MODE.get(mode & S_IFMT) ?? 'other';
}

/**
 * A device inode's numbers, as the kernel reads them (ext4_iget): the old 8:8 encoding in i_block[0]
 * when it is not zero, else the new one in i_block[1] (vfs/deviceNumbers.ts).
 */
export function deviceNumbers(inode: Inode): DeviceNumbers {
  const old = inode.iBlock.readUInt32LE(0);
  if (old !== 0) return { major: (old >>> 8) & 0xff, minor: old & 0xff };
  return decodeDeviceNumber(inode.iBlock.readUInt32LE(4));
}
