import type { ByteSource } from '../../io/byteSource.js';

/**
 * How the tar walk reads its input: front to back, never going back, so the same walk runs over a
 * file (random access) and over a gzip stream (decoded once, data skipped as it streams past).
 */
export interface TarInput {
  /** Up to `length` bytes at `offset`; fewer only where the input ends. Offsets never decrease. */
  read(offset: number, length: number): Promise<Buffer>;
  /** Whether the input is at least `end` bytes long (a stream consumes up to there). */
  reaches(end: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Headers of consecutive small members are read in one go rather than one 512-byte read each. */
const READ_AHEAD = 64 * 1024;

export class RandomAccessTarInput implements TarInput {
  private window: { start: number; bytes: Buffer } = { start: 0, bytes: Buffer.alloc(0) };

  constructor(private readonly source: ByteSource) {}

  async read(offset: number, length: number): Promise<Buffer> {
    const available = Math.max(0, Math.min(length, this.source.size - offset));
    if (available === 0) return Buffer.alloc(0);
    if (available > READ_AHEAD) return this.source.read(offset, available);
    const { start, bytes } = this.window;
    if (offset < start || offset + available > start + bytes.length) {
      this.window = { start: offset, bytes: await this.source.read(offset, Math.min(READ_AHEAD, this.source.size - offset)) };
    }
    const from = offset - this.window.start;
    return this.window.bytes.subarray(from, from + available);
  }

  async reaches(end: number): Promise<boolean> {
    return end <= this.source.size;
  }

  async close(): Promise<void> {}
}

/** A decoded stream read forward; only the bytes asked for are kept, the rest is dropped. */
export class StreamTarInput implements TarInput {
  /** Input offset of `pending[0]`. */
  private start = 0;
  private pending: Buffer = Buffer.alloc(0);
  private ended = false;
  /** How far the stream has been decoded: its length, once it has ended. */
  private decoded = 0;

  constructor(private readonly chunks: AsyncIterator<Buffer>) {}

  async read(offset: number, length: number): Promise<Buffer> {
    await this.advance(offset, offset + length);
    if (this.start !== offset) return Buffer.alloc(0);
    return Buffer.from(this.pending.subarray(0, Math.min(length, this.pending.length)));
  }

  async reaches(end: number): Promise<boolean> {
    await this.advance(end, end);
    return this.decoded >= end;
  }

  /** Drops the bytes before `from`, then decodes until `until` is buffered or the stream ends. */
  private async advance(from: number, until: number): Promise<void> {
    this.drop(from);
    while (this.decoded < until && !this.ended) {
      const next = await this.chunks.next();
      if (next.done === true) {
        this.ended = true;
        break;
      }
      const chunk = next.value;
      this.decoded += chunk.length;
      if (this.pending.length === 0 && this.start + chunk.length <= from) {
        this.start += chunk.length;
        continue;
      }
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
      this.drop(from);
    }
  }

  private drop(from: number): void {
    const count = Math.min(Math.max(0, from - this.start), this.pending.length);
    if (count === 0) return;
    this.pending = this.pending.subarray(count);
    this.start += count;
  }

  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}
