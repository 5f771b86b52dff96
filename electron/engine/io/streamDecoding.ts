import { Readable, pipeline, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';
import { readChunks, type ByteSource } from './byteSource.js';
import { SequentialDecodedSource } from './decodedSource.js';

export type StreamEncoding = 'brotli' | 'gzip';

const DECODERS: Record<StreamEncoding, () => Transform> = {
  brotli: () => createBrotliDecompress(),
  gzip: () => createGunzip(),
};

const READ_CHUNK = 256 * 1024;

/**
 * The decoded bytes of a brotli or gzip stream, front to back. A decoder failure becomes an
 * InputError naming the compressed file and how far into it the decoder had read: a stream that
 * ends early (a half-finished download) says so.
 */
export async function* decodeStream(compressed: ByteSource, encoding: StreamEncoding): AsyncGenerator<Buffer> {
  let consumed = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of readChunks(compressed, 0, compressed.size, READ_CHUNK)) {
      consumed += chunk.length;
      yield chunk;
    }
  }
  const decoded = pipeline(Readable.from(counted()), DECODERS[encoding](), () => {});
  try {
    for await (const chunk of decoded) yield chunk as Buffer;
  } catch (error) {
    throw describeDecodeError(error, compressed, encoding, consumed);
  } finally {
    decoded.destroy();
  }
}

function describeDecodeError(error: unknown, compressed: ByteSource, encoding: StreamEncoding, consumed: number): Error {
  if (error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)) {
    return new InputError(`the ${encoding} stream ends early: the file is truncated (an incomplete download?)`, {
      file: compressed.name,
      format: encoding,
      offset: consumed,
      expected: `more compressed data after ${consumed} bytes`,
      cause: error,
    });
  }
  return new InputError(`corrupt ${encoding} data: ${message}`, { file: compressed.name, format: encoding, offset: consumed, cause: error });
}

/**
 * Random access over the decoded bytes of a compressed source, whose decoded size the caller
 * already knows (from a transfer list, from a tar walk). Reads behind the decoder restart it.
 */
export function decodedSource(compressed: ByteSource, encoding: StreamEncoding, decodedSize: number, name = compressed.name): SequentialDecodedSource {
  return new SequentialDecodedSource(name, decodedSize, async () => decodeStream(compressed, encoding), { format: encoding });
}
