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
  /**
   * A name for the bytes this source gives that is the same in every thread opening the same
   * package (a file's device, inode, size and modification time, then each layer's part), so
   * decoded units can be shared between threads (io/decodeCache.ts). Absent for bytes in memory.
   */
  readonly identity?: string;
  /**
   * Passes bytes [offset, offset+length) to `visitor` in order, in pieces valid only during each
   * call (views of cached or decoded bytes, or of a buffer the source reuses), sparing the copy
   * into a buffer of the read's own. Optional: visitBytes() falls back to read().
   */
  visit?(offset: number, length: number, visitor: ByteVisitor): Promise<void>;
}

/** Receives a piece of a source's bytes, valid only until it returns. */
export type ByteVisitor = (piece: Uint8Array) => void;

/** Zeros to visit from; never written. */
const ZEROS = new Uint8Array(1 << 20);

/** Visits `length` zero bytes. */
export function visitZeros(length: number, visitor: ByteVisitor): void {
  for (let done = 0; done < length; done += ZEROS.length) visitor(ZEROS.subarray(0, Math.min(ZEROS.length, length - done)));
}

/** Visits bytes [offset, offset+length) of `source`: through its own visit() when it has one, else read in 1 MiB pieces. */
export async function visitBytes(source: ByteSource, offset: number, length: number, visitor: ByteVisitor): Promise<void> {
  if (source.visit !== undefined) return source.visit(offset, length, visitor);
  for (let done = 0; done < length; ) {
    const piece = Math.min(1 << 20, length - done);
    visitor(await source.read(offset + done, piece));
    done += piece;
  }
}

/** Reads [offset, offset+length) of a source that visits, into a buffer of its own. */
export async function readByVisiting(source: ByteSource, offset: number, length: number): Promise<Buffer> {
  return readInto(source, offset, length, Buffer.allocUnsafe(length));
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

/** Pieces a file is visited in, each read into a buffer reused for the next. */
const FILE_VISIT_BYTES = 1 << 20;

/** A ByteSource over a file on disk, opened read-only. */
export class FileByteSource implements ByteSource {
  /** Buffers for visits, reused (a visit holds one while it runs). */
  private readonly spare: Buffer[] = [];

  private constructor(
    readonly name: string,
    readonly size: number,
    private readonly handle: FileHandle,
    readonly identity: string,
  ) {}

  static async open(path: string | Buffer, name: string): Promise<FileByteSource> {
    const handle = await open(path, 'r');
    try {
      const stats = await handle.stat();
      return new FileByteSource(name, stats.size, handle, `file:${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, 'file', offset, length);
    // Every byte is overwritten by the file's, or the read fails.
    const buffer = Buffer.allocUnsafe(length);
    await this.readInto(buffer, offset, length);
    return buffer;
  }

  async visit(offset: number, length: number, visitor: ByteVisitor): Promise<void> {
    checkRange(this, 'file', offset, length);
    const buffer = this.spare.pop() ?? Buffer.allocUnsafe(FILE_VISIT_BYTES);
    try {
      for (let done = 0; done < length; ) {
        const piece = Math.min(buffer.length, length - done);
        await this.readInto(buffer, offset + done, piece);
        visitor(buffer.subarray(0, piece));
        done += piece;
      }
    } finally {
      this.spare.push(buffer);
    }
  }

  private async readInto(buffer: Buffer, offset: number, length: number): Promise<void> {
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(buffer, filled, length - filled, offset + filled);
      if (bytesRead === 0) {
        throw new InputError('file shrank while being read', { file: this.name, format: 'file', offset: offset + filled });
      }
      filled += bytesRead;
    }
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

/**
 * `source` seen through another ByteSource whose close() does `close` instead (by default nothing:
 * the caller keeps the source open, as a probe owns its file); reads and visits go to `source`.
 */
export function viewOf(source: ByteSource, close: () => Promise<void> = async () => {}, name = source.name): ByteSource {
  return {
    name,
    size: source.size,
    ...(source.identity === undefined ? {} : { identity: source.identity }),
    read: (offset, length) => source.read(offset, length),
    visit: (offset, length, visitor) => visitBytes(source, offset, length, visitor),
    close,
  };
}

/** A window [start, start+size) of another source; closing it leaves the parent open. */
export class SliceByteSource implements ByteSource {
  readonly identity: string | undefined;

  constructor(
    readonly name: string,
    private readonly parent: ByteSource,
    private readonly start: number,
    readonly size: number,
  ) {
    checkRange(parent, 'slice', start, size);
    this.identity = parent.identity === undefined ? undefined : `${parent.identity}[${start}+${size}]`;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, 'slice', offset, length);
    return this.parent.read(this.start + offset, length);
  }

  async visit(offset: number, length: number, visitor: ByteVisitor): Promise<void> {
    checkRange(this, 'slice', offset, length);
    return visitBytes(this.parent, this.start + offset, length, visitor);
  }

  async close(): Promise<void> {}
}

/** Streams a range of a source in bounded chunks (for hashing and copying without holding it all). */
export async function* readChunks(source: ByteSource, start = 0, end = source.size, chunkSize = 1 << 20): AsyncGenerator<Buffer> {
  for (let offset = start; offset < end; offset += chunkSize) {
    yield await source.read(offset, Math.min(chunkSize, end - offset));
  }
}

/**
 * Buffers lent out for one read-and-decode at a time and taken back, so reading a multi-GB file
 * block by block reuses a few buffers instead of leaving one behind per block for the garbage
 * collector (decoded data itself goes to the decode cache's pages).
 */
export class ScratchBuffers {
  private readonly free: Buffer[] = [];

  constructor(private readonly keep = 4) {}

  /** A buffer of exactly `size` bytes (a view of a larger one), to give back when done. */
  take(size: number): Buffer {
    const index = this.free.findIndex((buffer) => buffer.buffer.byteLength >= size);
    const buffer = index === -1 ? Buffer.allocUnsafeSlow(size) : (this.free.splice(index, 1)[0] as Buffer);
    return Buffer.from(buffer.buffer, 0, size);
  }

  give(buffer: Buffer): void {
    if (this.free.length < this.keep) this.free.push(buffer);
  }
}

/** Reads [offset, offset+length) of a source into `target` (from its start), visiting it. */
export async function readInto(source: ByteSource, offset: number, length: number, target: Buffer): Promise<Buffer> {
  let filled = 0;
  await visitBytes(source, offset, length, (piece) => {
    target.set(piece, filled);
    filled += piece.length;
  });
  if (filled !== length) throw new Error(`a source visited ${filled} bytes of a ${length}-byte read`);
  return target.subarray(0, length);
}
