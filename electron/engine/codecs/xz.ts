import { createRequire } from 'node:module';
import { CorruptDataError } from './corruptData.js';

type XzBinding = typeof import('@napi-rs/lzma/xz');
type Lzma2Binding = typeof import('@napi-rs/lzma/lzma2');

const STREAM_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const FOOTER_MAGIC = Buffer.from('YZ', 'latin1');
const FILTER_LZMA2 = 0x21;
/** Sizes of the integrity check for each check type (xz file format 1.1.0, section 3.4). */
const CHECK_SIZES = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64];

let binding: XzBinding | undefined;
let lzma2: Lzma2Binding | undefined;

function xzBinding(): XzBinding {
  binding ??= createRequire(import.meta.url)('@napi-rs/lzma/xz') as XzBinding;
  return binding;
}

function lzma2Binding(): Lzma2Binding {
  lzma2 ??= createRequire(import.meta.url)('@napi-rs/lzma/lzma2') as Lzma2Binding;
  return lzma2;
}

export interface XzOptions {
  /**
   * The caller has checked the blob against a stronger hash (a payload operation's SHA-256): the
   * blocks' LZMA2 data is then decoded without recomputing each block's own check (CRC32/CRC64/
   * SHA-256 of the output), which costs a fifth of the decoding time.
   */
  blobVerified?: boolean;
}

/**
 * Decodes an .xz blob (one or more streams) to at most `maxSize` bytes. The decoded size is read
 * from the LZMA2 chunk headers before anything is decoded, so a blob that would expand past
 * `maxSize` is refused without allocating its output. Decoding runs on libuv's thread pool.
 */
export async function decodeXz(blob: Buffer, maxSize: number, options: XzOptions = {}): Promise<Buffer> {
  const streams = xzStreams(blob);
  const size = streams.reduce((sum, stream) => sum + stream.decodedSize, 0);
  if (size > maxSize) throw new CorruptDataError('xz', `decodes to ${size} bytes, more than the ${maxSize} expected`);
  // The xz decoder takes one stream at a time; the LZMA2 decoder one block's data.
  const units = options.blobVerified === true ? streams.flatMap((stream) => stream.blocks) : streams;
  const parts: Buffer[] = [];
  for (const unit of units) {
    const part = await decompress(blob.subarray(unit.start, unit.end), options.blobVerified === true);
    if (part.length !== unit.decodedSize) throw new CorruptDataError('xz', `decoded ${part.length} bytes, its chunk headers announced ${unit.decodedSize}`);
    parts.push(part);
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size);
}

