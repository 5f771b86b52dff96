import { createRequire } from 'node:module';
import { Readable, Transform, pipeline } from 'node:stream';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';
import { InputError } from '../errors.js';
import { readChunks, type ByteSource } from './byteSource.js';
import { SequentialDecodedSource } from './decodedSource.js';

export type StreamEncoding = 'brotli' | 'gzip' | 'zstd' | 'xz' | 'bzip2';

type XzModule = typeof import('xz-decompress');
type Bzip2StreamFactory = () => NodeJS.ReadWriteStream;
const load = createRequire(import.meta.url);

/** Each codec's streaming decoder: compressed chunks in, decoded chunks out, front to back. */
const DECODERS: Record<StreamEncoding, (input: Readable) => AsyncIterable<unknown> & { destroy?: () => void }> = {
  brotli: (input) => pipeline(input, createBrotliDecompress(), () => {}),
  gzip: (input) => pipeline(input, createGunzip(), () => {}),
  zstd: (input) => pipeline(input, zstdTransform(), () => {}),
  // xz-decompress (xz-embedded as WebAssembly) works on web streams.
  xz: (input) => new (load('xz-decompress') as XzModule).XzReadableStream(Readable.toWeb(input) as ReadableStream<Uint8Array>) as unknown as AsyncIterable<Uint8Array>,
  // unbzip2-stream: a pure JavaScript streaming bzip2 decoder (an old-style stream, wrapped).
  bzip2: (input) => new Readable().wrap(input.pipe((load('unbzip2-stream') as Bzip2StreamFactory)())),
};

/** fzstd's streaming decoder (multi-frame, no size limit) as a Node transform. */
function zstdTransform(): Transform {
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        decoder.push(chunk);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        decoder.push(new Uint8Array(0), true);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  const decoder = new ZstdStream((data) => void transform.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength)));
  return transform;
}

const READ_CHUNK = 256 * 1024;

/**
 * The decoded bytes of a compressed stream, front to back. A decoder failure becomes an
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
  const input = Readable.from(counted());
  const decoded = DECODERS[encoding](input);
  try {
    for await (const chunk of decoded) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
  } catch (error) {
    throw describeDecodeError(error, compressed, encoding, consumed);
  } finally {
    decoded.destroy?.();
    input.destroy();
  }
}

function describeDecodeError(error: unknown, compressed: ByteSource, encoding: StreamEncoding, consumed: number): Error {
  if (error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'Z_BUF_ERROR' || /unexpected (end of file|EOF)/i.test(message)) {
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
