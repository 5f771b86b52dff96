import { constants, inflateRawSync } from 'node:zlib';
import { CorruptDataError } from './corruptData.js';

export interface RawDeflateOptions {
  /**
   * Only the first `outputSize` bytes are wanted and the stream may hold more (a shared EROFS
   * pcluster): decode up to `maxSize` bytes and return the prefix; the stream need not end.
   * By default the stream must end after exactly `outputSize` bytes.
   */
  partial?: { maxSize: number };
}

/**
 * Decodes a raw DEFLATE stream (RFC 1951, no zlib or gzip wrapper) with Node's zlib, on the
 * calling thread: meant for blobs of at most a few MiB, such as EROFS pclusters.
 */
export function inflateRaw(input: Uint8Array, outputSize: number, options: RawDeflateOptions = {}): Buffer {
  const partial = options.partial;
  let output: Buffer;
  try {
    output = inflateRawSync(input, {
      maxOutputLength: Math.max(1, partial?.maxSize ?? outputSize),
      // A partial read accepts a stream that stops short of its final block.
      finishFlush: partial === undefined ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ERR_BUFFER_TOO_LARGE' ? `decodes to more than the ${partial?.maxSize ?? outputSize} bytes expected` : (error as Error).message;
    throw new CorruptDataError('deflate', problem, { cause: error });
  }
  if (partial === undefined ? output.length !== outputSize : output.length < outputSize) {
    throw new CorruptDataError('deflate', `decodes to ${output.length} bytes, expected ${partial === undefined ? '' : 'at least '}${outputSize}`);
  }
  return partial === undefined ? output : output.subarray(0, outputSize);
}
