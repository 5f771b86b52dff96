import {
  decodeLz4Block,
  LZ4_FRAME_MAGIC,
  LZ4_LEGACY_MAGIC,
  Lz4FrameError,
  MAX_DESCRIPTOR_BYTES,
  parseLz4FrameDescriptor,
  SKIPPABLE_MAGIC,
  SKIPPABLE_MAGIC_MASK,
  UNCOMPRESSED_BIT,
  xxh32,
  type Lz4FrameDescriptor,
} from '../codecs/lz4Frame.js';
import { InputError } from '../errors.js';
import { readInto, type ByteSource } from './byteSource.js';
import { WindowReader } from './windowReader.js';

export const LZ4_FORMAT = 'lz4 frame';

export interface Lz4Block {
  /** Where the block's 4-byte size field is; its data follows. */
  headerOffset: number;
  storedSize: number;
  compressed: boolean;
  frame: number;
  /** Offset of its first decoded byte (independent frames only; 0 in linked frames). */
  decodedStart: number;
  /** Bytes it decodes to (independent frames only; 0 in linked frames). */
  decodedSize: number;
}

export interface Lz4Frame {
  offset: number;
  descriptor: Lz4FrameDescriptor;
  firstBlock: number;
  blockCount: number;
  /** The content's xxHash32 as stored after the end mark, when the frame has one. */
  contentChecksum: number | null;
}

export interface Lz4FrameIndex {
  frames: Lz4Frame[];
  blocks: Lz4Block[];
  /** Every frame's blocks decode on their own: the content can be read at random. */
  independent: boolean;
  /** Decoded bytes of all frames (independent frames only; null for linked ones until decoded). */
  decodedSize: number | null;
}

/** Reads an LZ4 error as an InputError of `source`, at `base` + its offset in the frame. */
export function frameInputError(error: Lz4FrameError, source: ByteSource, base: number): InputError {
  return new InputError(error.problem, { file: source.name, format: LZ4_FORMAT, offset: base + error.offset, ...(error.expected === undefined ? {} : { expected: error.expected }) });
}

/**
 * Walks the frames of an LZ4 file (skippable frames are passed over) and their block headers,
 * reading only headers: a multi-GB file costs one small read per block. In independent-block
 * frames every block but the last decodes to the maximum block size (as every LZ4 writer fills
 * them; each block is checked when decoded), so each block's decoded offset is known without
 * decoding; the last block's size comes from the frame's content size, or by decoding that block.
 */
export async function indexLz4Frames(source: ByteSource): Promise<Lz4FrameIndex> {
  const reader = new WindowReader(source, 1 << 20);
  const frames: Lz4Frame[] = [];
  const blocks: Lz4Block[] = [];
  let position = 0;
  let decodedEnd = 0;
  const fail = (problem: string, offset: number, expected?: string): never => {
    throw new InputError(problem, { file: source.name, format: LZ4_FORMAT, offset, ...(expected === undefined ? {} : { expected }) });
  };
  while (position < source.size) {
    if (source.size - position < 4) fail(`${source.size - position} bytes after the last frame are not an LZ4 frame`, position, 'another frame or the end of the file');
    const magic = (await reader.read(position, 4)).readUInt32LE(0);
    if (((magic & SKIPPABLE_MAGIC_MASK) >>> 0) === SKIPPABLE_MAGIC) {
      if (position + 8 > source.size) fail('the file ends inside a skippable frame header', position, '8 bytes');
      const skip = (await reader.read(position + 4, 4)).readUInt32LE(0);
      if (position + 8 + skip > source.size) fail(`a skippable frame of ${skip} bytes runs past the end of the file (truncated?)`, position);
      position += 8 + skip;
      continue;
    }
    if (magic === LZ4_LEGACY_MAGIC) fail('the legacy LZ4 format (lz4 -l) is not supported', position, 'an LZ4 frame (magic 04 22 4d 18)');
    if (magic !== LZ4_FRAME_MAGIC) {
      fail(frames.length === 0 ? 'not an LZ4 frame' : 'bytes after the last frame are not an LZ4 frame', position, 'magic 04 22 4d 18');
    }
    let descriptor: Lz4FrameDescriptor;
    try {
      descriptor = parseLz4FrameDescriptor(await reader.read(position, Math.min(4 + MAX_DESCRIPTOR_BYTES, source.size - position)));
    } catch (error) {
      if (error instanceof Lz4FrameError) throw frameInputError(error, source, position);
      throw error;
    }
    const frame: Lz4Frame = { offset: position, descriptor, firstBlock: blocks.length, blockCount: 0, contentChecksum: null };
    const trailer = descriptor.blockChecksums ? 4 : 0;
    let at = position + descriptor.headerLength;
    while (true) {
      if (at + 4 > source.size) fail('the frame ends before its end mark: the file is truncated (an incomplete download?)', at, 'a block size or the end mark');
      const field = (await reader.read(at, 4)).readUInt32LE(0);
      if (field === 0) {
        at += 4;
        break;
      }
      const storedSize = (field & ~UNCOMPRESSED_BIT) >>> 0;
      const compressed = (field & UNCOMPRESSED_BIT) === 0;
      if (storedSize > descriptor.blockMaxSize) {
        fail(`block ${blocks.length - frame.firstBlock} claims ${storedSize} bytes, more than the frame's ${descriptor.blockMaxSize}-byte maximum block size`, at, `at most ${descriptor.blockMaxSize} bytes`);
      }
      if (at + 4 + storedSize + trailer > source.size) {
        fail(`block ${blocks.length - frame.firstBlock} of ${storedSize} bytes runs past the end of the file: it is truncated (an incomplete download?)`, at, `${at + 4 + storedSize + trailer} bytes`);
      }
      blocks.push({ headerOffset: at, storedSize, compressed, frame: frames.length, decodedStart: 0, decodedSize: 0 });
      frame.blockCount += 1;
      at += 4 + storedSize + trailer;
    }
    if (descriptor.contentChecksum) {
      if (at + 4 > source.size) fail('the file ends before the content checksum: it is truncated', at, 'a 4-byte content checksum');
      frame.contentChecksum = (await reader.read(at, 4)).readUInt32LE(0);
      at += 4;
    }
    if (descriptor.blockIndependence) decodedEnd = await placeBlocks(source, frame, blocks, decodedEnd);
    frames.push(frame);
    position = at;
  }
  if (frames.length === 0) fail('no LZ4 frame in the file', 0, 'magic 04 22 4d 18');
  const independent = frames.every((frame) => frame.descriptor.blockIndependence);
  return { frames, blocks, independent, decodedSize: independent ? decodedEnd : null };
}

