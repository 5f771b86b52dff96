import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byteSource.js';

/** Metadata blocks kept in memory (inodes, directories, compression indexes): 1 MiB at 4 KiB blocks. */
const CACHED_BLOCKS = 256;

/**
 * Reads an EROFS image: metadata through a small LRU cache of whole blocks (inodes and directory
 * entries are tiny and clustered, so neighbours come for free), file data directly. Every read is
 * checked against the image size first, so a truncated image gives an InputError naming the
 * structure that was being read.
 */
export class ImageReader {
  /** Insertion order is recency order; values are shared by concurrent readers of a block. */
  private readonly blocks = new Map<number, Promise<Buffer>>();

  constructor(
    readonly image: ByteSource,
    readonly blockSize: number,
  ) {}

  get name(): string {
    return this.image.name;
  }

  get size(): number {
    return this.image.size;
  }

  /** Throws an InputError unless [offset, offset+length) lies inside the image. */
  check(offset: number, length: number, format: string, what: string): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new InputError(`${what} has an impossible position (${length} bytes at ${offset})`, { file: this.name, format });
    }
    if (offset + length > this.image.size) {
      throw new InputError(`${what} (${length} bytes) lies past the end of the ${this.image.size}-byte image (truncated?)`, {
        file: this.name,
        format,
        offset,
        expected: `an image of at least ${offset + length} bytes`,
      });
    }
  }

  /** File data, read straight from the image. */
  async readData(offset: number, length: number, format: string, what: string): Promise<Buffer> {
    this.check(offset, length, format, what);
    return this.image.read(offset, length);
  }

  /** Metadata, through the block cache. */
  async readMeta(offset: number, length: number, format: string, what: string): Promise<Buffer> {
    this.check(offset, length, format, what);
    if (length === 0) return Buffer.alloc(0);
    const first = Math.floor(offset / this.blockSize);
    const last = Math.floor((offset + length - 1) / this.blockSize);
    if (first === last) {
      const block = await this.block(first);
      const from = offset - first * this.blockSize;
      return block.subarray(from, from + length);
    }
    const parts: Buffer[] = [];
    for (let index = first; index <= last; index++) {
      const block = await this.block(index);
      const blockStart = index * this.blockSize;
      parts.push(block.subarray(Math.max(offset, blockStart) - blockStart, Math.min(offset + length, blockStart + block.length) - blockStart));
    }
    return Buffer.concat(parts, length);
  }

  private block(index: number): Promise<Buffer> {
    const cached = this.blocks.get(index);
    if (cached !== undefined) {
      this.blocks.delete(index);
      this.blocks.set(index, cached);
      return cached;
    }
    const start = index * this.blockSize;
    // The last block of a truncated image may be short: cache what exists (reads were checked above).
    const loading = this.image.read(start, Math.min(this.blockSize, this.image.size - start));
    this.blocks.set(index, loading);
    loading.catch(() => {
      if (this.blocks.get(index) === loading) this.blocks.delete(index);
    });
    if (this.blocks.size > CACHED_BLOCKS) this.blocks.delete(this.blocks.keys().next().value as number);
    return loading;
  }
}