async function decompress(input: Buffer, rawLzma2: boolean): Promise<Buffer> {
  try {
    return await (rawLzma2 ? lzma2Binding() : xzBinding()).decompress(input);
  } catch (error) {
    throw new CorruptDataError('xz', error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** The exact decoded size of an .xz blob (see xzStreams). */
export function xzDecodedSize(blob: Buffer): number {
  return xzStreams(blob).reduce((sum, stream) => sum + stream.decodedSize, 0);
}

export interface XzStream {
  start: number;
  end: number;
  decodedSize: number;
  /** Where each block's LZMA2 data lies in the blob (from its first chunk to its end marker). */
  blocks: { start: number; end: number; decodedSize: number }[];
}

/**
 * The streams of an .xz blob and their exact decoded sizes, from the container and the LZMA2
 * chunk headers alone (every LZMA2 chunk states its unpacked size, and a decoder cannot produce
 * more than that). Filter chains other than plain LZMA2 (as payload generators write) are refused.
 */
export function xzStreams(blob: Buffer): XzStream[] {
  const reader = new XzReader(blob);
  const streams: XzStream[] = [];
  while (reader.position < blob.length) {
    if (streams.length > 0 && reader.skipStreamPadding()) break;
    const start = reader.position;
    const blocks = reader.stream();
    streams.push({ start, end: reader.position, decodedSize: blocks.reduce((sum, block) => sum + block.decodedSize, 0), blocks });
  }
  if (streams.length === 0) throw new CorruptDataError('xz', 'empty blob');
  return streams;
}

class XzReader {
  position = 0;
  constructor(private readonly blob: Buffer) {}

  /** Skips zero padding between streams; true when it ran to the end of the blob. */
  skipStreamPadding(): boolean {
    const start = this.position;
    while (this.position < this.blob.length && this.blob[this.position] === 0) this.position++;
    if ((this.position - start) % 4 !== 0) this.fail('stream padding is not a multiple of 4 bytes');
    return this.position === this.blob.length;
  }

  /** Reads one stream; returns its blocks' LZMA2 data. */
  stream(): XzStream['blocks'] {
    const header = this.take(12);
    if (!header.subarray(0, 6).equals(STREAM_MAGIC)) this.fail('not an xz stream (bad magic)', this.position - 12);
    const checkType = (header[7] ?? 0) & 0x0f;
    if (header[6] !== 0 || ((header[7] ?? 0) & 0xf0) !== 0) this.fail('unsupported stream flags', this.position - 6);
    const checkSize = CHECK_SIZES[checkType] ?? 0;
    const blocks: XzStream['blocks'] = [];
    while (this.peek() !== 0) blocks.push(this.block(checkSize));
    this.index(blocks.map((block) => block.decodedSize));
    const footer = this.take(12);
    if (!footer.subarray(10, 12).equals(FOOTER_MAGIC)) this.fail('bad stream footer', this.position - 2);
    return blocks;
  }

  private block(checkSize: number): XzStream['blocks'][number] {
    const start = this.position;
    const headerSize = ((this.peek() ?? 0) + 1) * 4;
    const header = this.take(headerSize);
    const flags = header[1] ?? 0;
    if ((flags & 0x3c) !== 0) this.fail('reserved block flags set', start + 1);
    const inHeader = new XzReader(header.subarray(0, headerSize - 4));
    inHeader.position = 2;
    const declaredCompressed = flags & 0x40 ? inHeader.varint() : undefined;
    const declaredUncompressed = flags & 0x80 ? inHeader.varint() : undefined;
    const filterCount = (flags & 0x03) + 1;
    const filters: number[] = [];
    for (let filter = 0; filter < filterCount; filter++) {
      filters.push(inHeader.varint());
      inHeader.take(inHeader.varint());
    }
    // The decoder handles LZMA2 alone (no BCJ or delta filters in front of it).
    if (filters.length !== 1 || filters[0] !== FILTER_LZMA2) {
      this.fail(`unsupported filter chain ${filters.map((id) => `0x${id.toString(16)}`).join(' + ')} (only LZMA2, 0x21, is supported)`, start);
    }

    const dataStart = this.position;
    const uncompressed = this.lzma2Chunks();
    const compressed = this.position - dataStart;
    if (declaredCompressed !== undefined && declaredCompressed !== compressed) this.fail('block compressed size does not match its header', start);
    if (declaredUncompressed !== undefined && declaredUncompressed !== uncompressed) this.fail('block uncompressed size does not match its header', start);
    const dataEnd = this.position;
    this.take((4 - (compressed % 4)) % 4);
    this.take(checkSize);
    return { start: dataStart, end: dataEnd, decodedSize: uncompressed };
  }

  /** Walks the LZMA2 chunks of one block up to the end marker; returns their total unpacked size. */
  private lzma2Chunks(): number {
    let total = 0;
    for (;;) {
      const at = this.position;
      const control = this.take(1)[0] ?? 0;
      if (control === 0x00) return total;
      if (control === 0x01 || control === 0x02) {
        const size = this.take(2).readUInt16BE(0) + 1;
        this.take(size);
        total += size;
      } else if (control >= 0x80) {
        const sizes = this.take(4);
        total += (control & 0x1f) * 0x10000 + sizes.readUInt16BE(0) + 1;
        const packed = sizes.readUInt16BE(2) + 1;
        if (control >= 0xc0) this.take(1);
        this.take(packed);
      } else {
        this.fail(`invalid LZMA2 chunk control byte 0x${control.toString(16)}`, at);
      }
    }
  }

  private index(blockSizes: number[]): void {
    const start = this.position;
    this.take(1);
    const records = this.varint();
    if (records !== blockSizes.length) this.fail(`index lists ${records} blocks, the stream has ${blockSizes.length}`, start);
    for (const size of blockSizes) {
      this.varint();
      if (this.varint() !== size) this.fail('index and block disagree on an uncompressed size', start);
    }
    this.take((4 - ((this.position - start) % 4)) % 4);
    this.take(4);
  }

  varint(): number {
    let value = 0;
    for (let shift = 0; shift < 63; shift += 7) {
      const byte = this.take(1)[0] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (!Number.isSafeInteger(value)) this.fail('size field too large');
        return value;
      }
    }
    return this.fail('variable-length integer too long');
  }

  peek(): number | undefined {
    if (this.position >= this.blob.length) this.fail('truncated');
    return this.blob[this.position];
  }

  take(length: number): Buffer {
    if (this.position + length > this.blob.length) this.fail('truncated');
    const bytes = this.blob.subarray(this.position, this.position + length);
    this.position += length;
    return bytes;
  }

  fail(problem: string, at = this.position): never {
    throw new CorruptDataError('xz', `${problem} (at byte ${at} of the blob)`);
  }
}
