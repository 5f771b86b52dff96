import { createRequire } from 'node:module';
import { CorruptDataError } from './corruptData.js';

type Bzip2Module = typeof import('@foxglove/wasm-bz2');
type Bzip2 = Awaited<ReturnType<Bzip2Module['init']>>;

let instance: Promise<Bzip2> | undefined;

function bzip2(): Promise<Bzip2> {
  instance ??= (createRequire(import.meta.url)('@foxglove/wasm-bz2') as Bzip2Module).init();
  return instance;
}

/**
 * Decodes a bzip2 blob (libbzip2 compiled to WebAssembly) into a buffer of `maxSize` bytes at
 * most: the decoder fails rather than write past it. Decoding runs on the calling thread (the
 * engine's worker); on 2 MiB payload blobs it keeps pace with the `bzip2` command.
 */
export async function decodeBzip2(blob: Buffer, maxSize: number): Promise<Buffer> {
  const decoder = await bzip2();
  try {
    const output = decoder.decompress(blob, maxSize);
    return Buffer.from(output.buffer, output.byteOffset, output.byteLength);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // BZ_OUTBUFF_FULL (-8): the data goes on past maxSize.
    const problem = /: -8\b/.test(message) ? `decodes to more than the ${maxSize} bytes expected` : message;
    throw new CorruptDataError('bzip2', problem, { cause: error });
  }
}
