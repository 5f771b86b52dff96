import type { BlockReader, LayerPath } from './blockReader.js';
import { appendRun, type BlockMapper, type BlockRun } from './blockRuns.js';
import { I_BLOCK_OFFSET, type Inode } from './inode.js';

const EXTENT_MAGIC = 0xf30a;
const HEADER_SIZE = 12;
const ENTRY_SIZE = 12;
/** The kernel's EXT4_MAX_EXTENT_DEPTH: enough for 2^32 blocks with the smallest block size. */
const MAX_DEPTH = 5;
/** ee_len above this marks an unwritten (preallocated) extent: it reads as zeros. */
const INIT_MAX_LEN = 32768;

interface Extent {
  fileBlock: number;
  count: number;
  physical: number;
  unwritten: boolean;
}

/**
 * A file's extent tree, loaded whole on first use (a few blocks even for large files) and then
 * searched by binary search for every read.
 */
export class ExtentMapper implements BlockMapper {
  readonly addressableBlocks = 2 ** 32;
  private extents: Promise<Extent[]> | null = null;

  constructor(
    private readonly blocks: BlockReader,
    private readonly inode: Inode,
  ) {}

  async map(fileBlock: number, count: number): Promise<BlockRun[]> {
    this.extents ??= this.load();
    const extents = await this.extents;
    const end = fileBlock + count;
    const runs: BlockRun[] = [];
    let index = firstEndingAfter(extents, fileBlock);
    let at = fileBlock;
    while (at < end) {
      const extent = extents[index];
      if (extent === undefined || extent.fileBlock >= end) {
        appendRun(runs, { fileBlock: at, count: end - at, physical: null });
        break;
      }
      if (extent.fileBlock > at) {
        appendRun(runs, { fileBlock: at, count: extent.fileBlock - at, physical: null });
        at = extent.fileBlock;
      }
      const take = Math.min(end, extent.fileBlock + extent.count) - at;
      const physical = extent.unwritten ? null : extent.physical + (at - extent.fileBlock);
      appendRun(runs, { fileBlock: at, count: take, physical, extent: index });
      at += take;
      index += 1;
    }
    return runs;
  }

  private async load(): Promise<Extent[]> {
    const extents: Extent[] = [];
    const visited = new Set<number>();
    const layer: LayerPath = [`inode ${this.inode.number}`, 'extent tree'];

    const walk = async (node: Buffer, nodeOffset: number, expectedDepth: number | null): Promise<void> => {
      const magic = node.readUInt16LE(0);
      const entries = node.readUInt16LE(2);
      const max = node.readUInt16LE(4);
      const depth = node.readUInt16LE(6);
      if (magic !== EXTENT_MAGIC) {
        throw this.blocks.error(`bad extent header magic 0x${magic.toString(16)}`, layer, nodeOffset, 'magic 0xf30a');
      }
      if (depth > MAX_DEPTH || (expectedDepth !== null && depth !== expectedDepth)) {
        throw this.blocks.error(`extent tree node has depth ${depth}`, layer, nodeOffset + 6, expectedDepth === null ? `at most ${MAX_DEPTH}` : `${expectedDepth}`);
      }
      const capacity = Math.floor((node.length - HEADER_SIZE) / ENTRY_SIZE);
      if (entries > max || max > capacity) {
        throw this.blocks.error(`extent tree node claims ${entries} of ${max} entries`, layer, nodeOffset + 2, `at most ${capacity} entries`);
      }
      let previousStart = -1;
      for (let entry = 0; entry < entries; entry++) {
        const at = HEADER_SIZE + entry * ENTRY_SIZE;
        const entryOffset = nodeOffset + at;
        const fileBlock = node.readUInt32LE(at);
        if (fileBlock <= previousStart) {
          throw this.blocks.error(`extent tree entries out of order (block ${fileBlock} after ${previousStart})`, layer, entryOffset, 'ascending logical blocks');
        }
        previousStart = fileBlock;
        if (depth > 0) {
          const child = node.readUInt32LE(at + 4) + node.readUInt16LE(at + 8) * 2 ** 32;
          this.blocks.checkBlocks(child, 1, layer, entryOffset + 4);
          if (visited.has(child)) throw this.blocks.error(`extent tree visits block ${child} twice`, layer, entryOffset + 4, 'a tree');
          visited.add(child);
          await walk(await this.blocks.read(child, 1, layer), child * this.blocks.sb.blockSize, depth - 1);
        } else {
          this.addLeaf(extents, node, at, entryOffset);
        }
      }
    };

    await walk(this.inode.iBlock, this.inode.offset + I_BLOCK_OFFSET, null);
    return extents;
  }

  private addLeaf(extents: Extent[], node: Buffer, at: number, entryOffset: number): void {
    const index = extents.length;
    const layer: LayerPath = [`inode ${this.inode.number}`, `extent ${index}`];
    const fileBlock = node.readUInt32LE(at);
    const rawLength = node.readUInt16LE(at + 4);
    const unwritten = rawLength > INIT_MAX_LEN;
    const count = unwritten ? rawLength - INIT_MAX_LEN : rawLength;
    const physical = node.readUInt32LE(at + 8) + node.readUInt16LE(at + 6) * 2 ** 32;
    if (count === 0) throw this.blocks.error('extent of zero blocks', layer, entryOffset + 4, 'a length of 1 or more');
    if (fileBlock + count > this.addressableBlocks) {
      throw this.blocks.error(`extent ends at logical block ${fileBlock + count}`, layer, entryOffset, `below ${this.addressableBlocks}`);
    }
    const previous = extents[index - 1];
    if (previous !== undefined && fileBlock < previous.fileBlock + previous.count) {
      throw this.blocks.error(`extent overlaps the previous one at logical block ${fileBlock}`, layer, entryOffset, `logical block ${previous.fileBlock + previous.count} or later`);
    }
    const sb = this.blocks.sb;
    if (physical < sb.firstDataBlock || physical + count > sb.blocksCount) {
      throw this.blocks.error(`extent points to blocks ${physical}–${physical + count - 1}, outside the file system`, layer, entryOffset + 6, `blocks ${sb.firstDataBlock} to ${sb.blocksCount - 1}`);
    }
    extents.push({ fileBlock, count, physical, unwritten });
  }
}

/** Index of the first extent that ends after `fileBlock` (extents are sorted and disjoint). */
function firstEndingAfter(extents: readonly Extent[], fileBlock: number): number {
  let low = 0;
  let high = extents.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const extent = extents[middle] as Extent;
    if (extent.fileBlock + extent.count <= fileBlock) low = middle + 1;
    else high = middle;
  }
  return low;
}
