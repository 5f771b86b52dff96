import { InputError, UnsupportedFormatError } from '../../errors.js';
import { ALGORITHMS, type Algorithm, type ExtentKind } from './extentMap.js';
import type { ImageReader } from './imageReader.js';
import { inodeFormat, type Inode } from './inode.js';
import type { Superblock } from './superblock.js';

/** What the two indexes of compressed files (lcluster indexes and encoded extents) share. */

/** `h_advise` of the map header that starts every compressed file's index. */
export const ADVISE = {
  /** Compact indexes: 2-byte packs in the middle. */
  compacted2B: 0x1,
  /** Full indexes (same bit): encoded extents instead of lcluster entries (48-bit layout). */
  encodedExtents: 0x1,
  bigPcluster1: 0x2,
  bigPcluster2: 0x4,
  inlinePcluster: 0x8,
  interlacedPcluster: 0x10,
  fragmentPcluster: 0x20,
} as const;
export const KNOWN_ADVISE = Object.values(ADVISE).reduce((all, bit) => all | bit, 0);

export const MAP_HEADER_SIZE = 8;

/** Linux's Z_EROFS_PCLUSTER_MAX_SIZE. */
export const MAX_PCLUSTER_BYTES = 1 << 20;
/** Linux's Z_EROFS_PCLUSTER_MAX_DSIZE: no compressed extent decodes to more (Linux refuses it). */
export const MAX_EXTENT_BYTES = 12 << 20;
/** 16 GiB in 4 KiB logical clusters: the index is decoded into memory, so bound it. */
export const MAX_LCLUSTERS = 1 << 22;

const ALGORITHM_NAMES = ['LZ4', 'LZMA (MicroLZMA)', 'DEFLATE', 'Zstandard'];

/** Where errors about one compressed file point, and what its pclusters may be. */
export interface MapContext {
  reader: ImageReader;
  superblock: Superblock;
  inode: Inode;
  fail(problem: string, offset?: number): InputError;
  unsupported(problem: string, offset?: number): UnsupportedFormatError;
}

export function mapContext(reader: ImageReader, superblock: Superblock, inode: Inode): MapContext {
  const format = inodeFormat(inode.nid);
  return {
    reader,
    superblock,
    inode,
    fail: (problem, offset) => new InputError(problem, { file: reader.name, format, ...(offset === undefined ? {} : { offset }) }),
    unsupported: (problem, offset) => new UnsupportedFormatError(problem, { file: reader.name, format, ...(offset === undefined ? {} : { offset }) }),
  };
}

/** The kind of an uncompressed pcluster: shifted, or rotated within its block ("interlaced", mkfs.erofs -Efragments). */
export function plainKind(context: MapContext, advise: number, physicalLength: number): ExtentKind {
  if ((advise & ADVISE.interlacedPcluster) === 0) return 'plain';
  // mkfs.erofs writes interlaced pclusters of exactly one block; erofs-utils and Linux agree on nothing else.
  if (physicalLength !== context.superblock.blockSize) throw context.unsupported(`an interlaced uncompressed pcluster of ${physicalLength} bytes is not one block`);
  return 'interlaced';
}

/** The extent kind for an algorithm number, which the superblock must list (as Linux checks). */
export function algorithmKind(context: MapContext, algorithm: number, offset: number): Algorithm {
  const kind = ALGORITHMS[algorithm];
  if (kind === undefined) throw context.unsupported(`is compressed with unknown algorithm ${algorithm}`, offset);
  if ((context.superblock.algorithms & (1 << algorithm)) === 0) {
    throw context.fail(`is compressed with ${ALGORITHM_NAMES[algorithm]}, which the superblock does not list among the image's algorithms`, offset);
  }
  return kind;
}

/** Fragments need the packed inode the superblock names. */
export function checkPackedInode(context: MapContext, headerStart: number): void {
  if (context.superblock.packedNid === null) throw context.fail('keeps data in the packed inode (mkfs.erofs -Efragments) but the superblock names none', headerStart);
}

/** Index bytes of a file: through the metadata cache when they fit in a block, else read directly. */
export function readIndexBytes(context: MapContext, start: number, length: number, what: string): Promise<Buffer> {
  const format = inodeFormat(context.inode.nid);
  const reader = context.reader;
  return length <= reader.blockSize ? reader.readMeta(start, length, format, what) : reader.readData(start, length, format, what);
}

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}
