/**
 * LZ4 block format decoder (the raw block, not the `.lz4` frame): sequences of a token, literals,
 * a 2-byte little-endian match offset and a match length. Used by EROFS (LZ4 and LZ4HC images)
 * and any other format that stores bare LZ4 blocks.
 *
 * Every length is checked against both buffers, so a hostile block can neither read outside its
 * input nor write past the output size the caller allowed.
 */

/** A malformed LZ4 block. `inputOffset` is where in the block the problem was found. */
export class Lz4FormatError extends Error {
  override readonly name = 'Lz4FormatError';
  constructor(
    readonly problem: string,
    readonly inputOffset: number,
  ) {
    super(`${problem} (at byte ${inputOffset} of the LZ4 block)`);
  }
}

export interface Lz4BlockOptions {
  /**
   * Stop as soon as `outputSize` bytes are produced and ignore the rest of the input, as
   * liblz4's `LZ4_decompress_safe_partial` does (EROFS without 0padding: the block is followed by
   * unrelated bytes). By default the block must end exactly at the end of `input`.
   */
  stopAtOutputSize?: boolean;
  /**
   * Output that came just before this block (an LZ4 frame's linked blocks): matches may reach back
   * into it. It is not part of the result.
   */
  dictionary?: Uint8Array;
}

/** Below this many bytes a plain loop beats the call overhead of Buffer.copy/copyWithin. */
const SHORT_COPY = 16;
const MIN_MATCH = 4;

/**
 * Decodes one LZ4 block into at most `outputSize` bytes and returns them (a Buffer of the length
 * actually produced). Throws Lz4FormatError when the block is malformed or would produce more
 * than `outputSize` bytes (unless `stopAtOutputSize`).
 */
export function decompressLz4Block(input: Uint8Array, outputSize: number, options: Lz4BlockOptions = {}): Buffer {
  if (!Number.isSafeInteger(outputSize) || outputSize < 0) throw new RangeError(`invalid LZ4 output size ${outputSize}`);
  const src = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const base = options.dictionary?.length ?? 0;
  const outputEnd = base + outputSize;
  const out = Buffer.allocUnsafe(outputEnd);
  if (options.dictionary !== undefined) out.set(options.dictionary, 0);
  const stopAtOutputSize = options.stopAtOutputSize === true;
  const inputEnd = src.length;
  let ip = 0;
  let op = base;

  while (true) {
    if (ip >= inputEnd) throw new Lz4FormatError('the block ends where a sequence token was expected', ip);
    const token = src[ip++]!;

    // Literals.
    let literalLength = token >>> 4;
    if (literalLength === 15) {
      let extra: number;
      do {
        if (ip >= inputEnd) throw new Lz4FormatError('the block ends inside a literal length', ip);
        extra = src[ip++]!;
        literalLength += extra;
      } while (extra === 255);
    }
    if (literalLength > 0) {
      if (ip + literalLength > inputEnd) {
        throw new Lz4FormatError(`a run of ${literalLength} literals runs past the end of the block (${inputEnd - ip} bytes left)`, ip);
      }
      if (op + literalLength > outputEnd) {
        if (!stopAtOutputSize) throw overflow(outputSize, ip);
        src.copy(out, op, ip, ip + (outputEnd - op));
        return result(out, base, outputEnd);
      }
      if (literalLength < SHORT_COPY) {
        for (let i = 0; i < literalLength; i++) out[op + i] = src[ip + i]!;
      } else {
        src.copy(out, op, ip, ip + literalLength);
      }
      ip += literalLength;
      op += literalLength;
    }
    if (ip === inputEnd) break; // The last sequence has literals only.
    if (stopAtOutputSize && op === outputEnd) return result(out, base, outputEnd);

    // Match.
    if (ip + 2 > inputEnd) throw new Lz4FormatError('the block ends inside a match offset', ip);
    const offset = src[ip]! | (src[ip + 1]! << 8);
    if (offset === 0) throw new Lz4FormatError('match offset 0', ip);
    if (offset > op) throw new Lz4FormatError(`match offset ${offset} reaches before the start of the output (${op - base} bytes decoded)`, ip);
    ip += 2;
    let matchLength = (token & 15) + MIN_MATCH;
    if ((token & 15) === 15) {
      let extra: number;
      do {
        if (ip >= inputEnd) throw new Lz4FormatError('the block ends inside a match length', ip);
        extra = src[ip++]!;
        matchLength += extra;
      } while (extra === 255);
    }
    if (op + matchLength > outputEnd) {
      if (!stopAtOutputSize) throw overflow(outputSize, ip);
      matchLength = outputEnd - op;
    }
    copyMatch(out, op, offset, matchLength);
    op += matchLength;
    if (stopAtOutputSize && op === outputEnd) return result(out, base, outputEnd);
  }
  return result(out, base, op);
}

/** The decoded bytes without the dictionary in front of them. */
function result(out: Buffer, base: number, end: number): Buffer {
  return base === 0 && end === out.length ? out : out.subarray(base, end);
}

function overflow(outputSize: number, ip: number): Lz4FormatError {
  return new Lz4FormatError(`the block decodes to more than the expected ${outputSize} bytes`, ip);
}

/** Copies `length` bytes from `offset` bytes back; the regions overlap when offset < length. */
function copyMatch(out: Buffer, op: number, offset: number, length: number): void {
  const from = op - offset;
  if (length < SHORT_COPY) {
    for (let i = 0; i < length; i++) out[op + i] = out[from + i]!;
    return;
  }
  if (offset >= length) {
    out.copyWithin(op, from, from + length);
    return;
  }
  if (offset === 1) {
    out.fill(out[from]!, op, op + length);
    return;
  }
  // The match repeats the last `offset` bytes: copy whole periods, doubling what is available.
  const end = op + length;
  let at = op;
  while (at < end) {
    const chunk = Math.min(at - from, end - at);
    out.copyWithin(at, from, from + chunk);
    at += chunk;
  }
}
