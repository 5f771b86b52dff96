import type { BlockReader, LayerPath } from './blockReader.js';
import { appendRun, type BlockMapper, type BlockRun } from './blockRuns.js';
import { I_BLOCK_OFFSET, type Inode } from './inode.js';
import { PromiseLru } from './lru.js';

const DIRECT_BLOCKS = 12;
const INDIRECT_SLOT = 12;
/** Pointer blocks kept per open file: one per level is enough for reads front to back. */
const CACHED_POINTER_BLOCKS = 16;

/**
 * The ext2/ext3 block map: 12 direct pointers in i_block, then a single, a double and a triple
 * indirect block. A zero pointer at any level is a hole covering everything below it. Pointer blocks
 * are read only when a read reaches them.
 */
export class IndirectBlockMapper implements BlockMapper {
  readonly addressableBlocks: number;
  private readonly perBlock: number;
  private readonly pointerBlocks = new PromiseLru<number, Buffer>(CACHED_POINTER_BLOCKS);
  private readonly layer: LayerPath;

  constructor(
    private readonly blocks: BlockReader,
    private readonly inode: Inode,
  ) {
    this.perBlock = blocks.sb.blockSize / 4;
    this.addressableBlocks = DIRECT_BLOCKS + this.perBlock + this.perBlock ** 2 + this.perBlock ** 3;
    this.layer = [`inode ${inode.number}`, 'block map'];
  }

  async map(fileBlock: number, count: number): Promise<BlockRun[]> {
    const runs: BlockRun[] = [];
    const end = fileBlock + count;
    let at = fileBlock;
    while (at < end) {
      const run = await this.runAt(at, end);
      appendRun(runs, run);
      at += run.count;
    }
    return runs;
  }

  /** The longest run starting at `fileBlock` that one pointer block (or one hole) describes. */
  private async runAt(fileBlock: number, end: number): Promise<BlockRun> {
    if (fileBlock < DIRECT_BLOCKS) {
      return this.scan(this.inode.iBlock, this.inode.offset + I_BLOCK_OFFSET, fileBlock, DIRECT_BLOCKS - fileBlock, fileBlock, end);
    }
    // Which tree (single, double, triple indirect) holds the block, and the path of indexes down it.
    let relative = fileBlock - DIRECT_BLOCKS;
    let levels = 1;
    let span = this.perBlock;
    while (relative >= span) {
      relative -= span;
      levels += 1;
      span *= this.perBlock;
      if (levels > 3) throw this.blocks.error(`logical block ${fileBlock} is beyond what a block map can address`, this.layer);
    }
    let pointer = this.inode.iBlock.readUInt32LE((INDIRECT_SLOT + levels - 1) * 4);
    let pointerOffset = this.inode.offset + I_BLOCK_OFFSET + (INDIRECT_SLOT + levels - 1) * 4;
    for (let level = levels; level > 0; level--) {
      span /= this.perBlock;
      if (pointer === 0) {
        // A hole over the rest of this subtree.
        const left = span * this.perBlock - (relative % (span * this.perBlock));
        return { fileBlock, count: Math.min(left, end - fileBlock), physical: null };
      }
      this.blocks.checkBlocks(pointer, 1, this.layer, pointerOffset);
      const block = pointer;
      const table = await this.pointerBlocks.get(block, () => this.blocks.read(block, 1, this.layer));
      const index = Math.floor(relative / span) % this.perBlock;
      if (level === 1) {
        return this.scan(table, block * this.blocks.sb.blockSize, index, this.perBlock - index, fileBlock, end);
      }
      pointer = table.readUInt32LE(index * 4);
      pointerOffset = block * this.blocks.sb.blockSize + index * 4;
    }
    throw new Error('unreachable: block map walk ended without a leaf');
  }

  /** Reads consecutive pointers from `first` while they stay contiguous (or all zero). */
  private scan(table: Buffer, tableOffset: number, first: number, available: number, fileBlock: number, end: number): BlockRun {
    const limit = Math.min(available, end - fileBlock);
    const start = table.readUInt32LE(first * 4);
    let count = 1;
    while (count < limit) {
      const next = table.readUInt32LE((first + count) * 4);
      if (start === 0 ? next !== 0 : next !== start + count) break;
      count += 1;
    }
    if (start !== 0) {
      const sb = this.blocks.sb;
      if (start < sb.firstDataBlock || start + count > sb.blocksCount) {
        throw this.blocks.error(`block pointer ${start} for logical block ${fileBlock} is outside the file system`, this.layer, tableOffset + first * 4, `blocks ${sb.firstDataBlock} to ${sb.blocksCount - 1}`);
      }
    }
    return { fileBlock, count, physical: start === 0 ? null : start };
  }
}
