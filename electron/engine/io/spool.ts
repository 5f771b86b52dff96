import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { FileByteSource, readChunks, viewOf, type ByteSource } from './byteSource.js';

/** Counts the spools made by the code run through countSpools (in its async context only). */
const spoolCounter = new AsyncLocalStorage<{ count: number }>();

/**
 * Runs `work` and says how many temporary files it decoded something into: a package whose
 * opening needed none is cheap to open again (in a worker thread), one that did is not.
 */
export async function countSpools<T>(work: () => Promise<T>): Promise<{ result: T; spools: number }> {
  const counter = { count: 0 };
  const result = await spoolCounter.run(counter, work);
  return { result, spools: counter.count };
}

/**
 * A temporary file that keeps a copy of a decoded stream as it passes, so a gzip-compressed
 * archive, decoded once to be listed, can afterwards be read at random without decoding again.
 * The file lives in its own temporary folder, removed when the source over it is closed.
 */
export class Spool {
  private written = 0;

  private constructor(
    private readonly folder: string,
    private readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(parent: string): Promise<Spool> {
    const counter = spoolCounter.getStore();
    if (counter !== undefined) counter.count += 1;
    const folder = await mkdtemp(join(parent, 'otalens-spool-'));
    const path = join(folder, 'decoded');
    try {
      return new Spool(folder, path, await open(path, 'w'));
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  /** Passes `chunks` through, writing each one to the file first. */
  async *tee(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) {
      await this.handle.write(chunk, 0, chunk.length, this.written);
      this.written += chunk.length;
      yield chunk;
    }
  }

  /** The bytes written so far, by random access; closing the source deletes the file. */
  async finish(name: string): Promise<ByteSource> {
    await this.handle.close();
    const file = await FileByteSource.open(this.path, name);
    const folder = this.folder;
    return viewOf(file, async () => {
      await file.close();
      await rm(folder, { recursive: true, force: true });
    });
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.folder, { recursive: true, force: true });
  }
}

/**
 * A stream's bytes written once to a temporary file, then read at random from there (the file is
 * deleted when the returned source is closed). On failure nothing is left behind.
 */
export async function spoolStream(chunks: AsyncIterable<Buffer>, parent: string, name: string): Promise<ByteSource> {
  const spool = await Spool.create(parent);
  try {
    for await (const _chunk of spool.tee(chunks)) {
      // tee() writes each chunk as it passes
    }
    return await spool.finish(name);
  } catch (error) {
    await spool.discard();
    throw error;
  }
}

/**
 * A copy of `source` in a temporary file, for bytes that are costly to reach at random (a deflated
 * multi-GB image inside a zip): decoded once, front to back, then read at random from disk. The
 * file is deleted when the returned source is closed; `source` is closed right away.
 */
export async function spoolToDisk(source: ByteSource, parent: string): Promise<ByteSource> {
  try {
    return await spoolStream(readChunks(source), parent, source.name);
  } finally {
    await source.close();
  }
}
