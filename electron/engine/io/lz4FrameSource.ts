import { randomUUID } from 'node:crypto';
import { contentHasher, LINKED_WINDOW, Lz4FrameError, withDecodedLz4Block } from '../codecs/lz4Frame.js';
import { InputError } from '../errors.js';
import { checkRange, readByVisiting, ScratchBuffers, viewOf, type ByteSource, type ByteVisitor } from './byteSource.js';
import { DecodeCache, unitNamespace, type UnitNamespace, type UnitProducer } from './decodeCache.js';
import { blockInputError, decodeBlockAt, indexLz4Frames, LZ4_FORMAT, readStoredBlock, type Lz4Block, type Lz4Frame, type Lz4FrameIndex } from './lz4FrameIndex.js';
import { lastStartAtOrBefore } from './sortedSearch.js';
import { spoolStream } from './spool.js';

/** Decoded blocks kept when the compressed file has no identity to share them by (bytes in memory). */
const PRIVATE_CACHE_BYTES = 64 << 20;
const MiB = 1 << 20;

/** A decoded view of a compressed file, saying in a few words how it is read (for `info`). */
export interface DecodedSource extends ByteSource {
  readonly description: string;
}

export interface Lz4OpenOptions {
  /** Where linked-block frames are decoded to, once (the file is deleted on close). */
  spoolDirectory: string;
  /**
   * Decoded blocks kept for this file alone (independent blocks). By default a file with an
   * identity uses the process's decode cache, shared with the threads reading the same package.
   */
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
  if (index.independent) return new Lz4BlockSource(compressed, index, options.cacheBytes);
  return spoolLinkedFrames(compressed, index, options.spoolDirectory);
}

function blockWords(frame: Lz4Frame): string {
  const size = frame.descriptor.blockMaxSize;
  return size >= MiB ? `${size / MiB} MiB` : `${size / 1024} KiB`;
}

/**
 * Independent blocks read at random, each decoded (in WebAssembly memory) when a read needs it and
 * kept in a decode cache: the process's, shared by the threads reading the same package, when the
 * compressed file has an identity (io/decodeCache.ts). The content checksum is checked when the
 * blocks are read in order from the first (a whole, sequential read); blocks are checked against
 * their size (and block checksum) whenever decoded.
 */
class Lz4BlockSource implements DecodedSource {
  readonly name: string;
  readonly size: number;
  readonly description: string;
  readonly identity: string | undefined;
  private readonly starts: Float64Array;
  private readonly cache: DecodeCache;
  private readonly namespace: UnitNamespace;
  /** Buffers the compressed blocks are read into, reused. */
  private readonly scratch = new ScratchBuffers();
  /** The next block the running content checksum waits for. */
  private nextInOrder = 0;
  private hasher = contentHasher();

  constructor(
    private readonly compressed: ByteSource,
    private readonly index: Lz4FrameIndex,
    cacheBytes: number | undefined,
  ) {
    this.name = compressed.name;
    this.size = index.decodedSize ?? 0;
    this.starts = Float64Array.from(index.blocks, (block) => block.decodedStart);
    const first = index.frames[0] as Lz4Frame;
    const checksums = index.frames.some((frame) => frame.contentChecksum !== null) ? '; content checksum checked only when read whole, in order' : '';
    this.description = `LZ4, ${blockWords(first)} independent blocks, read at random${checksums}`;
    this.identity = compressed.identity === undefined ? undefined : `${compressed.identity}#lz4`;
    this.cache = cacheBytes !== undefined ? DecodeCache.create(cacheBytes) : this.identity !== undefined ? DecodeCache.shared() : DecodeCache.create(PRIVATE_CACHE_BYTES);
    this.namespace = unitNamespace(this.identity ?? `${randomUUID()}#lz4`);
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, LZ4_FORMAT, offset, length);
    return readByVisiting(this, offset, length);
  }

  async visit(offset: number, length: number, visitor: ByteVisitor): Promise<void> {
    checkRange(this, LZ4_FORMAT, offset, length);
    const end = offset + length;
    for (let index = lastStartAtOrBefore(this.starts, offset); index < this.index.blocks.length && length > 0; index++) {
      const block = this.index.blocks[index] as Lz4Block;
      if (block.decodedStart >= end) break;
      if (block.decodedStart + block.decodedSize <= offset) continue;
      const from = Math.max(offset, block.decodedStart) - block.decodedStart;
      const to = Math.min(end, block.decodedStart + block.decodedSize) - block.decodedStart;
      await this.cache.withUnit(this.namespace, index, block.decodedSize, () => this.decode(index), (bytes) => {
        this.checkInOrder(index, bytes);
        visitor(bytes.subarray(from, to));
      });
    }
  }

  private async decode(index: number): Promise<UnitProducer> {
    const block = this.index.blocks[index] as Lz4Block;
    const frame = this.index.frames[block.frame] as Lz4Frame;
    const scratch = this.scratch.take(block.storedSize + 4);
    let stored: Buffer;
    try {
      stored = await readStoredBlock(this.compressed, block, frame.descriptor, scratch);
    } catch (error) {
      this.scratch.give(scratch);
      throw error;
    }
    const produce = this.producer(index, block, frame, stored);
    return (sink) => {
      try {
        produce(sink);
      } finally {
        this.scratch.give(scratch);
      }
    };
  }

  /** Decodes a block's stored bytes for the cache, checking its size. */
  private producer(index: number, block: Lz4Block, frame: Lz4Frame, stored: Buffer): UnitProducer {
    const checked = (bytes: Uint8Array): Uint8Array => {
      if (bytes.length === block.decodedSize) return bytes;
      const last = index === frame.firstBlock + frame.blockCount - 1;
      throw new InputError(
        last
          ? `the last block decodes to ${bytes.length} bytes, the frame states ${block.decodedSize}`
          : `block ${index - frame.firstBlock} decodes to ${bytes.length} bytes, not the frame's full ${block.decodedSize}-byte block size: the blocks cannot be located without decoding the whole frame`,
        { file: this.name, format: `${LZ4_FORMAT} › block at ${block.headerOffset}`, offset: block.headerOffset, expected: `${block.decodedSize} decoded bytes` },
      );
    };
    if (!block.compressed) return (sink) => sink(checked(stored));
    return (sink) => {
      try {
        withDecodedLz4Block(stored, block.decodedSize, (bytes) => sink(checked(bytes)));
      } catch (error) {
        if (error instanceof Lz4FrameError) throw blockInputError(error, this.compressed, block);
        throw error;
      }
    };
  }

  /** Feeds the running content checksum with a block read just after the one before it. */
  private checkInOrder(index: number, bytes: Uint8Array): void {
    if (index !== this.nextInOrder) return;
    const block = this.index.blocks[index] as Lz4Block;
    const frame = this.index.frames[block.frame] as Lz4Frame;
    if (index === frame.firstBlock) this.hasher = contentHasher();
    this.hasher.update(bytes);
    this.nextInOrder += 1;
    if (this.nextInOrder === frame.firstBlock + frame.blockCount) checkContent(this.compressed, frame, this.hasher.digest());
  }

  async close(): Promise<void> {
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
  return { ...viewOf(decoded, () => decoded.close(), name), description };
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
