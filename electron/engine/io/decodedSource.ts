import { InputError } from '../errors.js';
import { checkRange, type ByteSource } from './byteSource.js';

const DEFAULT_BLOCK_SIZE = 64 * 1024;
const DEFAULT_CACHE_BYTES = 32 << 20;

export interface DecodedSourceOptions {
  /** Granularity of the cache. */
  blockSize?: number;
  /** Upper bound on decoded bytes kept in memory for this source. */
  cacheBytes?: number;
  /** The format layer named in errors, e.g. `zip › system/app/Mms.apk`. */
  format: string;
}

/**
 * Random access over bytes that can only be decoded front to back (a deflated zip member, a
 * brotli stream). A read ahead of the decoder continues it; a read behind it, whose blocks have
 * left the cache, restarts the decoder from the beginning. Decoded blocks live in a bounded LRU
 * cache, so the usual pattern (a zip's directory at the end, then its members) decodes once for
 * inputs smaller than the cache, and memory stays bounded for larger ones.
 */
export class SequentialDecodedSource implements ByteSource {
  private readonly blockSize: number;
  private readonly maxBlocks: number;
  private readonly format: string;
  /** Insertion order is recency order (Map iteration order); the first key is the least recent. */
  private readonly cache = new Map<number, Buffer>();
  private decoder: AsyncIterator<Buffer> | null = null;
  /** Decoded bytes consumed from the current decoder so far. */
  private decodedUpTo = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly size: number,
    private readonly openDecoder: () => Promise<AsyncIterable<unknown>>,
    options: DecodedSourceOptions,
  ) {
    this.blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    this.maxBlocks = Math.max(2, Math.floor((options.cacheBytes ?? DEFAULT_CACHE_BYTES) / this.blockSize));
    this.format = options.format;
  }

  read(offset: number, length: number): Promise<Buffer> {
    // Reads share one decoder: run them one at a time.
    const result = this.queue.then(() => {
      checkRange(this, this.format, offset, length);
      return this.readNow(offset, length);
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async readNow(offset: number, length: number): Promise<Buffer> {
    if (length === 0) return Buffer.alloc(0);
    const first = Math.floor(offset / this.blockSize);
    const last = Math.floor((offset + length - 1) / this.blockSize);
    const parts: Buffer[] = [];
    for (let index = first; index <= last; index++) {
      const block = await this.block(index);
      const blockStart = index * this.blockSize;
      const from = Math.max(offset, blockStart) - blockStart;
      const to = Math.min(offset + length, blockStart + block.length) - blockStart;
      parts.push(block.subarray(from, to));
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  private async block(index: number): Promise<Buffer> {
    const cached = this.cache.get(index);
    if (cached !== undefined) {
      this.cache.delete(index);
      this.cache.set(index, cached);
      return cached;
    }
    const start = index * this.blockSize;
    if (this.decoder === null || this.decodedUpTo - this.pendingBytes > start) await this.restart();
    while (true) {
      const blockStart = this.decodedUpTo - this.pendingBytes;
      const wanted = Math.min(this.blockSize, this.size - blockStart);
      if (this.pendingBytes >= wanted) {
        const joined = Buffer.concat(this.pending, this.pendingBytes);
        const block = Buffer.from(joined.subarray(0, wanted));
        const rest = joined.subarray(wanted);
        this.pending = rest.length > 0 ? [rest] : [];
        this.pendingBytes = rest.length;
        const blockIndex = blockStart / this.blockSize;
        this.remember(blockIndex, block);
        if (blockIndex === index) return block;
        continue;
      }
      const next = await (this.decoder as AsyncIterator<Buffer>).next();
      if (next.done) {
        throw new InputError(`decoded data ends after ${this.decodedUpTo} bytes`, {
          file: this.name,
          format: this.format,
          offset: this.decodedUpTo,
          expected: `${this.size} bytes`,
        });
      }
      const chunk = next.value;
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      this.decodedUpTo += chunk.length;
    }
  }

  private remember(index: number, block: Buffer): void {
    this.cache.set(index, block);
    if (this.cache.size > this.maxBlocks) {
      const oldest = this.cache.keys().next().value as number;
      this.cache.delete(oldest);
    }
  }

  private async restart(): Promise<void> {
    await this.decoder?.return?.();
    const iterable = await this.openDecoder();
    this.decoder = (iterable as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    this.decodedUpTo = 0;
    this.pending = [];
    this.pendingBytes = 0;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.decoder?.return?.();
    this.decoder = null;
    this.cache.clear();
  }
}
