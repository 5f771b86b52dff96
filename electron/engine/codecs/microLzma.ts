import { createRequire } from 'node:module';
import { CorruptDataError } from './corruptData.js';

type LzmaBinding = typeof import('@napi-rs/lzma/lzma');

/**
 * MicroLZMA (xz-embedded, liblzma's lzma_microlzma_*), the LZMA flavour EROFS stores: a raw LZMA1
 * stream whose first byte is the properties byte (lc/lp/pb) inverted, in place of the range
 * coder's first byte (always 0), with no size fields and no end marker. It is decoded by wrapping
 * it into a classic `.lzma` ("LZMA alone") stream — properties, dictionary size, the decoded size,
 * then the range coder bytes with their leading 0 restored — for @napi-rs/lzma's decoder (lzma-rs).
 */

const HEADER_SIZE = 13;
/** lc ≤ 8, lp ≤ 4, pb ≤ 4: (pb * 5 + lp) * 9 + lc stays below this. */
const PROPERTIES_LIMIT = 9 * 5 * 5;
/** The longest LZMA match: a decoder asked for N bytes may finish a match up to this much further. */
const MAX_MATCH_LENGTH = 273;
const MIN_DICTIONARY = 4096;

let binding: LzmaBinding | undefined;

function lzmaBinding(): LzmaBinding {
  binding ??= createRequire(import.meta.url)('@napi-rs/lzma/lzma') as LzmaBinding;
  return binding;
}

export interface MicroLzmaOptions {
  /** The dictionary size the stream was made with (EROFS keeps it in its LZMA configuration). */
  dictionarySize: number;
  /** The stream may decode to more than `outputSize` bytes (a shared pcluster): return the prefix. */
  partial?: boolean;
}

/** Decodes a MicroLZMA stream to `outputSize` bytes, on the calling thread. */
export function decodeMicroLzma(input: Uint8Array, outputSize: number, options: MicroLzmaOptions): Buffer {
  if (input.length < 2) throw new CorruptDataError('lzma', `a MicroLZMA stream of ${input.length} bytes is too short`);
  const properties = ~input[0]! & 0xff;
  if (properties >= PROPERTIES_LIMIT) throw new CorruptDataError('lzma', `invalid LZMA properties byte 0x${properties.toString(16)} (stored inverted as 0x${input[0]!.toString(16)})`);
  const wrapped = Buffer.alloc(HEADER_SIZE + 1 + input.length - 1);
  wrapped[0] = properties;
  wrapped.writeUInt32LE(Math.max(MIN_DICTIONARY, options.dictionarySize), 1);
  wrapped.set(input.subarray(1), HEADER_SIZE + 1);
  const decode = (size: number): Buffer => {
    wrapped.writeBigUInt64LE(BigInt(size), 5);
    return lzmaBinding().decompressSync(wrapped);
  };
  try {
    return decode(outputSize);
  } catch (error) {
    // Asked for a prefix, lzma-rs completes the match that crosses its end and then reports the
    // length it reached; decoding exactly that far succeeds, and the prefix is what was asked for.
    const reached = Number(/decompressed to (\d+)/.exec((error as Error).message)?.[1] ?? NaN);
    if (options.partial === true && reached > outputSize && reached <= outputSize + MAX_MATCH_LENGTH) {
      try {
        return decode(reached).subarray(0, outputSize);
      } catch (retryError) {
        throw new CorruptDataError('lzma', (retryError as Error).message, { cause: retryError });
      }
    }
    throw new CorruptDataError('lzma', (error as Error).message, { cause: error });
  }
}
