import { mapEncodedExtents } from './encodedExtents.js';
import { ExtentMap } from './extentMap.js';
import type { ImageReader } from './imageReader.js';
import { DATA_LAYOUT, inodeFormat, type Inode } from './inode.js';
import {
  ADVISE,
  algorithmKind,
  alignUp,
  checkPackedInode,
  KNOWN_ADVISE,
  MAP_HEADER_SIZE,
  mapContext,
  MAX_EXTENT_BYTES,
  MAX_LCLUSTERS,
  MAX_PCLUSTER_BYTES,
  plainKind,
  readIndexBytes,
  type MapContext,
} from './mapContext.js';
import { FEATURE_INCOMPAT, type Superblock } from './superblock.js';

/**
 * Compressed files (COMPRESSED_FULL and COMPRESSED_COMPACT layouts). The file is cut into logical
 * clusters ("lclusters", one block each in practice); an index entry per lcluster says whether a
 * compressed extent starts in it (HEAD/PLAIN, with the offset where it starts and the physical
 * cluster, "pcluster", holding it) or whether it continues the previous one (NONHEAD). The whole
 * index is decoded into an ExtentMap when a file is opened; its size is bounded by the image.
 *
 * With fragments (mkfs.erofs -Efragments) the tail extent, or the whole file, is kept in the
 * packed inode instead; the 48-bit layout replaces full indexes by encoded extents (encodedExtents.ts).
 */

// Lcluster types; type 3 (HEAD2) is a head compressed with the second algorithm of the header.
const LCLUSTER_PLAIN = 0;
const LCLUSTER_HEAD1 = 1;
const LCLUSTER_NONHEAD = 2;

/** In the first NONHEAD entry after a head: the rest of the value is the pcluster's block count. */
const D0_CBLKCNT = 1 << 11;
/** In a full index entry: the pcluster is shared with (and decodes to more than) this extent. */
const PARTIAL_REF = 1 << 15;
/** Bit 7 of the header's last byte: the whole file sits in the packed inode (the rest is its offset there). */
const WHOLE_FILE_FRAGMENT = 0x80;
/** The full index starts after the map header and 8 more reserved bytes. */
const FULL_INDEX_PADDING = 8;
const FULL_INDEX_ENTRY_SIZE = 8;

interface MapHeader {
  advise: number;
  /** Algorithm of HEAD1 and HEAD2 lclusters. */
  algorithms: [number, number];
  lclusterBits: number;
  /** Bytes of the tail pcluster stored inline after the index (ztailpacking). */
  inlineSize: number;
  /** Where the tail extent starts in the packed inode (fragments; bits 32+ come from the index). */
  fragmentOffset: number;
}

/** The decoded lcluster index: per lcluster its type, value and (for heads) pcluster block. */
interface LclusterIndex {
  types: Uint8Array;
  /** clusterofs for heads; delta[0] (or a CBLKCNT) for NONHEAD entries. */
  values: Uint16Array;
  /** Block address of the pcluster, for heads. */
  blocks: Float64Array;
  partial: Uint8Array;
  /** Image offset just past the index entry (or compact pack) of the last lcluster. */
  end: number;
}

