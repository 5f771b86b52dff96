import { createRequire } from 'node:module';
import { decompressLz4Block, Lz4FormatError } from './lz4.js';
import { withLz4Block } from './lz4Wasm.js';

/**
 * The LZ4 frame format (lz4_Frame_format.md, v1.6.x): what the `lz4` command writes. A frame is a
 * magic, a descriptor (flags, block maximum size, optional content size and dictionary id, one
 * header-checksum byte), then blocks, each a 4-byte little-endian size (high bit: stored
 * uncompressed) and its data, maybe followed by the block's xxHash32; a zero size ends the frame,
 * maybe followed by the content's xxHash32.
 */

export const LZ4_FRAME_MAGIC = 0x184d2204;
/** Skippable frames carry any of 16 magics, 0x184D2A50 to 0x184D2A5F. */
export const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
export const SKIPPABLE_MAGIC = 0x184d2a50;
/** The old `lz4 -l` format, without a descriptor. */
export const LZ4_LEGACY_MAGIC = 0x184c2102;
/** Bytes a descriptor may take after the magic: FLG, BD, content size, dictionary id, HC. */
export const MAX_DESCRIPTOR_BYTES = 2 + 8 + 4 + 1;
/** How far back a linked block may refer into the blocks before it. */
export const LINKED_WINDOW = 64 * 1024;
export const UNCOMPRESSED_BIT = 0x80000000;

const BLOCK_MAX_SIZES = new Map([
  [4, 64 * 1024],
  [5, 256 * 1024],
  [6, 1024 * 1024],
  [7, 4 * 1024 * 1024],
]);

/** A malformed frame; `offset` is where in the frame (from its magic) the problem was found. */
export class Lz4FrameError extends Error {
  override readonly name = 'Lz4FrameError';
  constructor(
    readonly problem: string,
    readonly offset: number,
    readonly expected?: string,
  ) {
    super(problem);
  }
}

export interface Lz4FrameDescriptor {
  /** Blocks decode on their own (random access), or each may refer into the 64 KiB before it. */
  blockIndependence: boolean;
  blockChecksums: boolean;
  contentChecksum: boolean;
  /** Decoded bytes of the frame, when the writer stated them (`lz4 --content-size`). */
  contentSize: number | null;
  dictionaryId: number | null;
  /** No block decodes to more than this. */
  blockMaxSize: number;
  /** Magic and descriptor, in bytes: where the first block header is. */
  headerLength: number;
}

/** Parses a frame's descriptor; `bytes` starts at the magic and holds at least 4 + MAX_DESCRIPTOR_BYTES bytes, or all there is. */
export function parseLz4FrameDescriptor(bytes: Buffer): Lz4FrameDescriptor {
  if (bytes.length < 7) throw new Lz4FrameError('the frame ends inside its header', bytes.length, 'a frame descriptor');
  if (bytes.readUInt32LE(0) !== LZ4_FRAME_MAGIC) throw new Lz4FrameError('not an LZ4 frame', 0, 'magic 04 22 4d 18');
  const flags = bytes[4] as number;
  const bd = bytes[5] as number;
  if (flags >> 6 !== 1) throw new Lz4FrameError(`unsupported frame version ${flags >> 6}`, 4, 'version 01');
  if ((flags & 0x02) !== 0) throw new Lz4FrameError('a reserved flag bit is set', 4);
  if ((bd & 0x8f) !== 0) throw new Lz4FrameError('a reserved bit of the block descriptor is set', 5);
  const blockMaxSize = BLOCK_MAX_SIZES.get((bd >> 4) & 0x07);
  if (blockMaxSize === undefined) throw new Lz4FrameError(`invalid block maximum size code ${(bd >> 4) & 0x07}`, 5, 'a code from 4 (64 KiB) to 7 (4 MiB)');
  const hasContentSize = (flags & 0x08) !== 0;
  const hasDictionary = (flags & 0x01) !== 0;
  const descriptorEnd = 6 + (hasContentSize ? 8 : 0) + (hasDictionary ? 4 : 0);
  if (bytes.length < descriptorEnd + 1) throw new Lz4FrameError('the frame ends inside its header', bytes.length, 'a frame descriptor');
  let contentSize: number | null = null;
  if (hasContentSize) {
    const value = bytes.readBigUInt64LE(6);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Lz4FrameError(`content size ${value} is too large`, 6);
    contentSize = Number(value);
  }
  const dictionaryId = hasDictionary ? bytes.readUInt32LE(descriptorEnd - 4) : null;
  const headerChecksum = (xxh32(bytes.subarray(4, descriptorEnd)) >>> 8) & 0xff;
  if (bytes[descriptorEnd] !== headerChecksum) {
    throw new Lz4FrameError(`header checksum mismatch: stored 0x${(bytes[descriptorEnd] as number).toString(16)}, computed 0x${headerChecksum.toString(16)}`, descriptorEnd, 'an intact frame header');
  }
  return {
    blockIndependence: (flags & 0x20) !== 0,
    blockChecksums: (flags & 0x10) !== 0,
    contentChecksum: (flags & 0x04) !== 0,
    contentSize,
    dictionaryId,
    blockMaxSize,
    headerLength: descriptorEnd + 1,
  };
}

