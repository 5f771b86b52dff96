import { createRequire } from 'node:module';
import { Decompress } from 'fzstd';
import { CorruptDataError } from './corruptData.js';

type ZstdBinding = typeof import('@toondepauw/node-zstd');

const FRAME_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

let binding: ZstdBinding | undefined;
let decoder: InstanceType<ZstdBinding['Decoder']> | undefined;

/** The native zstd library, loaded when first needed. */
function nodeZstd(): ZstdBinding {
  binding ??= createRequire(import.meta.url)('@toondepauw/node-zstd') as ZstdBinding;
  return binding;
}

function zstdDecoder(): InstanceType<ZstdBinding['Decoder']> {
  decoder ??= new (nodeZstd().Decoder)();
  return decoder;
}

/**
 * `bytes` as one zstd frame at `level` that states its content size, as the zstd CLI writes files:
 * readers (OTA Lens's own decodeZstd among them) then know how much to expect before decoding.
 * node-zstd's streaming encoder leaves the size out, so it is put into the frame header here.
 */
export function encodeZstd(bytes: Buffer, level: number): Buffer {
  return withStatedContentSize(new (nodeZstd().Encoder)(level).encodeSync(bytes), bytes.length);
}

/** Frame_Header_Descriptor bits (RFC 8878, 3.1.1.1.1). */
const CONTENT_SIZE_FLAG = 0xc0;
const SINGLE_SEGMENT_FLAG = 0x20;
const DICTIONARY_ID_FLAG = 0x03;

/**
 * A single frame without a stated content size, given a Frame_Content_Size field of 8 bytes after
 * its Window_Descriptor; any other blob is returned as it is.
 */
function withStatedContentSize(frame: Buffer, contentSize: number): Buffer {
  const descriptor = frame[4] ?? 0;
  const plain = (descriptor & (CONTENT_SIZE_FLAG | SINGLE_SEGMENT_FLAG | DICTIONARY_ID_FLAG)) === 0;
  const sizes = frame.length > 6 && frame.readUInt32LE(0) === FRAME_MAGIC ? zstdFrameSizes(frame) : null;
  if (!plain || sizes === null || sizes.unsized !== 1 || sizes.stated !== 0) return frame;
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(contentSize));
  // Magic and descriptor, the Window_Descriptor, the size, then the blocks unchanged.
  return Buffer.concat([frame.subarray(0, 4), Buffer.of(descriptor | CONTENT_SIZE_FLAG), frame.subarray(5, 6), size, frame.subarray(6)]);
}

/**
 * Decodes a zstd blob (one or more frames) to at most `maxSize` bytes. The frame headers are read
 * first. When every frame states its content size and they add up to no more than `maxSize`, the
 * native decoder runs (on libuv's thread pool; it never writes past a frame's stated size). A frame
 * without a stated size (written by a streaming encoder) goes through a JavaScript streaming decoder
 * that stops as soon as the output passes `maxSize`.
 */
export async function decodeZstd(blob: Buffer, maxSize: number): Promise<Buffer> {
  const frames = checkedFrameSizes(blob, maxSize);
  let output: Buffer;
  try {
    output = frames.unsized === 0 ? await zstdDecoder().decode(blob) : decodeBounded(blob, maxSize);
  } catch (error) {
    throw asCorruptData(error);
  }
  return checkedSize(output, maxSize);
}

/** decodeZstd on the calling thread, for small blobs where a trip to the thread pool costs more than it saves. */
export function decodeZstdSync(blob: Buffer, maxSize: number): Buffer {
  const frames = checkedFrameSizes(blob, maxSize);
  let output: Buffer;
  try {
    output = frames.unsized === 0 ? zstdDecoder().decodeSync(blob) : decodeBounded(blob, maxSize);
  } catch (error) {
    throw asCorruptData(error);
  }
  return checkedSize(output, maxSize);
}

