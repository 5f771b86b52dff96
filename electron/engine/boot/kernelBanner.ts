import { decompressLz4Block, Lz4FormatError } from '../codecs/lz4.js';
import { InputError } from '../errors.js';
import { readChunks, SliceByteSource, type ByteSource } from '../io/byteSource.js';
import { decodeStream } from '../io/streamDecoding.js';

/**
 * The `Linux version …` banner of a kernel inside a boot image (`linux_banner`, which the kernel
 * prints first at boot and shows in /proc/version). The kernel may be stored as it is (arm64
 * `Image`), gzip-compressed (`Image.gz`, or the gzip payload of an arm32 `zImage`) or in the legacy
 * LZ4 format the kernel build writes (`Image.lz4`, `lz4 -l`). Decoding stops as soon as the banner
 * is found and never produces more than MAX_DECODED bytes, so a hostile kernel costs little.
 */

export type KernelEncoding = 'none' | 'raw' | 'gzip' | 'lz4' | 'unknown';

const BANNER_PREFIX = Buffer.from('Linux version ', 'latin1');
/** The banner is one line; kernels keep it well under this. */
const BANNER_LIMIT = 512;
const MAX_DECODED = 256 << 20;
/** Where inside a self-decompressing kernel (zImage) a compressed payload is looked for. */
const PAYLOAD_SEARCH = 1 << 20;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);
const LZ4_LEGACY_MAGIC = 0x184c2102;
const LZ4_LEGACY_BLOCK = 8 << 20;

export interface KernelBanner {
  banner: string | null;
  /** The kernel release: the banner's word after `Linux version`. */
  release: string | null;
  encoding: KernelEncoding;
}

/** Looks for the banner in the `size` bytes of kernel at `offset` of `image`. */
export async function findKernelBanner(image: ByteSource, offset: number, size: number): Promise<KernelBanner> {
  const kernel = new SliceByteSource(`${image.name} › kernel`, image, offset, size);
  const head = await kernel.read(0, Math.min(size, 16));
  if (head.subarray(0, 3).equals(GZIP_MAGIC)) return found(await scan(decodeStream(kernel, 'gzip')), 'gzip');
  if (head.length >= 4 && head.readUInt32LE(0) === LZ4_LEGACY_MAGIC) return found(await scan(decodeLz4Legacy(kernel)), 'lz4');
  const raw = await scan(readChunks(kernel));
  if (raw !== null) return found(raw, 'raw');
  const payload = await embeddedGzipOffset(kernel);
  if (payload !== null) {
    const banner = await scan(decodeStream(new SliceByteSource(kernel.name, kernel, payload, size - payload), 'gzip')).catch(ignoreCorrupt);
    if (banner !== null) return found(banner, 'gzip');
  }
  return { banner: null, release: null, encoding: 'unknown' };
}

function found(banner: string | null, encoding: KernelEncoding): KernelBanner {
  return { banner, release: banner === null ? null : (banner.slice(BANNER_PREFIX.length).split(' ')[0] ?? null), encoding };
}

/** A zImage's compressed payload follows its decompressor: the first gzip header in its first MiB. */
async function embeddedGzipOffset(kernel: ByteSource): Promise<number | null> {
  const window = await kernel.read(0, Math.min(kernel.size, PAYLOAD_SEARCH));
  const at = window.indexOf(GZIP_MAGIC, 1);
  return at === -1 ? null : at;
}

/** A payload that does not decode was a false match of the magic bytes, not an error of the image. */
function ignoreCorrupt(error: unknown): null {
  if (error instanceof InputError) return null;
  throw error;
}

/** The first banner line in a stream of bytes, reading at most MAX_DECODED of them. */
async function scan(chunks: AsyncIterable<Buffer>): Promise<string | null> {
  let carry = Buffer.alloc(0);
  let seen = 0;
  for await (const chunk of chunks) {
    const window = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    let at = window.indexOf(BANNER_PREFIX);
    while (at !== -1) {
      const digit = window[at + BANNER_PREFIX.length];
      if (digit !== undefined && digit >= 0x30 && digit <= 0x39) {
        const end = lineEnd(window, at);
        if (end !== null) return window.subarray(at, end).toString('latin1');
        break; // the line goes on in the next chunk
      }
      at = window.indexOf(BANNER_PREFIX, at + 1);
    }
    seen += chunk.length;
    if (seen >= MAX_DECODED) return null;
    const keepFrom = at !== -1 ? at : Math.max(0, window.length - BANNER_LIMIT);
    carry = Buffer.from(window.subarray(keepFrom));
  }
  return null;
}

function lineEnd(window: Buffer, start: number): number | null {
  const limit = Math.min(window.length, start + BANNER_LIMIT);
  for (let index = start; index < limit; index++) {
    const byte = window[index] as number;
    if (byte === 0x0a || byte === 0x00) return index;
  }
  return limit === start + BANNER_LIMIT ? limit : null;
}

/**
 * The kernel's legacy LZ4 format: the magic, then blocks of a 32-bit little-endian compressed size
 * and an LZ4 block of at most 8 MiB decoded; another magic may start a new frame.
 */
async function* decodeLz4Legacy(kernel: ByteSource): AsyncGenerator<Buffer> {
  let offset = 4;
  while (offset + 4 <= kernel.size) {
    const size = (await kernel.read(offset, 4)).readUInt32LE(0);
    offset += 4;
    if (size === LZ4_LEGACY_MAGIC) continue;
    if (size === 0 || offset + size > kernel.size) return; // padding after the last block
    try {
      yield decompressLz4Block(await kernel.read(offset, size), LZ4_LEGACY_BLOCK, { stopAtOutputSize: false });
    } catch (error) {
      if (!(error instanceof Lz4FormatError)) throw error;
      throw new InputError(`corrupt LZ4 block: ${error.message}`, { file: kernel.name, format: 'lz4 (legacy)', offset: offset - 4 });
    }
    offset += size;
  }
}