type XxhashModule = typeof import('@node-rs/xxhash');

let xxhash: XxhashModule | undefined;
function xxhashModule(): XxhashModule {
  xxhash ??= createRequire(import.meta.url)('@node-rs/xxhash') as XxhashModule;
  return xxhash;
}

/** xxHash32 with seed 0, as the frame format uses it (native, from @node-rs/xxhash). */
export function xxh32(bytes: Uint8Array): number {
  return xxhashModule().xxh32(bytes, 0) >>> 0;
}

/** A running xxHash32 over the content, fed in order. */
export function contentHasher(): { update(bytes: Uint8Array): void; digest(): number } {
  const state = new (xxhashModule().Xxh32)(0);
  return {
    update: (bytes) => void state.update(bytes),
    digest: () => state.digest() >>> 0,
  };
}

/**
 * Decodes one compressed block of at most `maxSize` bytes. `dictionary` is the output just before
 * it (at most 64 KiB), for linked blocks.
 *
 * The TypeScript decoder (codecs/lz4.ts) does it: measured on a 2 GB super.img.lz4, lz4-napi
 * decoded at about the same wall-clock speed but its output buffers are allocated outside V8's
 * accounting, so the garbage collector ran too late and the process grew to 1.5 GB, against
 * 240 MB with the TypeScript decoder (bench/open.mjs --kind samsung).
 */
export async function decodeLz4Block(block: Buffer, maxSize: number, dictionary?: Buffer): Promise<Buffer> {
  return decodeInTypeScript(block, maxSize, dictionary);
}

/**
 * Decodes a block of an independent-block frame that should decode to `size` bytes and calls
 * `use` with them, valid only during the call: in WebAssembly memory (codecs/lz4Wasm.ts), so
 * decoding 4 MiB blocks leaves nothing behind for the garbage collector. A block that does not
 * decode to `size` bytes is decoded by the TypeScript decoder, whose output (maybe shorter) `use` gets.
 */
export function withDecodedLz4Block<T>(block: Uint8Array, size: number, use: (bytes: Uint8Array) => T): T {
  try {
    return withLz4Block(block, size, {}, use);
  } catch (error) {
    if (error instanceof Lz4FormatError) throw new Lz4FrameError(`corrupt block: ${error.problem}`, error.inputOffset);
    throw error;
  }
}

function decodeInTypeScript(block: Buffer, maxSize: number, dictionary: Buffer | undefined): Buffer {
  try {
    return decompressLz4Block(block, maxSize, dictionary === undefined ? {} : { dictionary });
  } catch (error) {
    if (error instanceof Lz4FormatError) throw new Lz4FrameError(`corrupt block: ${error.problem}`, error.inputOffset);
    throw error;
  }
}
