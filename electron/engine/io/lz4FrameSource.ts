import { contentHasher, LINKED_WINDOW } from '../codecs/lz4Frame.js';
import { InputError } from '../errors.js';
import { checkRange, type ByteSource } from './byteSource.js';
import { decodeBlockAt, indexLz4Frames, LZ4_FORMAT, type Lz4Block, type Lz4Frame, type Lz4FrameIndex } from './lz4FrameIndex.js';
import { lastStartAtOrBefore } from './sortedSearch.js';
import { spoolStream } from './spool.js';

const DEFAULT_CACHE_BYTES = 64 << 20;
const MiB = 1 << 20;

/** A decoded view of a compressed file, saying in a few words how it is read (for `info`). */
export interface DecodedSource extends ByteSource {
  readonly description: string;
}

export interface Lz4OpenOptions {
  /** Where linked-block frames are decoded to, once (the file is deleted on close). */
  spoolDirectory: string;
  /** Upper bound on decoded blocks kept in memory (independent blocks). */
  cacheBytes?: number;
}

/**
 * The decoded content of an LZ4 file, by random access. Frames of independent blocks (the `lz4`
 * command's default) are indexed by their block headers and each block is decoded when a read
 * needs it, into a small LRU cache. Frames of linked blocks (`lz4 -BD`) are decoded once, front to
 * back, into a temporary file, checking the content checksums on the way. Closing the returned
 * source closes `compressed` too.
 */
export async function openLz4(compressed: ByteSource, options: Lz4OpenOptions): Promise<DecodedSource> {
  let index: Lz4FrameIndex;
  try {
    index = await indexLz4Frames(compressed);
  } catch (error) {
    await compressed.close();
    throw error;
  }
  if (index.independent) return new Lz4BlockSource(compressed, index, options.cacheBytes ?? DEFAULT_CACHE_BYTES);
  return spoolLinkedFrames(compressed, index, options.spoolDirectory);
}

function blockWords(frame: Lz4Frame): string {
  const size = frame.descriptor.blockMaxSize;
  return size >= MiB ? `${size / MiB} MiB` : `${size / 1024} KiB`;
}

/**
 * Independent blocks read at random. Blocks being decoded are shared by the reads that need them;
 * decoding runs on libuv's thread pool, so reads in flight decode in parallel. The content checksum
 * is checked when the blocks happen to be decoded in order from the first (a whole, sequential
 * read); blocks are checked against their size (and block checksum) whenever decoded.
 */
class Lz4BlockSource implements DecodedSource {
  readonly name: string;
  readonly size: number;
  readonly description: string;
  private readonly starts: Float64Array;
  private readonly cache = new Map<number, Buffer>();
  private cachedBytes = 0;
  private readonly decoding = new Map<number, Promise<Buffer>>();
  /** The next block the running content checksum waits for. */
  private nextInOrder = 0;
  private hasher = contentHasher();

  constructor(
    private readonly compressed: ByteSource,
    private readonly index: Lz4FrameIndex,
    private readonly cacheBytes: number,
  ) {
    this.name = compressed.name;
    this.size = index.decodedSize ?? 0;
    this.starts = Float64Array.from(index.blocks, (block) => block.decodedStart);
    const first = index.frames[0] as Lz4Frame;
    const checksums = index.frames.some((frame) => frame.contentChecksum !== null) ? '; content checksum checked only when read whole, in order' : '';
    this.description = `LZ4, ${blockWords(first)} independent blocks, read at random${checksums}`;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, LZ4_FORMAT, offset, length);
    if (length === 0) return Buffer.alloc(0);
    const end = offset + length;
    const wanted: number[] = [];
    for (let index = lastStartAtOrBefore(this.starts, offset); index < this.index.blocks.length; index++) {
      const block = this.index.blocks[index] as Lz4Block;
      if (block.decodedStart >= end) break;
      if (block.decodedStart + block.decodedSize > offset) wanted.push(index);
    }
    const decoded = await Promise.all(wanted.map((index) => this.block(index)));
    if (decoded.length === 1) {
      const block = this.index.blocks[wanted[0] as number] as Lz4Block;
      return (decoded[0] as Buffer).subarray(offset - block.decodedStart, end - block.decodedStart);
    }
    const output = Buffer.allocUnsafe(length);
    decoded.forEach((bytes, position) => {
      const block = this.index.blocks[wanted[position] as number] as Lz4Block;
      const from = Math.max(offset, block.decodedStart);
      const to = Math.min(end, block.decodedStart + block.decodedSize);
      bytes.copy(output, from - offset, from - block.decodedStart, to - block.decodedStart);
    });
    return output;
  }

  private block(index: number): Promise<Buffer> {
    const cached = this.cache.get(index);
    if (cached !== undefined) {
      this.cache.delete(index);
      this.cache.set(index, cached);
      return Promise.resolve(cached);
    }
    let pending = this.decoding.get(index);
    if (pending === undefined) {
      pending = this.decode(index).finally(() => this.decoding.delete(index));
      this.decoding.set(index, pending);
    }
    return pending;
  }

  private async decode(index: number): Promise<Buffer> {
    const block = this.index.blocks[index] as Lz4Block;
    const frame = this.index.frames[block.frame] as Lz4Frame;
    const bytes = await decodeBlockAt(this.compressed, block, frame.descriptor);
    if (bytes.length !== block.decodedSize) {
      const last = index === frame.firstBlock + frame.blockCount - 1;
      throw new InputError(
        last
          ? `the last block decodes to ${bytes.length} bytes, the frame states ${block.decodedSize}`
          : `block ${index - frame.firstBlock} decodes to ${bytes.length} bytes, not the frame's full ${block.decodedSize}-byte block size: the blocks cannot be located without decoding the whole frame`,
        { file: this.name, format: `${LZ4_FORMAT} › block at ${block.headerOffset}`, offset: block.headerOffset, expected: `${block.decodedSize} decoded bytes` },
      );
    }
    this.remember(index, bytes);
    this.checkInOrder(index, bytes);
    return bytes;
  }

  private remember(index: number, bytes: Buffer): void {
    this.cache.set(index, bytes);
    this.cachedBytes += bytes.length;
    while (this.cachedBytes > this.cacheBytes && this.cache.size > 1) {
      const [oldest, evicted] = this.cache.entries().next().value as [number, Buffer];
      this.cache.delete(oldest);
      this.cachedBytes -= evicted.length;
    }
  }

  /** Feeds the running content checksum with this block and any cached ones after it, in order. */
  private checkInOrder(index: number, bytes: Buffer): void {
    if (index !== this.nextInOrder) return;
    let current: Buffer | undefined = bytes;
    while (current !== undefined) {
      const block = this.index.blocks[this.nextInOrder] as Lz4Block;
      const frame = this.index.frames[block.frame] as Lz4Frame;
      if (this.nextInOrder === frame.firstBlock) this.hasher = contentHasher();
      this.hasher.update(current);
      this.nextInOrder += 1;
      if (this.nextInOrder === frame.firstBlock + frame.blockCount) checkContent(this.compressed, frame, this.hasher.digest());
      current = this.cache.get(this.nextInOrder);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.decoding.values());
    this.cache.clear();
    this.cachedBytes = 0;
    await this.compressed.close();
  }
}

