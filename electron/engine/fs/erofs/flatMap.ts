import { InputError, UnsupportedFormatError } from '../../errors.js';
import { ExtentMap } from './extentMap.js';
import type { ImageReader } from './imageReader.js';
import { DATA_LAYOUT, inodeFormat, NULL_BLOCK, type Inode } from './inode.js';
import type { Superblock } from './superblock.js';

const CHUNK_FORMAT_BITS = 0x1f;
const CHUNK_FORMAT_INDEXES = 0x20;
/** Chunk indexes keep block address bits 32-47 in their first 2 bytes. */
const CHUNK_FORMAT_48BIT = 0x40;
/** The chunk table is read into memory: bound it (16 GiB in 4 KiB chunks). */
const MAX_CHUNKS = 1 << 22;

/** Extents of an uncompressed file: FLAT_PLAIN, FLAT_INLINE or CHUNK_BASED. */
export async function mapFlatData(reader: ImageReader, superblock: Superblock, inode: Inode): Promise<ExtentMap> {
  const map = new ExtentMap(inode.size);
  if (inode.size === 0) return map;
  const format = inodeFormat(inode.nid);
  const blockSize = superblock.blockSize;
  switch (inode.dataLayout) {
    case DATA_LAYOUT.flatPlain: {
      // As in Linux: a plain file without a block address is all hole.
      if (inode.startBlock === null) {
        map.push(0, 'zero', 0, inode.size);
        return map;
      }
      const physical = inode.startBlock * blockSize;
      reader.check(physical, inode.size, format, 'file data');
      map.push(0, 'raw', physical, inode.size);
      return map;
    }
    case DATA_LAYOUT.flatInline: {
      const bodyLength = (Math.ceil(inode.size / blockSize) - 1) * blockSize;
      const tailLength = inode.size - bodyLength;
      if (bodyLength > 0) {
        const physical = (inode.startBlock ?? 0) * blockSize;
        reader.check(physical, bodyLength, format, 'file data');
        map.push(0, 'raw', physical, bodyLength);
      }
      if ((inode.tailStart % blockSize) + tailLength > blockSize) {
        throw new InputError(`inline tail of ${tailLength} bytes crosses a block boundary`, { file: reader.name, format, offset: inode.tailStart });
      }
      reader.check(inode.tailStart, tailLength, format, 'inline tail data');
      map.push(bodyLength, 'raw', inode.tailStart, tailLength, { inline: true });
      return map;
    }
    case DATA_LAYOUT.chunkBased:
      await mapChunks(reader, superblock, inode, map);
      return map;
    default:
      throw new Error(`not an uncompressed layout: ${inode.dataLayout}`);
  }
}

async function mapChunks(reader: ImageReader, superblock: Superblock, inode: Inode, map: ExtentMap): Promise<void> {
  const format = inodeFormat(inode.nid);
  const chunkFormat = inode.union & 0xffff;
  if ((chunkFormat & ~(CHUNK_FORMAT_BITS | CHUNK_FORMAT_INDEXES | CHUNK_FORMAT_48BIT)) !== 0) {
    throw new UnsupportedFormatError(`unknown chunk format 0x${chunkFormat.toString(16)}`, { file: reader.name, format, offset: inode.position + 16 });
  }
  const chunkSize = 2 ** (superblock.blockSizeBits + (chunkFormat & CHUNK_FORMAT_BITS));
  const entrySize = (chunkFormat & CHUNK_FORMAT_INDEXES) !== 0 ? 8 : 4;
  const chunks = Math.ceil(inode.size / chunkSize);
  if (chunks > MAX_CHUNKS) {
    throw new InputError(`absurd size: ${inode.size} bytes would need ${chunks} chunks (at most ${MAX_CHUNKS} are read)`, { file: reader.name, format, offset: inode.position });
  }
  const tableStart = Math.ceil(inode.tailStart / entrySize) * entrySize;
  const tableLength = chunks * entrySize;
  const table =
    tableLength <= superblock.blockSize
      ? await reader.readMeta(tableStart, tableLength, format, 'chunk table')
      : await reader.readData(tableStart, tableLength, format, 'chunk table');
  const wide = entrySize === 8 && (chunkFormat & CHUNK_FORMAT_48BIT) !== 0;
  for (let chunk = 0; chunk < chunks; chunk++) {
    // Block map entries are a bare u32; chunk indexes are {u16 block bits 32-47 (48-bit layout,
    // else reserved), u16 device id, u32 block}. An address of all ones is a hole.
    const at = chunk * entrySize;
    const low = table.readUInt32LE(at + (entrySize === 8 ? 4 : 0));
    const high = wide ? table.readUInt16LE(at) : 0;
    const start = chunk * chunkSize;
    const length = Math.min(chunkSize, inode.size - start);
    if (low === NULL_BLOCK && (!wide || high === 0xffff)) {
      map.pushOrMerge(start, 'zero', 0, length);
      continue;
    }
    const physical = (high * 2 ** 32 + low) * superblock.blockSize;
    reader.check(physical, length, `${format} › chunk ${chunk}`, 'chunk data');
    map.pushOrMerge(start, 'raw', physical, length);
  }
}
