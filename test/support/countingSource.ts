import type { ByteSource } from '../../electron/engine/io/byteSource.js';

/** Wraps a ByteSource and records every read asked of it: how much of an image a task touches. */
export class CountingSource implements ByteSource {
  /** Every read, in order; assign [] to start counting afresh. */
  ranges: { offset: number; length: number }[] = [];
  constructor(private readonly inner: ByteSource) {}
  get name(): string {
    return this.inner.name;
  }
  get size(): number {
    return this.inner.size;
  }
  get reads(): number {
    return this.ranges.length;
  }
  get bytesRead(): number {
    return this.ranges.reduce((sum, range) => sum + range.length, 0);
  }
  read(offset: number, length: number): Promise<Buffer> {
    this.ranges.push({ offset, length });
    return this.inner.read(offset, length);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
