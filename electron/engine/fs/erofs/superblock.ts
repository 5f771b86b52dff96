import { InputError, UnsupportedFormatError } from '../../errors.js';

/** On-disk constants of EROFS (Linux `fs/erofs/erofs_fs.h`). */
export const EROFS_MAGIC = 0xe0f5e1e2;
export const SUPERBLOCK_OFFSET = 1024;
export const SUPERBLOCK_SIZE = 128;
/** Each `sb_extslots` adds this many bytes to the superblock (what follows it starts later). */
const SUPERBLOCK_SLOT_SIZE = 16;
/** Inode slots: a nid counts 32-byte units from the start of the metadata area. */
export const INODE_SLOT_BITS = 5;

export const FEATURE_INCOMPAT = {
  zeroPadding: 0x1,
  bigPcluster: 0x2, // also "compression configurations"
  chunkedFile: 0x4,
  deviceTable: 0x8,
  ztailpacking: 0x10,
  fragments: 0x20, // shares its bit with "dedupe"
  xattrPrefixes: 0x40,
  /** 48-bit block addresses and nids, encoded extents (erofs-utils 1.8+, mkfs.erofs -E48bit). */
  blocks48: 0x80,
} as const;
/** The long xattr name prefixes are at a plain image offset even when there is a packed inode (erofs-utils 1.9). */
const FEATURE_COMPAT_PLAIN_XATTR_PREFIXES = 0x10;
const SUPPORTED_INCOMPAT = Object.values(FEATURE_INCOMPAT).reduce((all, bit) => all | bit, 0);
/** Names for incompatible features this reader refuses, so the error says what the image needs. */
const UNSUPPORTED_INCOMPAT_NAMES: Record<number, string> = { 0x100: 'metadata box (mkfs.erofs -m)' };

export interface Superblock {
  blockSizeBits: number;
  blockSize: number;
  rootNid: number;
  /** Byte offset of nid 0. */
  metaStart: number;
  featureCompat: number;
  featureIncompat: number;
  /** Blocks the file system says it has (the image may be shorter when truncated). */
  blocks: number;
  /** Where what follows the superblock (compression configurations) starts. */
  end: number;
  /** Compression algorithms the image may use, a bit per algorithm number (LZ4 alone in old images). */
  algorithms: number;
  /** The inode holding shared fragments (mkfs.erofs -Efragments), or null. */
  packedNid: number | null;
  /** Byte offset of the shared xattr area (`xattr_blkaddr`): shared xattr ids count 4-byte units from here. */
  xattrStart: number;
  /** Long xattr name prefixes (erofs-utils 1.7+ `--xattr-prefix`): how many, and where the table starts (`xattr_prefix_start` × 4). */
  xattrPrefixCount: number;
  xattrPrefixStart: number;
  /** The prefix table sits at that image offset (compat PLAIN_XATTR_PFX, or no packed inode) rather than in the packed inode. */
  xattrPrefixesPlain: boolean;
}

