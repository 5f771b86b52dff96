import type { ExtentMap } from './extentMap.js';
import { inodeFormat } from './inode.js';
import {
  ADVISE,
  algorithmKind,
  alignUp,
  checkPackedInode,
  MAP_HEADER_SIZE,
  MAX_EXTENT_BYTES,
  MAX_LCLUSTERS,
  MAX_PCLUSTER_BYTES,
  plainKind,
  readIndexBytes,
  type MapContext,
} from './mapContext.js';

/**
 * Encoded extents, the compressed-file index of the 48-bit layout (mkfs.erofs -E48bit): instead of
 * one entry per logical cluster, a table of extent records right after the map header, each
 * {u32 plen, u32 pstart_lo, u32 pstart_hi, u32 lstart_lo, u32 lstart_hi, 12 reserved} cut to the
 * record size the header's advise chooses (4, 8, 16 or 32 bytes). Physical positions are bytes,
 * not blocks, so pclusters need not be block-aligned (byte-oriented Zstandard).
 *
 * - 16 and 32 bytes: `h_extents` records sorted by logical start; each extent runs to the next.
 * - 4 and 8 bytes: one record per logical cluster (every extent but the last fills one); with 4,
 *   the pclusters follow each other from a u64 start written before the records, with 8 each
 *   record has its own 32-bit start.
 */

/** In plen: bits 0-20 the stored length, bit 27 "partial reference", bits 28-31 the format (0 uncompressed, else algorithm + 1). */
const PLEN_MASK = (MAX_PCLUSTER_BYTES << 1) - 1;
const PLEN_PARTIAL = 1 << 27;
const PLEN_FORMAT_SHIFT = 28;
const RECORD_SIZE_SHIFT = 1;

export async function mapEncodedExtents(context: MapContext, header: Buffer, headerStart: number, map: ExtentMap): Promise<void> {
  const { reader, superblock, inode, fail, unsupported } = context;
  const advise = header.readUInt16LE(4);
  const recordSize = 4 << ((advise >>> RECORD_SIZE_SHIFT) & 3);
  const tableStart = alignUp(headerStart + MAP_HEADER_SIZE, recordSize);
  const format = inodeFormat(inode.nid);
  const fragmentTail = (advise & ADVISE.fragmentPcluster) !== 0;
  if (fragmentTail) checkPackedInode(context, headerStart);
  if ((advise & ~0x3f) !== 0) throw unsupported(`uses unknown compression options 0x${(advise & ~0x3f).toString(16)}`, headerStart + 4);

  // Record i as {logical start, plen, physical start, pstart_lo}, read from the table on demand
  // (a big file has hundreds of thousands of records).
  let count: number;
  let table: Buffer;
  /** Bytes before the first record: the u64 start of contiguous pclusters, with 4-byte records. */
  let base = 0;
  let startOf: (i: number) => number;
  let physicalOf: (i: number) => number;
  const plenOf = (i: number): number => table.readUInt32LE(base + i * recordSize);
  if (recordSize <= 8) {
    const lclusterSize = 2 ** (superblock.blockSizeBits + (header.readUInt8(7) & 15));
    count = Math.ceil(inode.size / lclusterSize);
    if (count > MAX_LCLUSTERS) throw fail(`absurd size: ${inode.size} bytes would need ${count} extents (at most ${MAX_LCLUSTERS} are read)`);
    base = recordSize === 4 ? 8 : 0;
    table = await readIndexBytes(context, tableStart, base + count * recordSize, 'encoded extents');
    startOf = (i) => i * lclusterSize;
    if (recordSize === 8) {
      physicalOf = (i) => table.readUInt32LE(i * recordSize + 4);
    } else {
      // Contiguous pclusters from the u64 before the records: each starts where the previous ends.
      const starts = new Float64Array(count);
      let next = table.readUInt32LE(4) * 2 ** 32 + table.readUInt32LE(0);
      for (let i = 0; i < count; i++) {
        starts[i] = next;
        next += plenOf(i) & PLEN_MASK;
      }
      physicalOf = (i) => starts[i]!;
    }
  } else {
    count = header.readUInt16LE(6) * 2 ** 32 + header.readUInt32LE(0);
    if (count === 0 || count > MAX_LCLUSTERS) throw fail(`${count} encoded extents for ${inode.size} bytes`, headerStart);
    table = await readIndexBytes(context, tableStart, count * recordSize, 'encoded extents');
    startOf = (i) => table.readUInt32LE(i * recordSize + 12) + (recordSize === 32 ? table.readUInt32LE(i * recordSize + 16) * 2 ** 32 : 0);
    physicalOf = (i) => table.readUInt32LE(i * recordSize + 8) * 2 ** 32 + table.readUInt32LE(i * recordSize + 4);
    for (let i = 0; i < count; i++) {
      const start = startOf(i);
      if ((i > 0 && start <= startOf(i - 1)) || start >= inode.size) {
        throw fail(`encoded extent ${i} starts at file offset ${start}, out of order or past the ${inode.size}-byte file`, tableStart + i * recordSize + 12);
      }
    }
    // Linux reads what precedes the first extent as a hole.
    if (startOf(0) > 0) map.push(0, 'zero', 0, startOf(0));
  }

  for (let i = 0; i < count; i++) {
    const start = startOf(i);
    const plen = plenOf(i);
    const last = i + 1 === count;
    const end = last ? inode.size : startOf(i + 1);
    if (last && fragmentTail) {
      // The fragment's offset in the packed inode: plen holds bits 0-31, pstart_lo (if the records have it) bits 32-63.
      const high = recordSize === 4 ? 0 : table.readUInt32LE(base + i * recordSize + 4);
      map.push(start, 'fragment', high * 2 ** 32 + plen, end - start);
      continue;
    }
    const length = plen & PLEN_MASK;
    if (length === 0) {
      map.push(start, 'zero', 0, end - start);
      continue;
    }
    const physical = physicalOf(i);
    if (end - start > MAX_EXTENT_BYTES) throw unsupported(`an extent of ${end - start} bytes at file offset ${start} exceeds the ${MAX_EXTENT_BYTES}-byte limit`);
    if (length > MAX_PCLUSTER_BYTES) throw unsupported(`a pcluster of ${length} bytes at file offset ${start} exceeds the ${MAX_PCLUSTER_BYTES}-byte limit`);
    reader.check(physical, length, `${format} › extent at file offset ${start}`, 'pcluster');
    const algorithm = plen >>> PLEN_FORMAT_SHIFT;
    if (algorithm === 0) {
      if (end - start > length) throw fail(`an uncompressed extent of ${end - start} bytes is larger than its ${length}-byte pcluster`, physical);
      // Only a pcluster of whole blocks can be interlaced (as Linux decides).
      const blockAligned = physical % superblock.blockSize === 0 && length % superblock.blockSize === 0;
      map.push(start, plainKind(context, blockAligned ? advise : advise & ~ADVISE.interlacedPcluster, length), physical, length);
      continue;
    }
    map.push(start, algorithmKind(context, algorithm - 1, tableStart), physical, length, { partial: (plen & PLEN_PARTIAL) !== 0 });
  }
}