function checkedFrameSizes(blob: Buffer, maxSize: number): ZstdFrameSizes {
  const frames = zstdFrameSizes(blob);
  if (frames.stated > maxSize) throw new CorruptDataError('zstd', `frames state ${frames.stated} bytes, more than the ${maxSize} expected`);
  return frames;
}

function asCorruptData(error: unknown): CorruptDataError {
  if (error instanceof CorruptDataError) return error;
  return new CorruptDataError('zstd', error instanceof Error ? error.message : String(error), { cause: error });
}

function checkedSize(output: Buffer, maxSize: number): Buffer {
  if (output.length > maxSize) throw new CorruptDataError('zstd', `decoded ${output.length} bytes, more than the ${maxSize} expected`);
  return output;
}

function decodeBounded(blob: Buffer, maxSize: number): Buffer {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Decompress((chunk) => {
    total += chunk.length;
    if (total > maxSize) throw new CorruptDataError('zstd', `decodes to more than the ${maxSize} bytes expected`);
    chunks.push(chunk);
  });
  stream.push(blob, true);
  return Buffer.concat(chunks, total);
}

export interface ZstdFrameSizes {
  /** Sum of the content sizes that frames state. */
  stated: number;
  /** Frames that do not state their content size. */
  unsized: number;
}

/** Walks the frames (and their block headers, to find where each frame ends) without decoding. */
export function zstdFrameSizes(blob: Buffer): ZstdFrameSizes {
  const sizes: ZstdFrameSizes = { stated: 0, unsized: 0 };
  let position = 0;
  const fail = (problem: string, at: number): never => {
    throw new CorruptDataError('zstd', `${problem} (at byte ${at} of the blob)`);
  };
  const need = (length: number): void => {
    if (position + length > blob.length) fail('truncated', position);
  };
  while (position < blob.length) {
    const frameStart = position;
    need(4);
    const magic = blob.readUInt32LE(position);
    position += 4;
    if (((magic & SKIPPABLE_MAGIC_MASK) >>> 0) === SKIPPABLE_MAGIC) {
      need(4);
      position += 4 + blob.readUInt32LE(position);
      if (position > blob.length) fail('truncated skippable frame', frameStart);
      continue;
    }
    if (magic !== FRAME_MAGIC) fail('not a zstd frame (bad magic)', frameStart);
    need(1);
    const descriptor = blob[position++] ?? 0;
    if (descriptor & 0x08) fail('reserved frame header bit set', position - 1);
    const singleSegment = (descriptor & 0x20) !== 0;
    const sizeFlag = descriptor >> 6;
    const dictionaryIdBytes = [0, 1, 2, 4][descriptor & 0x03] ?? 0;
    const contentSizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][sizeFlag] ?? 0;
    if (!singleSegment) position += 1; // window descriptor
    need(dictionaryIdBytes + contentSizeBytes);
    position += dictionaryIdBytes;
    let contentSize: number | undefined;
    if (contentSizeBytes > 0) {
      const field = blob.subarray(position, position + contentSizeBytes);
      contentSize = field.readUIntLE(0, Math.min(contentSizeBytes, 6)) + (contentSizeBytes === 8 ? field.readUInt16LE(6) * 2 ** 48 : 0);
      if (contentSizeBytes === 2) contentSize += 256;
      if (!Number.isSafeInteger(contentSize)) fail('frame content size too large', position);
      position += contentSizeBytes;
    }
    for (let last = false; !last; ) {
      need(3);
      const header = blob.readUIntLE(position, 3);
      position += 3;
      last = (header & 1) === 1;
      const type = (header >> 1) & 0x03;
      const size = header >>> 3;
      if (type === 3) fail('reserved block type', position - 3);
      const stored = type === 1 ? 1 : size; // an RLE block stores one byte, repeated `size` times
      need(stored);
      position += stored;
    }
    if (descriptor & 0x04) {
      need(4);
      position += 4;
    }
    if (contentSize === undefined) sizes.unsized++;
    else sizes.stated += contentSize;
  }
  return sizes;
}
