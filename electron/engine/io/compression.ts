import type { ByteSource } from './byteSource.js';
import { describedAs, openLz4, type DecodedSource } from './lz4FrameSource.js';
import { spoolStream } from './spool.js';
import { decodeStream, type StreamEncoding } from './streamDecoding.js';

export type { DecodedSource } from './lz4FrameSource.js';

/** Codecs a firmware member may be compressed with. */
export type Compression = 'lz4' | StreamEncoding;

const MAGICS: readonly [Compression, Buffer][] = [
  ['lz4', Buffer.from([0x04, 0x22, 0x4d, 0x18])],
  ['lz4', Buffer.from([0x02, 0x21, 0x4c, 0x18])], // the legacy format: recognised, to be refused plainly
  ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd])],
  ['gzip', Buffer.from([0x1f, 0x8b, 0x08])],
  ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
];
const BZIP2 = /^BZh[1-9]1AY&SY/;

/** Name suffixes; brotli has no magic, so a `.br` name is all there is to go by. */
export const COMPRESSION_SUFFIXES: Readonly<Record<string, Compression>> = { lz4: 'lz4', zst: 'zstd', gz: 'gzip', xz: 'xz', bz2: 'bzip2', br: 'brotli' };
export const MAGIC_BYTES = 10;

/**
 * The codec a file is compressed with, from its first bytes (MAGIC_BYTES of them), or for brotli
 * from its `.br` name; null when it does not look compressed.
 */
export function compressionOf(head: Buffer, name: string): Compression | null {
  for (const [compression, magic] of MAGICS) if (head.subarray(0, magic.length).equals(magic)) return compression;
  if (BZIP2.test(head.toString('latin1', 0, 10))) return 'bzip2';
  if (/\.br$/i.test(name)) return 'brotli';
  return null;
}

export async function detectCompression(source: ByteSource, name = source.name): Promise<Compression | null> {
  return compressionOf(await source.read(0, Math.min(MAGIC_BYTES, source.size)), name);
}

export interface DecompressOptions {
  /** Where codecs read front to back are decoded to, once (deleted on close). */
  spoolDirectory: string;
}

/**
 * The decoded bytes of `compressed` by random access: an LZ4 file through its block index (see
 * openLz4), any other codec decoded once, front to back, into a temporary file that closing the
 * returned source deletes. Closing it closes `compressed` too.
 */
export async function openDecompressed(compressed: ByteSource, compression: Compression, options: DecompressOptions): Promise<DecodedSource> {
  if (compression === 'lz4') return openLz4(compressed, options);
  try {
    const decoded = await spoolStream(decodeStream(compressed, compression), options.spoolDirectory, `${compressed.name} (decompressed)`);
    return describedAs(decoded, compressed.name, `${compression}, decoded once to a temporary file`);
  } finally {
    await compressed.close();
  }
}

/** `super.img.zst` → `super.img`; names without a codec suffix are returned as they are. */
export function withoutCompressionSuffix(name: string): string {
  const match = /\.([a-z0-9]+)$/i.exec(name);
  return match !== null && COMPRESSION_SUFFIXES[(match[1] as string).toLowerCase()] !== undefined ? name.slice(0, match.index) : name;
}
