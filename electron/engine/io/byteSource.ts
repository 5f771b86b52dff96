import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.js';

/**
 * Random-access bytes: a file, a zip member, later a sparse image or a payload partition.
 * Every format layer reads through this interface, so nothing ever needs a whole package in memory.
 */
export interface ByteSource {
  /** Human name used in error messages (the package's base name, or `pkg.zip › member`). */
  readonly name: string;
  readonly size: number;
  /**
   * Reads exactly `length` bytes at `offset`. Reading past the end is an InputError (a truncated
   * input), never a silently short buffer.
   */
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export function checkRange(source: Pick<ByteSource, 'name' | 'size'>, format: string, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new InputError(`invalid read of ${length} bytes`, { file: source.name, format, offset });
  }
  if (offset + length > source.size) {
    throw new InputError(`truncated: needs ${length} bytes but only ${Math.max(0, source.size - offset)} remain`, {
      file: source.name,
      format,
      offset,
      expected: `${offset + length} bytes in all, the input has ${source.size}`,
    });
  }
}

/** A ByteSource over a file on disk, opened read-only. */
export class FileByteSource implements ByteSource {
  private constructor(
    readonly name: string,
    readonly size: number,
    private readonly handle: FileHandle,
  ) {}

  static async open(path: string | Buffer, name: string): Promise<FileByteSource> {
    const handle = await open(path, 'r');
    try {
      const stats = await handle.stat();
      return new FileByteSource(name, stats.size, handle);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, 'file', offset, length);
    const buffer = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(buffer, filled, length - filled, offset + filled);
      if (bytesRead === 0) {
        throw new InputError('file shrank while being read', { file: this.name, format: 'file', offset: offset + filled });
      }
      filled += bytesRead;
    }
    return buffer;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** A ByteSource over bytes already in memory (small members, tests). */
export class BufferByteSource implements ByteSource {
  constructor(
    readonly name: string,
    private readonly bytes: Buffer,
  ) {}

  get size(): number {
    return this.bytes.length;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, 'buffer', offset, length);
    return this.bytes.subarray(offset, offset + length);
  }

  async close(): Promise<void> {}
}

/** A window [start, start+size) of another source; closing it leaves the parent open. */
export class SliceByteSource implements ByteSource {
  constructor(
    readonly name: string,
    private readonly parent: ByteSource,
    private readonly start: number,
    readonly size: number,
  ) {
    checkRange(parent, 'slice', start, size);
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, 'slice', offset, length);
    return this.parent.read(this.start + offset, length);
  }

  async close(): Promise<void> {}
}

/** Streams a range of a source in bounded chunks (for hashing and copying without holding it all). */
export async function* readChunks(source: ByteSource, start = 0, end = source.size, chunkSize = 1 << 20): AsyncGenerator<Buffer> {
  for (let offset = start; offset < end; offset += chunkSize) {
    yield await source.read(offset, Math.min(chunkSize, end - offset));
  }
}
