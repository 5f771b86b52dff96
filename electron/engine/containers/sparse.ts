import { InputError } from '../errors.js';
import { lastStartAtOrBefore } from '../io/sortedSearch.js';
import { checkRange, visitBytes, visitZeros, type ByteSource, type ByteVisitor } from '../io/byteSource.js';
import { WindowReader } from '../io/windowReader.js';

const SPARSE_MAGIC = 0xed26ff3a;
const FILE_HEADER_SIZE = 28;
const CHUNK_HEADER_SIZE = 12;
const CHUNK_RAW = 0xcac1;
const CHUNK_FILL = 0xcac2;
const CHUNK_DONT_CARE = 0xcac3;
const CHUNK_CRC32 = 0xcac4;
/** A FILL chunk is visited in pieces of at most this size. */
const FILL_PIECE = 1 << 20;

/**
 * One run of output bytes and where they come from: a range of the parent source, a repeated
 * 4-byte pattern (aligned to the segment's start), or zeros.
 */
export type Segment = { start: number; length: number } & (
  /** Bytes at `from` of the parent, or of `source` when the segment names one (split sparse images). */
  | { kind: 'copy'; from: number; source?: ByteSource }
  | { kind: 'fill'; pattern: Buffer }
  | { kind: 'zero' }
);

/**
 * Random access over an image described by sorted, non-overlapping segments of a parent source
 * (a sparse image's chunks, a super.img partition's extents). Bytes no segment covers read as
 * zeros. A read finds its first segment by binary search and touches only the segments it spans.
 */
export class MappedByteSource implements ByteSource {
  private readonly starts: Float64Array;

  constructor(
    readonly name: string,
    readonly size: number,
    private readonly parent: ByteSource,
    private readonly segments: readonly Segment[],
    private readonly format: string,
  ) {
    this.starts = Float64Array.from(segments, (segment) => segment.start);
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, this.format, offset, length);
    const end = offset + length;
    const firstIndex = lastStartAtOrBefore(this.starts, offset);
    const first = this.segments[firstIndex];
    // Most reads fall inside one copied run: pass them on without copying.
    if (first?.kind === 'copy' && first.start <= offset && end <= first.start + first.length && length > 0) {
      return (first.source ?? this.parent).read(first.from + (offset - first.start), length);
    }
    const output = Buffer.alloc(length);
    const copies: Promise<void>[] = [];
    for (let index = firstIndex; index < this.segments.length; index++) {
      const segment = this.segments[index] as Segment;
      if (segment.start >= end) break;
      const from = Math.max(offset, segment.start);
      const to = Math.min(end, segment.start + segment.length);
      if (from >= to) continue;
      const target = from - offset;
      if (segment.kind === 'copy') {
        const source = segment.from + (from - segment.start);
        copies.push((segment.source ?? this.parent).read(source, to - from).then((bytes) => void bytes.copy(output, target)));
      } else if (segment.kind === 'fill') {
        output.set(fillPattern(segment.pattern, from - segment.start, to - from), target);
      }
    }
    await Promise.all(copies);
    return output;
  }

  /** Visits copied runs in place (through the parent's visit), fills and zeros from patterns. */
  async visit(offset: number, length: number, visitor: ByteVisitor): Promise<void> {
    checkRange(this, this.format, offset, length);
    const end = offset + length;
    let position = offset;
    for (let index = lastStartAtOrBefore(this.starts, offset); index < this.segments.length && position < end; index++) {
      const segment = this.segments[index] as Segment;
      if (segment.start >= end) break;
      const from = Math.max(position, segment.start);
      const to = Math.min(end, segment.start + segment.length);
      if (from >= to) continue;
      if (from > position) visitZeros(from - position, visitor);
      if (segment.kind === 'copy') await visitBytes(segment.source ?? this.parent, segment.from + (from - segment.start), to - from, visitor);
      else if (segment.kind === 'zero') visitZeros(to - from, visitor);
      else for (let done = from; done < to; done += FILL_PIECE) visitor(fillPattern(segment.pattern, done - segment.start, Math.min(FILL_PIECE, to - done)));
      position = to;
    }
    if (position < end) visitZeros(end - position, visitor);
  }

  async close(): Promise<void> {}
}

/** `length` bytes of a 4-byte pattern repeated from a segment's start, from `phase` bytes into the segment. */
function fillPattern(pattern: Buffer, phase: number, length: number): Buffer {
  const shift = phase % 4;
  const aligned = shift === 0 ? pattern : Buffer.concat([pattern.subarray(shift), pattern.subarray(0, shift)]);
  return Buffer.alloc(length, aligned);
}

export async function isSparseImage(source: ByteSource): Promise<boolean> {
  if (source.size < FILE_HEADER_SIZE) return false;
  return (await source.read(0, 4)).readUInt32LE(0) === SPARSE_MAGIC;
}

export interface SparseHeader {
  blockSize: number;
  totalBlocks: number;
  totalChunks: number;
  fileHeaderSize: number;
  chunkHeaderSize: number;
}

/**
 * An Android sparse image (libsparse) read as the raw image it stands for, without expanding it:
 * the chunk headers are read once into a map from output offset to chunk, and reads are served
 * from RAW chunks' bytes, FILL patterns, or zeros (DONT_CARE). CRC32 chunks are skipped. The
 * returned source reads from `source`, which stays open until the caller closes it.
 */
export async function openSparseImage(source: ByteSource): Promise<MappedByteSource> {
  const { header, segments } = await readSparseLayout(source);
  return new MappedByteSource(source.name, header.totalBlocks * header.blockSize, source, segments, 'sparse image');
}