function checkContent(source: ByteSource, frame: Lz4Frame, digest: number): void {
  if (frame.contentChecksum === null || frame.contentChecksum === digest) return;
  throw new InputError(`content checksum mismatch: stored 0x${frame.contentChecksum.toString(16)}, the decoded content hashes to 0x${digest.toString(16)} (the data is damaged)`, {
    file: source.name,
    format: LZ4_FORMAT,
    offset: frame.offset,
    expected: 'content that matches its xxHash32',
  });
}

/** `decoded` under the compressed file's name, with a description of how it is read. */
export function describedAs(decoded: ByteSource, name: string, description: string): DecodedSource {
  return { name, size: decoded.size, description, read: (offset, length) => decoded.read(offset, length), close: () => decoded.close() };
}

/** Decodes linked-block frames once, in order, into a temporary file; checks sizes and checksums. */
async function spoolLinkedFrames(compressed: ByteSource, index: Lz4FrameIndex, spoolDirectory: string): Promise<DecodedSource> {
  try {
    const decoded = await spoolStream(decodeInOrder(compressed, index), spoolDirectory, `${compressed.name} (decompressed)`);
    const first = index.frames[0] as Lz4Frame;
    const checksums = index.frames.every((frame) => frame.contentChecksum !== null) ? ', content checksum verified' : ', no content checksum';
    return describedAs(decoded, compressed.name, `LZ4, ${blockWords(first)} linked blocks, decoded once to a temporary file${checksums}`);
  } finally {
    await compressed.close();
  }
}

async function* decodeInOrder(compressed: ByteSource, index: Lz4FrameIndex): AsyncGenerator<Buffer> {
  for (const frame of index.frames) {
    const hasher = contentHasher();
    let history: Buffer | undefined;
    let decodedBytes = 0;
    for (let number = frame.firstBlock; number < frame.firstBlock + frame.blockCount; number++) {
      const block = index.blocks[number] as Lz4Block;
      const linked = !frame.descriptor.blockIndependence;
      const bytes = await decodeBlockAt(compressed, block, frame.descriptor, linked ? history : undefined);
      if (linked) history = windowAfter(history, bytes);
      if (frame.contentChecksum !== null) hasher.update(bytes);
      decodedBytes += bytes.length;
      yield bytes;
    }
    const stated = frame.descriptor.contentSize;
    if (stated !== null && stated !== decodedBytes) {
      throw new InputError(`the frame decodes to ${decodedBytes} bytes, its header states ${stated}`, { file: compressed.name, format: LZ4_FORMAT, offset: frame.offset + 6, expected: `${stated} bytes` });
    }
    checkContent(compressed, frame, hasher.digest());
  }
}

/** The last 64 KiB of the output so far: what the next linked block may refer to. */
function windowAfter(history: Buffer | undefined, bytes: Buffer): Buffer {
  if (bytes.length >= LINKED_WINDOW || history === undefined) return Buffer.from(bytes.subarray(Math.max(0, bytes.length - LINKED_WINDOW)));
  const keep = Math.min(history.length, LINKED_WINDOW - bytes.length);
  return Buffer.concat([history.subarray(history.length - keep), bytes]);
}