/** Gives an independent frame's blocks their decoded offsets; returns where the frame's content ends. */
async function placeBlocks(source: ByteSource, frame: Lz4Frame, blocks: Lz4Block[], start: number): Promise<number> {
  const { blockMaxSize, contentSize } = frame.descriptor;
  let at = start;
  const last = frame.firstBlock + frame.blockCount - 1;
  for (let index = frame.firstBlock; index < last; index++) {
    const block = blocks[index] as Lz4Block;
    block.decodedStart = at;
    block.decodedSize = block.compressed ? blockMaxSize : block.storedSize;
    at += block.decodedSize;
  }
  if (frame.blockCount === 0) {
    if (contentSize !== null && contentSize !== 0) throw new InputError(`the frame has no blocks but states ${contentSize} bytes of content`, { file: source.name, format: LZ4_FORMAT, offset: frame.offset });
    return at;
  }
  const lastBlock = blocks[last] as Lz4Block;
  lastBlock.decodedStart = at;
  if (!lastBlock.compressed) lastBlock.decodedSize = lastBlock.storedSize;
  else if (contentSize !== null) lastBlock.decodedSize = contentSize - (at - start);
  else lastBlock.decodedSize = (await decodeBlockAt(source, lastBlock, frame.descriptor)).length;
  if (contentSize !== null && (lastBlock.decodedSize <= 0 || lastBlock.decodedSize > blockMaxSize || at + lastBlock.decodedSize - start !== contentSize)) {
    throw new InputError(`the frame states ${contentSize} bytes of content, which ${frame.blockCount} blocks of at most ${blockMaxSize} bytes cannot hold`, {
      file: source.name,
      format: LZ4_FORMAT,
      offset: frame.offset + 6,
      expected: 'a content size that matches the blocks',
    });
  }
  return at + lastBlock.decodedSize;
}

/**
 * One block's stored bytes, its block checksum checked when the frame has them; read into
 * `target` when given (at least the stored size and 4 bytes), else into a buffer of their own.
 */
export async function readStoredBlock(source: ByteSource, block: Lz4Block, descriptor: Lz4FrameDescriptor, target?: Buffer): Promise<Buffer> {
  const dataAt = block.headerOffset + 4;
  const length = block.storedSize + (descriptor.blockChecksums ? 4 : 0);
  const bytes = target === undefined ? await source.read(dataAt, length) : await readInto(source, dataAt, length, target);
  const stored = bytes.subarray(0, block.storedSize);
  if (descriptor.blockChecksums) {
    const expected = bytes.readUInt32LE(block.storedSize);
    const actual = xxh32(stored);
    if (actual !== expected) {
      throw new InputError(`block checksum mismatch: stored 0x${expected.toString(16)}, computed 0x${actual.toString(16)} (the data is damaged)`, {
        ...blockWhere(source, block),
        offset: dataAt + block.storedSize,
      });
    }
  }
  return stored;
}

/** Where a block is, for errors. */
export function blockWhere(source: ByteSource, block: Lz4Block): { file: string; format: string } {
  return { file: source.name, format: `${LZ4_FORMAT} › block at ${block.headerOffset}` };
}

/** An LZ4 block error as an InputError at the block's place in the file. */
export function blockInputError(error: Lz4FrameError, source: ByteSource, block: Lz4Block): InputError {
  return new InputError(error.problem, { ...blockWhere(source, block), offset: block.headerOffset + 4 + error.offset });
}

/**
 * Decodes one block (checking its block checksum when the frame has them) into at most the
 * frame's maximum block size. `dictionary`: the output just before it, for linked blocks.
 */
export async function decodeBlockAt(source: ByteSource, block: Lz4Block, descriptor: Lz4FrameDescriptor, dictionary?: Buffer): Promise<Buffer> {
  const stored = await readStoredBlock(source, block, descriptor);
  if (!block.compressed) return stored;
  try {
    return await decodeLz4Block(stored, descriptor.blockMaxSize, dictionary);
  } catch (error) {
    if (error instanceof Lz4FrameError) throw blockInputError(error, source, block);
    throw error;
  }
}
