import { checkRange, type ByteSource } from './byteSource.js';
import { spoolToDisk } from './spool.js';

/**
 * Random access over a source that is cheap to read front to back but costly at random (a
 * deflated image in a zip): reads within its first `headBytes` are served by the sequential
 * source itself, so telling what an image is (its magic, a boot header) decodes only its start;
 * the first read beyond that copies the whole source to a temporary file once, and every read
 * after that is served from there.
 */
export class HeadFirstSource implements ByteSource {
  private spooled: Promise<ByteSource> | null = null;

  constructor(
    private readonly sequential: ByteSource,
    private readonly headBytes: number,
    private readonly spoolFolder: string,
  ) {}

  get name(): string {
    return this.sequential.name;
  }

  get size(): number {
    return this.sequential.size;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, 'file', offset, length);
    if (this.spooled === null && offset + length <= this.headBytes) return this.sequential.read(offset, length);
    this.spooled ??= spoolToDisk(this.sequential, this.spoolFolder);
    return (await this.spooled).read(offset, length);
  }

  async close(): Promise<void> {
    if (this.spooled === null) await this.sequential.close();
    else await (await this.spooled.catch(() => null))?.close();
  }
}