/** Parses and checks the 128-byte superblock (read from offset 1024). */
export function parseSuperblock(bytes: Buffer, imageName: string, imageSize: number): Superblock {
  const error = (problem: string, offset: number, expected?: string): InputError =>
    new InputError(problem, { file: imageName, format: 'erofs superblock', offset: SUPERBLOCK_OFFSET + offset, ...(expected === undefined ? {} : { expected }) });
  const magic = bytes.readUInt32LE(0);
  if (magic !== EROFS_MAGIC) throw error(`not an EROFS image (magic 0x${magic.toString(16)})`, 0, 'magic 0xe0f5e1e2');
  const blockSizeBits = bytes.readUInt8(12);
  if (blockSizeBits < 9 || blockSizeBits > 16) throw error(`block size 2^${blockSizeBits} is out of range`, 12, 'block size bits between 9 and 16');
  const blockSize = 2 ** blockSizeBits;
  const metaBlockAddress = bytes.readUInt32LE(40);
  const featureCompat = bytes.readUInt32LE(8);
  const featureIncompat = bytes.readUInt32LE(80);
  const extraDevices = bytes.readUInt16LE(86);
  const dirBlockBits = bytes.readUInt8(90);
  // With the 48-bit layout a root nid of 0 in its 8-byte field means the old 2-byte one holds it;
  // otherwise those 2 bytes are the high bits of the block count.
  const rootNid8 = (featureIncompat & FEATURE_INCOMPAT.blocks48) !== 0 ? readU64(bytes, 112) : 0;
  const rootNid = rootNid8 !== 0 ? rootNid8 : bytes.readUInt16LE(14);
  const blocks = bytes.readUInt32LE(36) + (rootNid8 !== 0 ? bytes.readUInt16LE(14) * 2 ** 32 : 0);
  if (!Number.isSafeInteger(rootNid)) throw error(`root inode number is out of range`, 112);

  const unknown = featureIncompat & ~SUPPORTED_INCOMPAT;
  if (unknown !== 0) {
    const names = bitsOf(unknown).map((bit) => UNSUPPORTED_INCOMPAT_NAMES[bit] ?? `0x${bit.toString(16)}`);
    throw new UnsupportedFormatError(`uses EROFS features this reader does not support: ${names.join(', ')}`, {
      file: imageName,
      format: 'erofs superblock',
      offset: SUPERBLOCK_OFFSET + 80,
    });
  }
  if ((featureIncompat & FEATURE_INCOMPAT.deviceTable) !== 0 && extraDevices > 0) {
    throw new UnsupportedFormatError(`keeps file data on ${extraDevices} extra device(s) (blob devices), which are not part of this image`, {
      file: imageName,
      format: 'erofs superblock',
      offset: SUPERBLOCK_OFFSET + 86,
    });
  }
  if (dirBlockBits !== 0) {
    throw new UnsupportedFormatError(`uses directory blocks larger than file system blocks (dirblkbits ${dirBlockBits})`, {
      file: imageName,
      format: 'erofs superblock',
      offset: SUPERBLOCK_OFFSET + 90,
    });
  }
  const metaStart = metaBlockAddress * blockSize;
  if (metaStart >= imageSize) throw error(`metadata area starts at byte ${metaStart}, past the end of the ${imageSize}-byte image`, 40);
  const superblockSize = SUPERBLOCK_SIZE + bytes.readUInt8(13) * SUPERBLOCK_SLOT_SIZE;
  // As Linux: the superblock must fit in the first 4 KiB page.
  if (SUPERBLOCK_OFFSET + superblockSize > 4096) throw error(`${bytes.readUInt8(13)} extension slots make the superblock run past the first 4 KiB`, 13);
  // Images with compression configurations list their algorithms; older ones only know LZ4.
  const algorithms = (featureIncompat & FEATURE_INCOMPAT.bigPcluster) !== 0 ? bytes.readUInt16LE(84) : 1;
  if ((algorithms & ~KNOWN_ALGORITHMS) !== 0) {
    throw new UnsupportedFormatError(`uses compression algorithms this reader does not know (0x${(algorithms & ~KNOWN_ALGORITHMS).toString(16)})`, {
      file: imageName,
      format: 'erofs superblock',
      offset: SUPERBLOCK_OFFSET + 84,
    });
  }
  let packedNid: number | null = null;
  if ((featureIncompat & FEATURE_INCOMPAT.fragments) !== 0) {
    const nid = readU64(bytes, 96);
    if (!Number.isSafeInteger(nid) || nid >= 2 ** 48) throw error('packed inode number is out of range', 96);
    // Images with dedupe alone share the feature bit but have no packed inode.
    if (nid !== 0) packedNid = nid;
  }
  const xattrPrefixCount = (featureIncompat & FEATURE_INCOMPAT.xattrPrefixes) !== 0 ? bytes.readUInt8(91) : 0;
  return {
    blockSizeBits,
    blockSize,
    rootNid,
    metaStart,
    featureCompat,
    featureIncompat,
    blocks,
    end: SUPERBLOCK_OFFSET + superblockSize,
    algorithms,
    packedNid,
    xattrStart: bytes.readUInt32LE(44) * blockSize,
    xattrPrefixCount,
    xattrPrefixStart: bytes.readUInt32LE(92) * 4,
    xattrPrefixesPlain: (featureCompat & FEATURE_COMPAT_PLAIN_XATTR_PREFIXES) !== 0 || packedNid === null,
  };
}

/** LZ4, LZMA, DEFLATE and Zstandard (bits 0 to 3 of `available_compr_algs`). */
const KNOWN_ALGORITHMS = 0xf;

function readU64(bytes: Buffer, offset: number): number {
  return bytes.readUInt32LE(offset + 4) * 2 ** 32 + bytes.readUInt32LE(offset);
}

function bitsOf(mask: number): number[] {
  const bits: number[] = [];
  for (let bit = 1; bit !== 0 && bit <= mask >>> 0; bit = (bit << 1) >>> 0) if ((mask & bit) !== 0) bits.push(bit);
  return bits;
}