/** A sparse image's header and the segments its chunks map (DONT_CARE chunks leave gaps). */
export async function readSparseLayout(source: ByteSource): Promise<{ header: SparseHeader; segments: Segment[] }> {
  const header = await readSparseHeader(source);
  return { header, segments: await readChunkMap(source, header) };
}

async function readSparseHeader(source: ByteSource): Promise<SparseHeader> {
  const fail = (problem: string, offset: number, expected?: string): never => {
    throw new InputError(problem, { file: source.name, format: 'sparse', offset, expected });
  };
  if (source.size < FILE_HEADER_SIZE) fail('too short for a sparse image header', 0, `${FILE_HEADER_SIZE} bytes`);
  const bytes = await source.read(0, FILE_HEADER_SIZE);
  if (bytes.readUInt32LE(0) !== SPARSE_MAGIC) fail('not an Android sparse image', 0, 'magic 0xed26ff3a');
  const major = bytes.readUInt16LE(4);
  if (major !== 1) fail(`unsupported sparse format version ${major}`, 4, 'major version 1');
  const header: SparseHeader = {
    fileHeaderSize: bytes.readUInt16LE(8),
    chunkHeaderSize: bytes.readUInt16LE(10),
    blockSize: bytes.readUInt32LE(12),
    totalBlocks: bytes.readUInt32LE(16),
    totalChunks: bytes.readUInt32LE(20),
  };
  if (header.fileHeaderSize < FILE_HEADER_SIZE) fail(`file header size ${header.fileHeaderSize} is too small`, 8, `at least ${FILE_HEADER_SIZE}`);
  if (header.chunkHeaderSize < CHUNK_HEADER_SIZE) fail(`chunk header size ${header.chunkHeaderSize} is too small`, 10, `at least ${CHUNK_HEADER_SIZE}`);
  if (header.blockSize === 0 || header.blockSize % 4 !== 0) fail(`block size ${header.blockSize} is not a positive multiple of 4`, 12);
  if (!Number.isSafeInteger(header.totalBlocks * header.blockSize)) fail('image size too large', 16);
  const maxChunks = Math.floor((source.size - header.fileHeaderSize) / header.chunkHeaderSize);
  if (header.totalChunks > maxChunks) {
    fail(`header claims ${header.totalChunks} chunks, but the file has room for ${maxChunks} at most`, 20);
  }
  return header;
}

async function readChunkMap(source: ByteSource, header: SparseHeader): Promise<Segment[]> {
  const segments: Segment[] = [];
  const reader = new WindowReader(source);
  let offset = header.fileHeaderSize;
  let block = 0;
  for (let chunk = 0; chunk < header.totalChunks; chunk++) {
    const fail = (problem: string, expected?: string): never => {
      throw new InputError(problem, { file: source.name, format: `sparse › chunk ${chunk}`, offset, expected });
    };
    if (offset + header.chunkHeaderSize > source.size) fail('chunk header runs past the end of the file (truncated image?)');
    const chunkHeader = await reader.read(offset, CHUNK_HEADER_SIZE);
    const type = chunkHeader.readUInt16LE(0);
    const blocks = chunkHeader.readUInt32LE(4);
    const totalSize = chunkHeader.readUInt32LE(8);
    const dataSize = totalSize - header.chunkHeaderSize;
    const outputBytes = blocks * header.blockSize;
    if (totalSize < header.chunkHeaderSize) fail(`chunk size ${totalSize} is smaller than its header`);
    if (offset + totalSize > source.size) fail(`chunk of ${totalSize} bytes runs past the end of the file (truncated image?)`, `${source.size - offset} bytes left`);
    if (block + blocks > header.totalBlocks) fail(`chunks cover more than the ${header.totalBlocks} blocks the header declares`);
    const start = block * header.blockSize;
    const dataAt = offset + header.chunkHeaderSize;
    switch (type) {
      case CHUNK_RAW:
        if (dataSize !== outputBytes) fail(`raw chunk holds ${dataSize} bytes for ${blocks} blocks`, `${outputBytes} bytes`);
        if (blocks > 0) segments.push({ kind: 'copy', start, length: outputBytes, from: dataAt });
        break;
      case CHUNK_FILL: {
        if (dataSize !== 4) fail(`fill chunk holds ${dataSize} bytes`, '4 bytes');
        const pattern = Buffer.from(await reader.read(dataAt, 4));
        // A zero fill reads as zeros anyway, but it still covers what an earlier split chunk wrote.
        if (blocks > 0) segments.push(pattern.readUInt32LE(0) === 0 ? { kind: 'zero', start, length: outputBytes } : { kind: 'fill', start, length: outputBytes, pattern });
        break;
      }
      case CHUNK_DONT_CARE:
        if (dataSize !== 0) fail(`don't-care chunk holds ${dataSize} bytes`, '0 bytes');
        break;
      case CHUNK_CRC32:
        if (dataSize !== 4) fail(`CRC32 chunk holds ${dataSize} bytes`, '4 bytes');
        if (blocks !== 0) fail(`CRC32 chunk covers ${blocks} blocks`, '0 blocks');
        break;
      default:
        fail(`unknown chunk type 0x${type.toString(16)}`, 'raw 0xcac1, fill 0xcac2, don\'t care 0xcac3 or crc32 0xcac4');
    }
    block += blocks;
    offset += totalSize;
  }
  if (block !== header.totalBlocks) {
    throw new InputError(`chunks cover ${block} blocks, the header declares ${header.totalBlocks}`, { file: source.name, format: 'sparse', offset, expected: `${header.totalBlocks} blocks` });
  }
  return segments;
}
