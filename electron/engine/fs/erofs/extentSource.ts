import { InputError } from '../../errors.js';
import { checkRange, type ByteSource } from '../../io/byteSource.js';
import type { Extent, ExtentMap } from './extentMap.js';
import type { ImageReader } from './imageReader.js';
import { inodeFormat } from './inode.js';
import { decodeExtent, pclusterFormat } from './pclusterDecoder.js';
import type { Superblock } from './superblock.js';

/** Decoded extents kept per open file: enough for reads that straddle a few pclusters. */
const DECODED_CACHE_BYTES = 4 << 20;
/** Streams and hashes read the image in windows this large rather than pcluster by pcluster. */
const STREAM_WINDOW_BYTES = 1 << 20;
/** Raw, zero and fragment extents are streamed in pieces of at most this size. */
const STREAM_CHUNK_BYTES = 1 << 20;

/** What decoding a file's extents needs to know. */
export interface FileData {
  reader: ImageReader;
  superblock: Superblock;
  nid: number;
  map: ExtentMap;
  /** The content of the packed inode, where fragment extents are (mkfs.erofs -Efragments). */
  packed: () => Promise<ByteSource>;
}

function decode(data: FileData, extent: Extent, stored: Buffer): Buffer {
  return decodeExtent({ imageName: data.reader.name, superblock: data.superblock, nid: data.nid }, extent, stored);
}

/** Bytes [from, from+length) of a fragment extent, from the packed inode. */
async function readFragment(data: FileData, extent: Extent, from: number, length: number): Promise<Buffer> {
  const packed = await data.packed();
  const offset = extent.physical + from;
  if (offset + length > packed.size) {
    throw new InputError(`fragment of ${extent.end - extent.start} bytes at offset ${extent.physical} lies past the end of the ${packed.size}-byte packed inode`, {
      file: data.reader.name,
      format: inodeFormat(data.nid),
      offset: extent.start + from,
    });
  }
  return packed.read(offset, length);
}

function readStored(data: FileData, extent: Extent, offset: number, length: number): Promise<Buffer> {
  const format = extent.kind === 'raw' ? inodeFormat(data.nid) : pclusterFormat(data.nid, extent.physical);
  const what = extent.kind === 'raw' ? 'file data' : 'pcluster';
  return extent.inline ? data.reader.readMeta(offset, length, format, what) : data.reader.readData(offset, length, format, what);
}

/**
 * Random access to a file's bytes: a read is mapped to the extents it touches, and only those
 * pclusters are read and decoded, through a small LRU of decoded extents.
 */
export class ExtentSource implements ByteSource {
  /** Decoded extents by index, least recently used first. */
  private readonly decoded = new Map<number, { bytes: Promise<Buffer>; length: number }>();
  private decodedBytes = 0;

  constructor(
    readonly name: string,
    private readonly data: FileData,
  ) {}

  get size(): number {
    return this.data.map.size;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, inodeFormat(this.data.nid), offset, length);
    if (length === 0) return Buffer.alloc(0);
    const map = this.data.map;
    const parts: Buffer[] = [];
    const end = offset + length;
    for (let index = map.find(offset); index < map.count; index++) {
      const extent = map.get(index);
      if (extent.start >= end) break;
      const from = Math.max(offset, extent.start);
      const to = Math.min(end, extent.end);
      parts.push(await this.slice(extent, from - extent.start, to - from));
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
  }

  private async slice(extent: Extent, from: number, length: number): Promise<Buffer> {
    switch (extent.kind) {
      case 'raw':
        return readStored(this.data, extent, extent.physical + from, length);
      case 'zero':
        return Buffer.alloc(length);
      case 'fragment':
        return readFragment(this.data, extent, from, length);
      default: {
        const decoded = await this.decode(extent);
        return decoded.subarray(from, from + length);
      }
    }
  }

  private decode(extent: Extent): Promise<Buffer> {
    const cached = this.decoded.get(extent.index);
    if (cached !== undefined) {
      this.decoded.delete(extent.index);
      this.decoded.set(extent.index, cached);
      return cached.bytes;
    }
    const length = extent.end - extent.start;
    const bytes = readStored(this.data, extent, extent.physical, extent.physicalLength).then((stored) => decode(this.data, extent, stored));
    this.decoded.set(extent.index, { bytes, length });
    this.decodedBytes += length;
    // A failed decode is not cached (unless a newer attempt already replaced it).
    bytes.catch(() => {
      if (this.decoded.get(extent.index)?.bytes === bytes) this.forget(extent.index);
    });
    while (this.decodedBytes > DECODED_CACHE_BYTES && this.decoded.size > 2) this.forget(this.decoded.keys().next().value as number);
    return bytes;
  }

  private forget(index: number): void {
    const entry = this.decoded.get(index);
    if (entry === undefined) return;
    this.decoded.delete(index);
    this.decodedBytes -= entry.length;
  }

  async close(): Promise<void> {
    this.decoded.clear();
    this.decodedBytes = 0;
  }
}

/**
 * A file's bytes front to back: each pcluster is read and decoded once, and the image is read in
 * windows of up to 1 MiB over the file's own data (its pclusters are usually contiguous).
 */
export async function* streamFileData(data: FileData): AsyncGenerator<Buffer> {
  const map = data.map;
  const span = map.physicalSpan();
  let window: { start: number; bytes: Buffer } | null = null;
  const stored = async (extent: Extent, offset: number, length: number): Promise<Buffer> => {
    if (extent.inline || length >= STREAM_WINDOW_BYTES) return readStored(data, extent, offset, length);
    if (window === null || offset < window.start || offset + length > window.start + window.bytes.length) {
      const windowEnd = Math.max(offset + length, Math.min(span.end, data.reader.size, offset + STREAM_WINDOW_BYTES));
      window = { start: offset, bytes: await readStored(data, extent, offset, windowEnd - offset) };
    }
    return window.bytes.subarray(offset - window.start, offset - window.start + length);
  };

  for (let index = 0; index < map.count; index++) {
    const extent = map.get(index);
    const length = extent.end - extent.start;
    if (extent.kind === 'raw' || extent.kind === 'zero' || extent.kind === 'fragment') {
      for (let done = 0; done < length; done += STREAM_CHUNK_BYTES) {
        const piece = Math.min(STREAM_CHUNK_BYTES, length - done);
        if (extent.kind === 'zero') yield Buffer.alloc(piece);
        else if (extent.kind === 'fragment') yield await readFragment(data, extent, done, piece);
        else yield await stored(extent, extent.physical + done, piece);
      }
      continue;
    }
    yield decode(data, extent, await stored(extent, extent.physical, extent.physicalLength));
  }
}