export async function mapCompressedData(reader: ImageReader, superblock: Superblock, inode: Inode): Promise<ExtentMap> {
  const map = new ExtentMap(inode.size);
  if (inode.size === 0) return map;
  const context = mapContext(reader, superblock, inode);
  const { fail, unsupported } = context;

  const headerStart = alignUp(inode.tailStart, 8);
  const raw = await readRawHeader(reader, superblock, inode, headerStart);
  if (raw !== null && (raw.readUInt8(7) & WHOLE_FILE_FRAGMENT) !== 0) {
    checkPackedInode(context, headerStart);
    // The other 63 bits of the header are the file's offset in the packed inode.
    const offset = (raw.readUInt32LE(4) & 0x7fffffff) * 2 ** 32 + raw.readUInt32LE(0);
    if (!Number.isSafeInteger(offset)) throw fail(`offset ${offset} in the packed inode is out of range`, headerStart);
    map.push(0, 'fragment', offset, inode.size);
    return map;
  }
  if (raw !== null && inode.dataLayout === DATA_LAYOUT.compressedFull && (raw.readUInt16LE(4) & ADVISE.encodedExtents) !== 0) {
    await mapEncodedExtents(context, raw, headerStart, map);
    return map;
  }
  const header = parseMapHeader(superblock, raw);
  if ((header.advise & ~KNOWN_ADVISE) !== 0) throw unsupported(`uses unknown compression options 0x${(header.advise & ~KNOWN_ADVISE).toString(16)}`, headerStart + 4);
  const fragmentTail = (header.advise & ADVISE.fragmentPcluster) !== 0;
  if (fragmentTail) checkPackedInode(context, headerStart);
  const inlineTail = !fragmentTail && (header.advise & ADVISE.inlinePcluster) !== 0;
  if (inlineTail && (superblock.featureIncompat & FEATURE_INCOMPAT.ztailpacking) === 0) {
    throw fail('has an inline tail pcluster but the image lacks the ztailpacking feature', headerStart);
  }
  if (inode.dataLayout === DATA_LAYOUT.compressedCompact && ((header.advise & ADVISE.bigPcluster1) === 0) !== ((header.advise & ADVISE.bigPcluster2) === 0)) {
    throw fail('compact indexes must enable big pclusters for both heads or neither', headerStart + 4);
  }
  if (header.lclusterBits > 20) throw unsupported(`logical clusters of 2^${header.lclusterBits} bytes are not supported`, headerStart + 7);

  const lclusterSize = 2 ** header.lclusterBits;
  const count = Math.ceil(inode.size / lclusterSize);
  if (count > MAX_LCLUSTERS) throw fail(`absurd size: ${inode.size} bytes would need ${count} logical clusters (at most ${MAX_LCLUSTERS} are read)`);
  const index =
    inode.dataLayout === DATA_LAYOUT.compressedFull
      ? await readFullIndex(context, headerStart, count)
      : await readCompactIndex(context, header, headerStart, count);

  // Heads in file order; each extent runs to the next head (or the end of the file).
  const heads: number[] = [];
  for (let lcn = 0; lcn < count; lcn++) {
    if (index.types[lcn] === LCLUSTER_NONHEAD) continue;
    const start = lcn * lclusterSize + index.values[lcn]!;
    if (start >= inode.size) break;
    heads.push(lcn);
  }
  const firstHead = heads[0];
  if (firstHead !== 0 || index.values[0] !== 0) throw fail('the first logical cluster does not start an extent at offset 0');

  const blockSize = superblock.blockSize;
  const lclusterBlocks = lclusterSize / blockSize;
  let previousStart = -1;
  for (let k = 0; k < heads.length; k++) {
    const lcn = heads[k]!;
    const type = index.types[lcn]!;
    const start = lcn * lclusterSize + index.values[lcn]!;
    const nextHead = heads[k + 1];
    const end = nextHead === undefined ? inode.size : nextHead * lclusterSize + index.values[nextHead]!;
    if (start <= previousStart) throw fail(`extents out of order at logical cluster ${lcn}`);
    previousStart = start;

    // The tail extent of a fragments file lives in the packed inode; full indexes keep bits 32-63 of its offset in the head's block field.
    if (fragmentTail && nextHead === undefined) {
      const high = inode.dataLayout === DATA_LAYOUT.compressedFull ? index.blocks[lcn]! : 0;
      map.push(start, 'fragment', high * 2 ** 32 + header.fragmentOffset, end - start);
      continue;
    }
    if (end - start > MAX_EXTENT_BYTES) throw unsupported(`an extent of ${end - start} bytes at file offset ${start} exceeds the ${MAX_EXTENT_BYTES}-byte limit`);

    const isTail = nextHead === undefined && inlineTail;
    let physical: number;
    let physicalLength: number;
    if (isTail) {
      physical = index.end;
      physicalLength = header.inlineSize;
      if (physicalLength === 0 || (physical % blockSize) + physicalLength > blockSize) {
        throw fail(`inline tail pcluster of ${physicalLength} bytes does not fit in its block`, physical);
      }
    } else {
      const bigFlag = type === LCLUSTER_HEAD1 ? ADVISE.bigPcluster1 : ADVISE.bigPcluster2;
      const next = lcn + 1 < count ? lcn + 1 : -1;
      const nextIsCount = next >= 0 && index.types[next] === LCLUSTER_NONHEAD && (index.values[next]! & D0_CBLKCNT) !== 0;
      let blocks = lclusterBlocks;
      if (nextIsCount) {
        if ((header.advise & bigFlag) === 0 && type !== LCLUSTER_PLAIN) throw fail(`a compressed block count at logical cluster ${next} but big pclusters are off`);
        if ((header.advise & bigFlag) !== 0) blocks = index.values[next]! & ~D0_CBLKCNT;
      } else if ((header.advise & bigFlag) !== 0 && type !== LCLUSTER_PLAIN && next >= 0 && index.types[next] === LCLUSTER_NONHEAD) {
        throw fail(`logical cluster ${next} lacks the compressed block count of its big pcluster`);
      }
      physical = index.blocks[lcn]! * blockSize;
      physicalLength = blocks * blockSize;
      if (blocks === 0 || physicalLength > MAX_PCLUSTER_BYTES) throw fail(`a pcluster of ${blocks} blocks at logical cluster ${lcn} is out of range`);
    }

    if (type === LCLUSTER_PLAIN) {
      if (end - start > physicalLength) throw fail(`an uncompressed extent of ${end - start} bytes is larger than its ${physicalLength}-byte pcluster`, physical);
      map.push(start, plainKind(context, header.advise, physicalLength), physical, physicalLength, { inline: isTail });
      continue;
    }
    const kind = algorithmKind(context, header.algorithms[type === LCLUSTER_HEAD1 ? 0 : 1], headerStart + 6);
    map.push(start, kind, physical, physicalLength, { inline: isTail, partial: index.partial[lcn] === 1 });
  }
  return map;
}

