import { InputError } from '../../errors.js';
import { checkRange, visitBytes, visitZeros, type ByteSource, type ByteVisitor } from '../../io/byteSource.js';
import type { Extent, ExtentMap } from './extentMap.js';
import type { ImageReader } from './imageReader.js';
import { inodeFormat } from './inode.js';
import { decodeExtent, pclusterFormat, withDecodedExtent } from './pclusterDecoder.js';
import type { Superblock } from './superblock.js';

/** Decoded extents kept per open file: enough for reads that straddle a few pclusters. */
const DECODED_CACHE_BYTES = 4 << 20;
/** Streams and hashes read the image in windows this large rather than pcluster by pcluster. */
const STREAM_WINDOW_BYTES = 1 << 20;
/** Raw, zero and fragment extents are streamed in pieces of at most this size. */
const STREAM_CHUNK_BYTES = 1 << 20;
/** Extents stored at most this far apart are visited in one pass over the image (the gap is skipped). */
const MAX_RUN_GAP = 64 << 10;

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

function storedFormat(data: FileData, extent: Extent): { format: string; what: string } {
  return extent.kind === 'raw' ? { format: inodeFormat(data.nid), what: 'file data' } : { format: pclusterFormat(data.nid, extent.physical), what: 'pcluster' };
}

function readStored(data: FileData, extent: Extent, offset: number, length: number): Promise<Buffer> {
  const { format, what } = storedFormat(data, extent);
  return extent.inline ? data.reader.readMeta(offset, length, format, what) : data.reader.readData(offset, length, format, what);
}

/** Extents whose stored bytes are the file's bytes, from `physical` on: visited in place. */
function storedAsIs(extent: Extent): boolean {
  return extent.kind === 'raw' || extent.kind === 'plain';
}

/** Image bytes an extent's data is read from: [physical, physical + storedLength(extent)). */
function storedLength(extent: Extent): number {
  return storedAsIs(extent) ? extent.end - extent.start : extent.physicalLength;
}

/** One extent's part in a visit: file bytes [from, to) of it, relative to the extent's start. */
interface VisitPart {
  extent: Extent;
  from: number;
  to: number;
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

  /**
   * Visits the file's bytes [offset, offset+length): extents stored one after another in the
   * image are visited in one pass over their image bytes, raw and uncompressed data in place and
   * each pcluster decoded from the image's own bytes (copied only when it straddles two pieces of
   * the image), so a whole file is hashed without a copy of its bytes.
   */
  async visit(offset: number, length: number, visitor: ByteVisitor): Promise<void> {
    checkRange(this, inodeFormat(this.data.nid), offset, length);
    const map = this.data.map;
    const end = offset + length;
    let run: VisitPart[] = [];
    for (let index = length === 0 ? map.count : map.find(offset); index < map.count; index++) {
      const extent = map.get(index);
      if (extent.start >= end) break;
      const part = { extent, from: Math.max(offset, extent.start) - extent.start, to: Math.min(end, extent.end) - extent.start };
      const previous = run.at(-1)?.extent;
      const inRun = !extent.inline && extent.kind !== 'zero' && extent.kind !== 'fragment';
      const continues =
        previous !== undefined && extent.physical >= previous.physical + storedLength(previous) && extent.physical - (previous.physical + storedLength(previous)) <= MAX_RUN_GAP;
      if (run.length > 0 && !(inRun && continues)) {
        await visitRun(this.data, run, visitor);
        run = [];
      }
      if (inRun) run.push(part);
      else await this.visitAlone(part, visitor);
    }
    if (run.length > 0) await visitRun(this.data, run, visitor);
  }

  private async visitAlone({ extent, from, to }: VisitPart, visitor: ByteVisitor): Promise<void> {
    switch (extent.kind) {
      case 'zero':
        return visitZeros(to - from, visitor);
      case 'fragment':
        for (let done = from; done < to; done += STREAM_CHUNK_BYTES) visitor(await readFragment(this.data, extent, done, Math.min(STREAM_CHUNK_BYTES, to - done)));
        return;
      default: {
        if (storedAsIs(extent)) return visitor(await readStored(this.data, extent, extent.physical + from, to - from));
        emitPart(this.data, { extent, from, to }, await readStored(this.data, extent, extent.physical, extent.physicalLength), visitor);
      }
    }
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

/** Hands the visitor part of one compressed (or interlaced) extent, from its whole pcluster. */
function emitPart(data: FileData, { extent, from, to }: VisitPart, stored: Buffer, visitor: ByteVisitor): void {
  withDecodedExtent({ imageName: data.reader.name, superblock: data.superblock, nid: data.nid }, extent, stored, (bytes) => {
    visitor(from === 0 && to === bytes.length ? bytes : bytes.subarray(from, to));
  });
}

/**
 * Visits a run of extents stored one after another (in increasing image order) in one pass over
 * their image bytes [first physical, last stored end): each extent's part is handed over as the
 * pass reaches it, in place when its stored bytes lie in one piece of the pass or are the file's
 * bytes as they are, else after its stored bytes were gathered from two pieces.
 */
async function visitRun(data: FileData, run: readonly VisitPart[], visitor: ByteVisitor): Promise<void> {
  for (const { extent } of run) {
    const { format, what } = storedFormat(data, extent);
    data.reader.check(extent.physical, storedLength(extent), format, what);
  }
  // Image bytes each part needs: the part itself for data stored as is, the whole pcluster otherwise.
  const needed = run.map((part) => (storedAsIs(part.extent) ? { start: part.extent.physical + part.from, end: part.extent.physical + part.to } : { start: part.extent.physical, end: part.extent.physical + part.extent.physicalLength }));
  const start = needed[0]!.start;
  const end = needed.at(-1)!.end;
  let next = 0;
  /** Stored bytes of the current pcluster gathered so far, when it straddles pieces. */
  let gathered: Buffer | null = null;
  let gatheredLength = 0;
  let position = start;
  await visitBytes(data.reader.image, start, end - start, (piece) => {
    const pieceStart = position;
    const pieceEnd = position + piece.length;
    position = pieceEnd;
    const bytes = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    for (; next < run.length; next++) {
      const part = run[next]!;
      const need = needed[next]!;
      if (need.start >= pieceEnd) return;
      if (storedAsIs(part.extent)) {
        // The file's own bytes: visit what of them this piece holds.
        const from = Math.max(need.start, pieceStart);
        const to = Math.min(need.end, pieceEnd);
        if (from < to) visitor(bytes.subarray(from - pieceStart, to - pieceStart));
        if (need.end > pieceEnd) return;
        continue;
      }
      if (gathered === null && need.start >= pieceStart && need.end <= pieceEnd) {
        emitPart(data, part, bytes.subarray(need.start - pieceStart, need.end - pieceStart), visitor);
        continue;
      }
      gathered ??= Buffer.allocUnsafe(need.end - need.start);
      const from = Math.max(need.start + gatheredLength, pieceStart);
      const to = Math.min(need.end, pieceEnd);
      bytes.copy(gathered, gatheredLength, from - pieceStart, to - pieceStart);
      gatheredLength += to - from;
      if (gatheredLength < gathered.length) return;
      emitPart(data, part, gathered, visitor);
      gathered = null;
      gatheredLength = 0;
    }
  });
  if (next < run.length) throw new Error(`visited ${next} of ${run.length} extents`);
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
