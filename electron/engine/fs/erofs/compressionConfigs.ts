import { InputError, UnsupportedFormatError } from '../../errors.js';
import type { ImageReader } from './imageReader.js';
import { ALGORITHMS } from './extentMap.js';
import { alignUp } from './mapContext.js';
import { FEATURE_INCOMPAT, type Superblock } from './superblock.js';

const FORMAT = 'erofs compression configuration';
/** Each algorithm's record: {u16 length, then that many bytes}, 4-byte aligned, in algorithm order. */
const MIN_SIZES: Record<(typeof ALGORITHMS)[number], number> = { lz4: 14, lzma: 14, deflate: 6, zstd: 6 };
const LZMA_MAX_DICTIONARY = 8 << 20;
const DEFLATE_MAX_WINDOW_BITS = 15;
/** ZSTD_WINDOWLOG_MAX_32 (30) minus ZSTD_WINDOWLOG_ABSOLUTEMIN (10), which the field counts from. */
const ZSTD_MAX_WINDOW_LOG = 20;

/**
 * Checks the compression configurations that follow the superblock (one record per algorithm the
 * image lists), as Linux does when mounting: a record that is missing or malformed makes the image
 * unreadable, one that asks for more than the decoders handle makes it unsupported. The decoders
 * need nothing from them: LZMA pclusters are decoded with the largest dictionary EROFS allows, and
 * DEFLATE and Zstandard streams carry their window sizes.
 */
export async function checkCompressionConfigs(reader: ImageReader, superblock: Superblock): Promise<void> {
  if ((superblock.featureIncompat & FEATURE_INCOMPAT.bigPcluster) === 0) return;
  let offset = superblock.end;
  for (const [number, algorithm] of ALGORITHMS.entries()) {
    if ((superblock.algorithms & (1 << number)) === 0) continue;
    offset = alignUp(offset, 4);
    const fail = (problem: string): InputError => new InputError(`${algorithm}: ${problem}`, { file: reader.name, format: FORMAT, offset });
    const unsupported = (problem: string): UnsupportedFormatError => new UnsupportedFormatError(`${algorithm}: ${problem}`, { file: reader.name, format: FORMAT, offset });
    const size = (await reader.readMeta(offset, 2, FORMAT, `${algorithm} configuration`)).readUInt16LE(0);
    if (size < MIN_SIZES[algorithm]) throw fail(`a configuration of ${size} bytes is too short (at least ${MIN_SIZES[algorithm]})`);
    const record = await reader.readMeta(offset + 2, size, FORMAT, `${algorithm} configuration`);
    switch (algorithm) {
      case 'lzma':
        if (record.readUInt16LE(4) !== 0) throw unsupported(`unknown LZMA format ${record.readUInt16LE(4)}`);
        if (record.readUInt32LE(0) > LZMA_MAX_DICTIONARY) throw unsupported(`a dictionary of ${record.readUInt32LE(0)} bytes is larger than EROFS allows (${LZMA_MAX_DICTIONARY})`);
        break;
      case 'deflate':
        if (record.readUInt8(0) > DEFLATE_MAX_WINDOW_BITS) throw unsupported(`a window of 2^${record.readUInt8(0)} bytes is larger than DEFLATE allows`);
        break;
      case 'zstd':
        if (record.readUInt8(0) !== 0) throw unsupported(`unknown Zstandard format ${record.readUInt8(0)}`);
        if (record.readUInt8(1) > ZSTD_MAX_WINDOW_LOG) throw unsupported(`a window of 2^${record.readUInt8(1) + 10} bytes is larger than supported`);
        break;
      case 'lz4':
        break;
    }
    offset += 2 + size;
  }
}