/** The 8-byte map header, or null for old images that leave it unset (LZ4, one block per lcluster). */
async function readRawHeader(reader: ImageReader, superblock: Superblock, inode: Inode, headerStart: number): Promise<Buffer | null> {
  const features = superblock.featureIncompat;
  const legacy =
    inode.dataLayout === DATA_LAYOUT.compressedFull &&
    (features & (FEATURE_INCOMPAT.bigPcluster | FEATURE_INCOMPAT.ztailpacking | FEATURE_INCOMPAT.fragments | FEATURE_INCOMPAT.blocks48)) === 0;
  if (legacy) return null;
  return reader.readMeta(headerStart, MAP_HEADER_SIZE, inodeFormat(inode.nid), 'compression map header');
}

function parseMapHeader(superblock: Superblock, bytes: Buffer | null): MapHeader {
  if (bytes === null) return { advise: 0, algorithms: [0, 0], lclusterBits: superblock.blockSizeBits, inlineSize: 0, fragmentOffset: 0 };
  const algorithms = bytes.readUInt8(6);
  return {
    advise: bytes.readUInt16LE(4),
    algorithms: [algorithms & 15, algorithms >>> 4],
    lclusterBits: superblock.blockSizeBits + (bytes.readUInt8(7) & 15),
    inlineSize: bytes.readUInt16LE(2),
    fragmentOffset: bytes.readUInt32LE(0),
  };
}

async function readFullIndex(context: MapContext, headerStart: number, count: number): Promise<LclusterIndex> {
  const start = headerStart + MAP_HEADER_SIZE + FULL_INDEX_PADDING;
  const table = await readIndexBytes(context, start, count * FULL_INDEX_ENTRY_SIZE, 'compression index');
  const index = emptyIndex(count, start + count * FULL_INDEX_ENTRY_SIZE);
  for (let lcn = 0; lcn < count; lcn++) {
    const at = lcn * FULL_INDEX_ENTRY_SIZE;
    const advise = table.readUInt16LE(at);
    const type = advise & 3;
    index.types[lcn] = type;
    if (type === LCLUSTER_NONHEAD) {
      index.values[lcn] = table.readUInt16LE(at + 4);
    } else {
      index.values[lcn] = table.readUInt16LE(at + 2);
      index.blocks[lcn] = table.readUInt32LE(at + 4);
      index.partial[lcn] = (advise & PARTIAL_REF) !== 0 ? 1 : 0;
    }
  }
  return index;
}

/**
 * Compact indexes pack lclusters bit by bit: packs of 2 entries in 8 bytes ("4B"), and, when
 * COMPACTED_2B is set, packs of 16 entries in 32 bytes ("2B") in the 32-byte aligned middle. Each
 * pack ends with a u32 block address; heads find their pcluster by counting the pclusters that
 * come before them in the pack.
 */
