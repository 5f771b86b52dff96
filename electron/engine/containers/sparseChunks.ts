import { InputError } from '../errors.js';
import { viewOf, type ByteSource } from '../io/byteSource.js';
import { MappedByteSource, readSparseLayout, type Segment } from './sparse.js';

/**
 * An image split into sparse chunks (`super.img_sparsechunk.0` … `.N`, as Motorola ships them),
 * read as the one image that flashing them in order writes. Each chunk is a complete sparse image
 * of the whole partition whose DONT_CARE chunks skip what the other files hold; where two chunks
 * both write a block, the later one wins, as it would on the device. Closing the returned source
 * closes the chunks.
 */
export async function openSparseChunks(name: string, chunks: readonly ByteSource[]): Promise<ByteSource> {
  if (chunks.length === 0) throw new Error('openSparseChunks needs at least one chunk');
  let image: Segment[] = [];
  let shape: { blockSize: number; totalBlocks: number; chunk: string } | null = null;
  for (const chunk of chunks) {
    const { header, segments } = await readSparseLayout(chunk);
    if (shape === null) shape = { blockSize: header.blockSize, totalBlocks: header.totalBlocks, chunk: chunk.name };
    else if (header.blockSize !== shape.blockSize || header.totalBlocks !== shape.totalBlocks) {
      throw new InputError(
        `this chunk describes ${header.totalBlocks} blocks of ${header.blockSize} bytes, ${shape.chunk} ${shape.totalBlocks} blocks of ${shape.blockSize}: they are not parts of one image`,
        { file: chunk.name, format: 'sparse chunk', offset: 12, expected: 'chunks of the same partition' },
      );
    }
    image = overlay(image, segments.map((segment) => (segment.kind === 'copy' ? { ...segment, source: chunk } : segment)));
  }
  const { blockSize, totalBlocks } = shape as { blockSize: number; totalBlocks: number };
  const mapped = new MappedByteSource(name, blockSize * totalBlocks, chunks[0] as ByteSource, image, 'sparse chunks');
  return viewOf(mapped, async () => {
    for (const chunk of chunks) await chunk.close();
  });
}

/** `top` written over `base` (both sorted, without overlaps): what `top` covers, `base` no longer does. */
export function overlay(base: readonly Segment[], top: readonly Segment[]): Segment[] {
  const kept: Segment[] = [];
  let first = 0;
  for (const segment of base) {
    let start = segment.start;
    const end = segment.start + segment.length;
    while (first < top.length && (top[first] as Segment).start + (top[first] as Segment).length <= start) first++;
    for (let index = first; start < end; index++) {
      const cover = top[index];
      if (cover === undefined || cover.start >= end) {
        kept.push(slice(segment, start, end));
        break;
      }
      if (cover.start > start) kept.push(slice(segment, start, cover.start));
      start = Math.max(start, cover.start + cover.length);
    }
  }
  return [...kept, ...top].sort((a, b) => a.start - b.start);
}

/** The part [from, to) of a segment. */
function slice(segment: Segment, from: number, to: number): Segment {
  const skip = from - segment.start;
  if (skip === 0 && to === segment.start + segment.length) return segment;
  const length = to - from;
  switch (segment.kind) {
    case 'copy':
      return { ...segment, start: from, length, from: segment.from + skip };
    case 'fill': {
      const phase = skip % 4;
      const pattern = phase === 0 ? segment.pattern : Buffer.concat([segment.pattern.subarray(phase), segment.pattern.subarray(0, phase)]);
      return { kind: 'fill', start: from, length, pattern };
    }
    case 'zero':
      return { kind: 'zero', start: from, length };
  }
}
