/**
 * Decoded operation outputs, least recently used first out, bounded in bytes (or by the newest
 * output alone, when that is larger). Decodes in flight are shared, so two reads of one operation
 * decode it once.
 */
export class OperationCache {
  /** Map iteration order is recency order: the first key is the least recently used. */
  private readonly entries = new Map<string, Buffer>();
  private readonly inFlight = new Map<string, Promise<Buffer>>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  has(key: string): boolean {
    return this.entries.has(key) || this.inFlight.has(key);
  }

  get(key: string, decode: () => Promise<Buffer>): Promise<Buffer> {
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      return Promise.resolve(cached);
    }
    const pending = this.inFlight.get(key);
    if (pending !== undefined) return pending;
    const decoding = decode().then(
      (output) => {
        this.inFlight.delete(key);
        this.remember(key, output);
        return output;
      },
      (error: unknown) => {
        this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, decoding);
    return decoding;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private remember(key: string, output: Buffer): void {
    this.entries.set(key, output);
    this.bytes += output.length;
    // The newest entry always stays, even one larger than the bound, so reading a large operation
    // in small pieces decodes it once.
    while (this.bytes > this.maxBytes && this.entries.size > 1) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Buffer];
      this.entries.delete(oldestKey);
      this.bytes -= oldest.length;
    }
  }
}
