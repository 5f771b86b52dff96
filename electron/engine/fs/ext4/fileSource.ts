import { checkRange, visitZeros, type ByteSource, type ByteVisitor } from '../../io/byteSource.js';
import { aboutPath, type BlockReader } from './blockReader.js';
import type { BlockMapper, BlockRun } from './blockRuns.js';

/**
 * Where a file's bytes are: inside its inode (bytes past the inline data are zeros), or in blocks
 * found through a mapper.
 */
export type FileContent = { inline: Buffer } | { mapper: BlockMapper };

function readInline(inline: Buffer, offset: number, length: number): Buffer {
  if (offset + length <= inline.length) return inline.subarray(offset, offset + length);
  const result = Buffer.alloc(length);
  if (offset < inline.length) inline.copy(result, 0, offset);
  return result;
}

/**
 * A regular file's bytes by random access. Each read maps only the blocks it covers, reads each
 * contiguous stretch with one image read, and fills holes and unwritten extents with zeros.
 */
export class Ext4FileSource implements ByteSource {
  private readonly format: string;

  constructor(
    readonly name: string,
    /** The file's path in the tree, for error messages. */
    private readonly path: string,
    readonly size: number,
    private readonly blocks: BlockReader,
    private readonly inodeNumber: number,
    private readonly content: FileContent,
  ) {
    this.format = `ext4 › inode ${inodeNumber}`;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, this.format, offset, length);
    try {
      return await this.readChecked(offset, length);
    } catch (error) {
      throw aboutPath(error, this.path);
    }
  }

  private async readChecked(offset: number, length: number): Promise<Buffer> {
    if (length === 0) return Buffer.alloc(0);
    if ('inline' in this.content) return readInline(this.content.inline, offset, length);

    const blockSize = this.blocks.sb.blockSize;
    const firstBlock = Math.floor(offset / blockSize);
    const endBlock = Math.ceil((offset + length) / blockSize);
    const runs = await this.content.mapper.map(firstBlock, endBlock - firstBlock);
    const only = runs[0];
    if (runs.length === 1 && only !== undefined && only.physical !== null) {
      return this.readRun(only, offset, length);
    }
    const result = Buffer.alloc(length);
    await Promise.all(
      runs.map(async (run) => {
        if (run.physical === null) return;
        const from = Math.max(offset, run.fileBlock * blockSize);
        const to = Math.min(offset + length, (run.fileBlock + run.count) * blockSize);
        (await this.readRun(run, from, to - from)).copy(result, from - offset);
      }),
    );
    return result;
  }

  /** Visits the file's bytes run by run, stored runs in place (through the image's visit), holes as zeros. */
  async visit(offset: number, length: number, visitor: ByteVisitor): Promise<void> {
    checkRange(this, this.format, offset, length);
    try {
      if (length === 0) return;
      if ('inline' in this.content) return visitor(readInline(this.content.inline, offset, length));
      const blockSize = this.blocks.sb.blockSize;
      const firstBlock = Math.floor(offset / blockSize);
      const runs = await this.content.mapper.map(firstBlock, Math.ceil((offset + length) / blockSize) - firstBlock);
      for (const run of runs) {
        const from = Math.max(offset, run.fileBlock * blockSize);
        const to = Math.min(offset + length, (run.fileBlock + run.count) * blockSize);
        if (from >= to) continue;
        if (run.physical === null) visitZeros(to - from, visitor);
        else await this.blocks.visitBytes(run.physical * blockSize + (from - run.fileBlock * blockSize), to - from, this.runLayer(run), visitor);
      }
    } catch (error) {
      throw aboutPath(error, this.path);
    }
  }

  private runLayer(run: BlockRun): string[] {
    return [`inode ${this.inodeNumber}`, run.extent === undefined ? `block ${run.fileBlock}` : `extent ${run.extent}`];
  }

  /** Bytes [fileOffset, fileOffset+length) of the file, all inside one stored run. */
  private readRun(run: BlockRun, fileOffset: number, length: number): Promise<Buffer> {
    const blockSize = this.blocks.sb.blockSize;
    const physicalOffset = (run.physical as number) * blockSize + (fileOffset - run.fileBlock * blockSize);
    return this.blocks.readBytes(physicalOffset, length, this.runLayer(run));
  }

  async close(): Promise<void> {}
}
