import type { ByteSource, ByteVisitor } from '../../electron/engine/io/byteSource.js';

/**
 * Wraps a ByteSource and visits it in pieces of a fixed odd size, each from a buffer that is
 * overwritten afterwards: what a reader gets from a cache or a decoder, with structures that
 * straddle two pieces, and any use of a piece after its call seen as corrupt bytes.
 */
export class PiecewiseSource implements ByteSource {
  constructor(
    private readonly inner: ByteSource,
    private readonly pieceBytes: number,
  ) {}
  get name(): string {
    return this.inner.name;
  }
  get size(): number {
    return this.inner.size;
  }
  read(offset: number, length: number): Promise<Buffer> {
    return this.inner.read(offset, length);
  }
  async visit(offset: number, length: number, visitor: ByteVisitor): Promise<void> {
    for (let done = 0; done < length; done += this.pieceBytes) {
      const piece = Buffer.from(await this.inner.read(offset + done, Math.min(this.pieceBytes, length - done)));
      visitor(piece);
      piece.fill(0xee);
    }
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
