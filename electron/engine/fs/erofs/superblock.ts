import { InputError, UnsupportedFormatError } from '../../errors.js';

/** On-disk constants of EROFS (Linux `fs/erofs/erofs_fs.h`). */
export const EROFS_MAGIC = 0xe0f5e1e2;
export const SUPERBLOCK_OFFSET = 1024;
export const SUPERBLOCK_SIZE = 128;
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
} as const;
const SUPPORTED_INCOMPAT = Object.values(FEATURE_INCOMPAT).reduce((all, bit) => all | bit, 0);
/** Names for incompatible features this reader refuses, so the error says what the image needs. */
const UNSUPPORTED_INCOMPAT_NAMES: Record<number, string> = { 0x80: '48-bit layout', 0x100: 'metadata box', 0x200: 'xattr filters' };

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
  const rootNid = bytes.readUInt16LE(14);
  const blocks = bytes.readUInt32LE(36);
  const metaBlockAddress = bytes.readUInt32LE(40);
  const featureCompat = bytes.readUInt32LE(8);
  const featureIncompat = bytes.readUInt32LE(80);
  const extraDevices = bytes.readUInt16LE(86);
  const dirBlockBits = bytes.readUInt8(90);

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
  return { blockSizeBits, blockSize, rootNid, metaStart, featureCompat, featureIncompat, blocks };
}

function bitsOf(mask: number): number[] {
  const bits: number[] = [];
  for (let bit = 1; bit !== 0 && bit <= mask >>> 0; bit = (bit << 1) >>> 0) if ((mask & bit) !== 0) bits.push(bit);
  return bits;
}
