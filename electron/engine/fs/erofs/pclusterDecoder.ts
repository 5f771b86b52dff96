import { CorruptDataError } from '../../codecs/corruptData.js';
import { inflateRaw } from '../../codecs/deflate.js';
import { Lz4FormatError } from '../../codecs/lz4.js';
import { withLz4Block } from '../../codecs/lz4Wasm.js';
import { decodeMicroLzma } from '../../codecs/microLzma.js';
import { decodeZstdSync } from '../../codecs/zstd.js';
import { InputError } from '../../errors.js';
import type { Algorithm, Extent } from './extentMap.js';
import { inodeFormat } from './inode.js';
import { MAX_EXTENT_BYTES } from './mapContext.js';
import { FEATURE_INCOMPAT, type Superblock } from './superblock.js';

/** Linux's Z_EROFS_LZMA_MAX_DICT_SIZE; like erofs-utils, every LZMA pcluster is decoded with it. */
const LZMA_DICTIONARY_BYTES = 8 << 20;
const NAMES: Record<Algorithm, string> = { lz4: 'LZ4', lzma: 'LZMA', deflate: 'DEFLATE', zstd: 'Zstandard' };

export function pclusterFormat(nid: number, physical: number): string {
  return `${inodeFormat(nid)} › pcluster at offset ${physical}`;
}

/** Who is decoding: the image, its superblock and the inode whose extent this is. */
export interface DecodeContext {
  imageName: string;
  superblock: Superblock;
  nid: number;
}

/** The bytes of one extent stored in a pcluster (compressed or not), from the pcluster's bytes. */
export function decodeExtent(context: DecodeContext, extent: Extent, stored: Buffer): Buffer {
  return withDecodedExtent(context, extent, stored, (bytes, owned) => (owned ? (bytes as Buffer) : Buffer.from(bytes)));
}

/**
 * Calls `use` with the bytes of one extent stored in a pcluster, from the pcluster's bytes. They
 * are valid only during the call (LZ4 output lives in WebAssembly memory, plain data is a view of
 * `stored`); `owned` says they are a fresh buffer the caller may keep.
 */
export function withDecodedExtent<T>(context: DecodeContext, extent: Extent, stored: Buffer, use: (bytes: Uint8Array, owned: boolean) => T): T {
  const length = extent.end - extent.start;
  switch (extent.kind) {
    case 'plain':
      return use(stored.subarray(0, length), false);
    case 'interlaced':
      return use(deinterlace(stored, extent.start % context.superblock.blockSize, length), true);
    case 'lz4':
      return decompressLz4(context, extent, stored, length, use);
    case 'lzma':
    case 'deflate':
    case 'zstd':
      return use(decompress(context, extent, extent.kind, stored, length), true);
    default:
      throw new Error(`not a pcluster extent: ${extent.kind}`);
  }
}

/**
 * An interlaced pcluster (one block) holds the extent rotated by the extent's offset in its block:
 * the extent's first bytes, up to the end of that block, are stored from that offset on, the rest
 * at the start of the pcluster.
 */
function deinterlace(stored: Buffer, blockOffset: number, length: number): Buffer {
  const head = Math.min(stored.length - blockOffset, length);
  return Buffer.concat([stored.subarray(blockOffset, blockOffset + head), stored.subarray(0, length - head)], length);
}

/** Where a pcluster's compressed data starts: with 0padding it is stored at its end, after zeros in its first block. */
function compressedStart(context: DecodeContext, extent: Extent, stored: Buffer, name: string): { inputStart: number; zeroPadding: boolean } {
  let inputStart = 0;
  const zeroPadding = (context.superblock.featureIncompat & FEATURE_INCOMPAT.zeroPadding) !== 0;
  if (zeroPadding) {
    const limit = Math.min(stored.length, context.superblock.blockSize);
    while (inputStart < limit && stored[inputStart] === 0) inputStart++;
    if (inputStart === limit) {
      throw new InputError(`pcluster holds no ${name} data (only zeros)`, { file: context.imageName, format: pclusterFormat(context.nid, extent.physical), offset: extent.physical });
    }
  }
  return { inputStart, zeroPadding };
}

/** An LZ4 pcluster, decoded in WebAssembly when it decodes exactly to the extent (see codecs/lz4Wasm.ts). */
function decompressLz4<T>(context: DecodeContext, extent: Extent, stored: Buffer, length: number, use: (bytes: Uint8Array, owned: boolean) => T): T {
  const { inputStart, zeroPadding } = compressedStart(context, extent, stored, NAMES.lz4);
  const file = context.imageName;
  const format = pclusterFormat(context.nid, extent.physical);
  // Without 0padding the block may run on past this extent; a shared pcluster (partial reference)
  // decodes to more than this extent, whose first bytes are wanted.
  const options = { stopAtOutputSize: !zeroPadding || extent.partial };
  try {
    return withLz4Block(stored.subarray(inputStart), length, options, (output, owned) => {
      if (output.length !== length) throw new InputError(`LZ4 data decodes to ${output.length} bytes`, { file, format, offset: extent.physical, expected: `${length} bytes` });
      return use(output, owned);
    });
  } catch (error) {
    if (error instanceof Lz4FormatError) {
      throw new InputError(`corrupt LZ4 data: ${error.problem}`, { file, format, offset: extent.physical + inputStart + error.inputOffset, cause: error });
    }
    throw error;
  }
}

function decompress(context: DecodeContext, extent: Extent, algorithm: Exclude<Algorithm, 'lz4'>, stored: Buffer, length: number): Buffer {
  const format = pclusterFormat(context.nid, extent.physical);
  const file = context.imageName;
  const name = NAMES[algorithm];
  const { inputStart } = compressedStart(context, extent, stored, name);
  const input = stored.subarray(inputStart);
  // A shared pcluster (partial reference) decodes to more than this extent: its first bytes are wanted.
  const partial = extent.partial;
  let output: Buffer;
  try {
    switch (algorithm) {
      case 'lzma':
        output = decodeMicroLzma(input, length, { dictionarySize: LZMA_DICTIONARY_BYTES, partial });
        break;
      case 'deflate':
        output = inflateRaw(input, length, partial ? { partial: { maxSize: MAX_EXTENT_BYTES } } : {});
        break;
      case 'zstd':
        output = decodeZstdSync(input, partial ? MAX_EXTENT_BYTES : length);
        if (partial && output.length >= length) output = output.subarray(0, length);
        break;
    }
  } catch (error) {
    if (error instanceof CorruptDataError) {
      throw new InputError(`corrupt ${name} data: ${error.problem}`, { file, format, offset: extent.physical + inputStart, cause: error });
    }
    throw error;
  }
  if (output.length !== length) {
    throw new InputError(`${name} data decodes to ${output.length} bytes`, { file, format, offset: extent.physical, expected: `${length} bytes` });
  }
  return output;
}
