import { PromiseLru } from './lru.js';
import { COMPAT_SPARSE_SUPER2, INCOMPAT_META_BG, RO_COMPAT_SPARSE_SUPER, SUPERBLOCK_OFFSET, type Superblock } from './superblock.js';
import type { BlockReader } from './blockReader.js';

const INODE_TABLE_LO = 0x8;
const INODE_TABLE_HI = 0x28;
/** Descriptor blocks kept in memory (each covers blockSize / descriptorSize groups). */
const CACHED_DESCRIPTOR_BLOCKS = 64;

/**
 * The block group descriptor table, read one descriptor block at a time as inodes are looked up.
 * Only the inode table location is needed by a reader.
 */
export class GroupDescriptors {
  private readonly cache = new PromiseLru<number, Buffer>(CACHED_DESCRIPTOR_BLOCKS);
  private readonly perBlock: number;

  constructor(
    private readonly sb: Superblock,
    private readonly blocks: BlockReader,
  ) {
    this.perBlock = sb.blockSize / sb.descriptorSize;
  }

  /** First block of a group's inode table, checked to lie inside the file system. */
  async inodeTableBlock(group: number): Promise<number> {
    const descriptorBlock = Math.floor(group / this.perBlock);
    const location = this.descriptorBlockLocation(descriptorBlock);
    const bytes = await this.cache.get(descriptorBlock, () => this.blocks.read(location, 1, ['group descriptors']));
    const at = (group % this.perBlock) * this.sb.descriptorSize;
    let table = bytes.readUInt32LE(at + INODE_TABLE_LO);
    if (this.sb.descriptorSize >= 64) table += bytes.readUInt32LE(at + INODE_TABLE_HI) * 2 ** 32;
    const tableBlocks = Math.ceil((this.sb.inodesPerGroup * this.sb.inodeSize) / this.sb.blockSize);
    if (table === 0 || table + tableBlocks > this.sb.blocksCount) {
      throw this.blocks.error(`group ${group} has its inode table at block ${table}, outside the file system`, ['group descriptors'], location * this.sb.blockSize + at + INODE_TABLE_LO, `a block below ${this.sb.blocksCount - tableBlocks}`);
    }
    return table;
  }

  /**
   * Where descriptor block `index` lives: right after the superblock, or with meta_bg (past
   * s_first_meta_bg) in the first block group of its own meta group, after that group's superblock
   * backup if it has one.
   */
  private descriptorBlockLocation(index: number): number {
    const sb = this.sb;
    if ((sb.featureIncompat & INCOMPAT_META_BG) !== 0 && index >= sb.firstMetaBlockGroup) {
      const group = index * this.perBlock;
      return sb.firstDataBlock + group * sb.blocksPerGroup + (this.hasSuperblockBackup(group) ? 1 : 0);
    }
    const superblockBlock = Math.floor(SUPERBLOCK_OFFSET / sb.blockSize);
    return superblockBlock + 1 + index;
  }

  private hasSuperblockBackup(group: number): boolean {
    if (group === 0) return true;
    if ((this.sb.featureCompat & COMPAT_SPARSE_SUPER2) !== 0) return group === this.sb.backupGroups[0] || group === this.sb.backupGroups[1];
    if ((this.sb.featureRoCompat & RO_COMPAT_SPARSE_SUPER) === 0) return true;
    return group === 1 || isPowerOf(group, 3) || isPowerOf(group, 5) || isPowerOf(group, 7);
  }
}

function isPowerOf(value: number, base: number): boolean {
  let power = base;
  while (power < value) power *= base;
  return power === value;
}
