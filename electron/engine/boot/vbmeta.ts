import type { VbmetaFacts } from '../../../shared/security.js';
import { InputError } from '../errors.js';
import type { ByteSource } from '../io/byteSource.js';

const MAGIC = 'AVB0';
const HEADER_SIZE = 256;
const FLAG_HASHTREE_DISABLED = 1;
const FLAG_VERIFICATION_DISABLED = 2;
const RELEASE_OFFSET = 128;
const RELEASE_SIZE = 48;

/**
 * The header of an AVB vbmeta image (external/avb libavb/avb_vbmeta_image.h,
 * AvbVBMetaImageHeader, big-endian): magic `AVB0`, the libavb version it needs, the sizes of its
 * blocks, the algorithm (+28), the rollback index (+112), the flags (+120) and the release string
 * (+128, 48 bytes, NUL-padded).
 */
export async function readVbmetaHeader(source: ByteSource, partition: string): Promise<VbmetaFacts> {
  const format = `vbmeta (${partition})`;
  if (source.size < HEADER_SIZE) {
    throw new InputError(`vbmeta image of ${source.size} bytes is shorter than its header`, { file: source.name, format, offset: source.size, expected: `at least ${HEADER_SIZE} bytes` });
  }
  const header = await source.read(0, HEADER_SIZE);
  if (header.toString('latin1', 0, 4) !== MAGIC) {
    throw new InputError(`not a vbmeta image (magic ${JSON.stringify(header.toString('latin1', 0, 4))})`, { file: source.name, format, offset: 0, expected: 'AVB0' });
  }
  const rollback = header.readBigUInt64BE(112);
  const flags = header.readUInt32BE(120);
  const release = header.subarray(RELEASE_OFFSET, RELEASE_OFFSET + RELEASE_SIZE);
  const end = release.indexOf(0);
  return {
    partition,
    flags,
    hashtreeDisabled: (flags & FLAG_HASHTREE_DISABLED) !== 0,
    verificationDisabled: (flags & FLAG_VERIFICATION_DISABLED) !== 0,
    algorithm: header.readUInt32BE(28),
    rollbackIndex: Number(rollback),
    release: release.subarray(0, end === -1 ? release.length : end).toString('utf8'),
  };
}
