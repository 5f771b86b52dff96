import { InputError } from '../../errors.js';

/** The primary superblock always starts 1024 bytes into the image, whatever the block size. */
export const SUPERBLOCK_OFFSET = 1024;
export const SUPERBLOCK_SIZE = 1024;
export const MAGIC_OFFSET = 0x38;
export const EXT4_MAGIC = 0xef53;

const INCOMPAT_OFFSET = 0x60;
const RO_COMPAT_OFFSET = 0x64;

export const COMPAT_SPARSE_SUPER2 = 0x200;

export const INCOMPAT_FILETYPE = 0x2;
export const INCOMPAT_META_BG = 0x10;
export const INCOMPAT_64BIT = 0x80;
/** Large xattr values live in inodes of their own, whose blocks are charged to the owner's i_blocks. */
export const INCOMPAT_EA_INODE = 0x400;
export const INCOMPAT_LARGEDIR = 0x4000;
export const INCOMPAT_INLINE_DATA = 0x8000;

export const RO_COMPAT_SPARSE_SUPER = 0x1;
export const RO_COMPAT_HUGE_FILE = 0x8;
/** Space is allocated in clusters of several blocks; block numbers still count blocks. */
export const RO_COMPAT_BIGALLOC = 0x200;
/** Android's block dedup: several inodes may map the same blocks. A reader simply follows them. */
export const RO_COMPAT_SHARED_BLOCKS = 0x4000;

/** Incompatible features, by the names e2fsprogs uses (`dumpe2fs -h`). */
const INCOMPAT_NAMES: ReadonlyMap<number, string> = new Map([
  [0x1, 'compression'],
  [0x2, 'filetype'],
  [0x4, 'needs_recovery'],
  [0x8, 'journal_dev'],
  [0x10, 'meta_bg'],
  [0x40, 'extent'],
  [0x80, '64bit'],
  [0x100, 'mmp'],
  [0x200, 'flex_bg'],
  [0x400, 'ea_inode'],
  [0x1000, 'dirdata'],
  [0x2000, 'metadata_csum_seed'],
  [0x4000, 'large_dir'],
  [0x8000, 'inline_data'],
  [0x10000, 'encrypt'],
  [0x20000, 'casefold'],
]);

/**
 * What this reader understands. needs_recovery is accepted: an unreplayed journal only matters
 * to a writer, and firmware images are built offline. compression (never in mainline),
 * journal_dev (an external journal, not a file system) and dirdata (Lustre's extra dirent data,
 * which changes the dirent layout) are refused, as is any bit nobody knows.
 */
const SUPPORTED_INCOMPAT = 0x2 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x2000 | 0x4000 | 0x8000 | 0x10000 | 0x20000;

export interface Superblock {
  inodesCount: number;
  blocksCount: number;
  firstDataBlock: number;
  blockSize: number;
  /** Allocation unit: the block size, or s_log_cluster_size's cluster with bigalloc. */
  clusterSize: number;
  blocksPerGroup: number;
  inodesPerGroup: number;
  inodeSize: number;
  groupCount: number;
  /** Bytes per group descriptor: 32, or s_desc_size with the 64bit feature. */
  descriptorSize: number;
  firstMetaBlockGroup: number;
  /** Groups holding a backup superblock with sparse_super2. */
  backupGroups: readonly [number, number];
  featureCompat: number;
  featureIncompat: number;
  featureRoCompat: number;
}