async function readCompactIndex(context: MapContext, header: MapHeader, headerStart: number, count: number): Promise<LclusterIndex> {
  const superblock = context.superblock;
  if (header.lclusterBits !== superblock.blockSizeBits) {
    throw context.unsupported(`compact indexes with ${2 ** header.lclusterBits}-byte logical clusters are not supported`, headerStart + 7);
  }
  const start = headerStart + MAP_HEADER_SIZE;
  let initial4B = (32 - (start % 32)) / 4;
  if (initial4B === 8) initial4B = 0;
  const use2B = (header.advise & ADVISE.compacted2B) !== 0 && initial4B < count;
  if (use2B && header.lclusterBits > 12) {
    throw context.unsupported('2-byte compact indexes need 4 KiB logical clusters', headerStart + 4);
  }
  const middle2B = use2B ? Math.floor((count - initial4B) / 16) * 16 : 0;
  const regions = [
    { entries: Math.min(initial4B, count), perPack: 2, packBytes: 8 },
    { entries: middle2B, perPack: 16, packBytes: 32 },
    { entries: Math.max(0, count - initial4B - middle2B), perPack: 2, packBytes: 8 },
  ];
  const length = regions.reduce((sum, region) => sum + Math.ceil(region.entries / region.perPack) * region.packBytes, 0);
  const table = await readIndexBytes(context, start, length, 'compression index');
  const index = emptyIndex(count, start + length);
  const bigPcluster = (header.advise & ADVISE.bigPcluster1) !== 0;
  const loBits = Math.max(header.lclusterBits, 12);
  let lcn = 0;
  let at = 0;
  for (const region of regions) {
    for (let left = region.entries; left > 0; left -= region.perPack) {
      const entries = Math.min(left, region.perPack);
      decodePack(table.subarray(at, at + region.packBytes), region.perPack, entries, loBits, bigPcluster, index, lcn);
      lcn += entries;
      at += region.packBytes;
    }
  }
  return index;
}

function decodePack(
  pack: Buffer,
  perPack: number,
  entries: number,
  loBits: number,
  bigPcluster: boolean,
  index: LclusterIndex,
  firstLcn: number,
): void {
  const encodeBits = ((pack.length - 4) * 8) / perPack;
  const loMask = (1 << loBits) - 1;
  for (let i = 0; i < entries; i++) {
    const bit = encodeBits * i;
    const byte = bit >>> 3;
    const word = (pack[byte]! | (pack[byte + 1]! << 8) | ((pack[byte + 2] ?? 0) << 16)) >>> (bit & 7);
    index.values[firstLcn + i] = word & loMask;
    index.types[firstLcn + i] = (word >>> loBits) & 3;
  }
  // Block addresses: the pack's base plus the blocks of the pclusters before each head in the pack.
  let block = pack.readUInt32LE(pack.length - 4) + (bigPcluster ? 0 : 1);
  for (let i = 0; i < entries; i++) {
    const lcn = firstLcn + i;
    const type = index.types[lcn]!;
    if (type === LCLUSTER_NONHEAD) {
      const value = index.values[lcn]!;
      // A block count first in the pack belongs to a head in the previous pack.
      if (bigPcluster && i === 0 && (value & D0_CBLKCNT) !== 0) block += value & ~D0_CBLKCNT;
      continue;
    }
    index.blocks[lcn] = block;
    if (!bigPcluster) {
      block += 1;
      continue;
    }
    const next = i + 1 < entries ? lcn + 1 : -1;
    const nextValue = next >= 0 ? index.values[next]! : 0;
    if (next >= 0 && index.types[next] === LCLUSTER_NONHEAD && (nextValue & D0_CBLKCNT) !== 0) {
      // 0 for a fragments tail, which has no pcluster (others are checked when the extents are made).
      block += nextValue & ~D0_CBLKCNT;
    } else {
      block += 1;
    }
  }
}

function emptyIndex(count: number, end: number): LclusterIndex {
  return { types: new Uint8Array(count), values: new Uint16Array(count), blocks: new Float64Array(count), partial: new Uint8Array(count), end };
}

