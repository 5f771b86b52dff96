import type { ByteSource } from './byteSource.js';

/** Small reads are served from a window this large, so runs of nearby headers cost one read. */
const DEFAULT_WINDOW = 64 * 1024;

/** Serves small reads from a window of a source, so consecutive headers (sparse chunks, LZ4 blocks) cost one read. */
export class WindowReader {
  private windowStart = 0;
  private window: Buffer = Buffer.alloc(0);

  constructor(
    private readonly source: ByteSource,
    private readonly windowSize = DEFAULT_WINDOW,
  ) {}

  async read(offset: number, length: number): Promise<Buffer> {
    if (offset < this.windowStart || offset + length > this.windowStart + this.window.length) {
      this.windowStart = offset;
      this.window = await this.source.read(offset, Math.max(length, Math.min(this.windowSize, this.source.size - offset)));
    }
    return this.window.subarray(offset - this.windowStart, offset - this.windowStart + length);
  }
}