/** Parses and checks the 1024-byte superblock read from offset 1024. */
export function parseSuperblock(bytes: Buffer, file: string): Superblock {
  const fail = (problem: string, field: number, expected?: string): InputError =>
    new InputError(problem, { file, format: 'ext4 › superblock', offset: SUPERBLOCK_OFFSET + field, expected });

  const magic = bytes.readUInt16LE(MAGIC_OFFSET);
  if (magic !== EXT4_MAGIC) throw fail(`not an ext2/3/4 file system (magic 0x${magic.toString(16)})`, MAGIC_OFFSET, 'magic 0xef53');

  const logBlockSize = bytes.readUInt32LE(0x18);
  if (logBlockSize > 6) throw fail(`block size 2^${logBlockSize + 10} is not supported`, 0x18, 'a block size from 1 KiB to 64 KiB');
  const blockSize = 1024 << logBlockSize;

  const featureCompat = bytes.readUInt32LE(0x5c);
  const featureIncompat = bytes.readUInt32LE(INCOMPAT_OFFSET);
  const featureRoCompat = bytes.readUInt32LE(RO_COMPAT_OFFSET);
  const unsupported = featureIncompat & ~SUPPORTED_INCOMPAT;
  if (unsupported !== 0) {
    throw fail(`uses incompatible feature(s) this reader cannot read: ${featureNames(unsupported).join(', ')}`, INCOMPAT_OFFSET, 'only features an ext4 reader knows');
  }

  const revision = bytes.readUInt32LE(0x4c);
  const inodeSize = revision === 0 ? 128 : bytes.readUInt16LE(0x58);
  if (inodeSize < 128 || inodeSize > blockSize || (inodeSize & (inodeSize - 1)) !== 0) {
    throw fail(`invalid inode size ${inodeSize}`, 0x58, 'a power of two from 128 to the block size');
  }

  const is64bit = (featureIncompat & INCOMPAT_64BIT) !== 0;
  const descriptorSize = is64bit ? bytes.readUInt16LE(0xfe) : 32;
  if (descriptorSize < 32 || descriptorSize > 1024 || (descriptorSize & (descriptorSize - 1)) !== 0) {
    throw fail(`invalid group descriptor size ${descriptorSize}`, 0xfe, 'a power of two from 32 to 1024');
  }

  const blocksCount = bytes.readUInt32LE(0x4) + (is64bit ? bytes.readUInt32LE(0x150) * 2 ** 32 : 0);
  const firstDataBlock = bytes.readUInt32LE(0x14);
  if (blocksCount <= firstDataBlock || blocksCount * blockSize > Number.MAX_SAFE_INTEGER) {
    throw fail(`invalid block count ${blocksCount}`, 0x4, `more than the first data block (${firstDataBlock}) and fewer than 2^53 bytes`);
  }
  let clusterSize = blockSize;
  if ((featureRoCompat & RO_COMPAT_BIGALLOC) !== 0) {
    const logClusterSize = bytes.readUInt32LE(0x1c);
    if (logClusterSize < logBlockSize || logClusterSize > logBlockSize + 16) {
      throw fail(`cluster size 2^${logClusterSize + 10} does not fit block size ${blockSize}`, 0x1c, 'a cluster of 1 to 65536 blocks');
    }
    clusterSize = 1024 * 2 ** logClusterSize;
  }
  const blocksPerGroup = bytes.readUInt32LE(0x20);
  if (blocksPerGroup === 0) throw fail('zero blocks per group', 0x20);
  const inodesPerGroup = bytes.readUInt32LE(0x28);
  if (inodesPerGroup === 0 || inodesPerGroup > blockSize * 8) {
    throw fail(`invalid inodes per group ${inodesPerGroup}`, 0x28, `1 to ${blockSize * 8} (one bitmap block)`);
  }
  const groupCount = Math.ceil((blocksCount - firstDataBlock) / blocksPerGroup);
  const inodesCount = bytes.readUInt32LE(0x0);
  if (inodesCount < 2 || inodesCount > inodesPerGroup * groupCount) {
    throw fail(`invalid inode count ${inodesCount}`, 0x0, `at most ${inodesPerGroup} per group × ${groupCount} groups`);
  }

  return {
    inodesCount,
    blocksCount,
    firstDataBlock,
    blockSize,
    clusterSize,
    blocksPerGroup,
    inodesPerGroup,
    inodeSize,
    groupCount,
    descriptorSize,
    firstMetaBlockGroup: bytes.readUInt32LE(0x104),
    backupGroups: [bytes.readUInt32LE(0x24c), bytes.readUInt32LE(0x250)],
    featureCompat,
    featureIncompat,
    featureRoCompat,
  };
}

/** e2fsprogs names for a set of incompatible feature bits; unknown bits as hex. */
export function featureNames(bits: number): string[] {
  const names: string[] = [];
  for (let bit = 1; bit !== 0 && bit <= bits >>> 0; bit = (bit << 1) >>> 0) {
    if ((bits & bit) === 0) continue;
    names.push(INCOMPAT_NAMES.get(bit) ?? `unknown 0x${bit.toString(16)}`);
  }
  return names;
}
