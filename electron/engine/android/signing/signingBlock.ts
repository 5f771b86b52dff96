/**
 * The APK Signing Block: the ID-value pairs stored just before the zip central directory
 * (`u64 size · pairs · u64 size · "APK Sig Block 42"`), read on their own, never the whole APK.
 */
import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byteSource.js';

const MAGIC = Buffer.from('APK Sig Block 42', 'latin1');
const FOOTER_SIZE = 24;
/** Size field + footer: an empty block. */
const MIN_BLOCK_SIZE = 32;
/** Real blocks are a few KiB to a few hundred KiB (with padding); refuse to read more than this. */
export const MAX_SIGNING_BLOCK_SIZE = 16 << 20;
export const SIGNING_BLOCK_FORMAT = 'apk › APK Signing Block';

export interface SigningBlockPair {
  id: number;
  /** Offset of the value in the APK. */
  offset: number;
  value: Buffer;
}

export interface SigningBlock {
  /** Offset of the block in the APK. */
  offset: number;
  pairs: SigningBlockPair[];
}

/**
 * The block ending at `centralDirectoryOffset`, or undefined when there is none (the magic is
 * absent: a v1-only or unsigned APK). A corrupt size throws; a corrupt pair length is reported and
 * ends the list, keeping the pairs before it.
 */
export async function readSigningBlock(
  apk: ByteSource,
  file: string,
  centralDirectoryOffset: number,
  report: (error: InputError) => void,
): Promise<SigningBlock | undefined> {
  if (centralDirectoryOffset < MIN_BLOCK_SIZE) return undefined;
  const footerOffset = centralDirectoryOffset - FOOTER_SIZE;
  const footer = await apk.read(footerOffset, FOOTER_SIZE);
  if (!footer.subarray(8).equals(MAGIC)) return undefined;

  const fail = (problem: string, offset: number, expected?: string): never => {
    throw new InputError(problem, { file, format: SIGNING_BLOCK_FORMAT, offset, expected });
  };
  const sizeInFooter = footer.readBigUInt64LE(0);
  // The size counts everything after the leading size field, footer included.
  const available = centralDirectoryOffset - 8;
  if (sizeInFooter < BigInt(MIN_BLOCK_SIZE - 8) || sizeInFooter > BigInt(available)) {
    fail(`block size ${sizeInFooter} does not fit before the central directory`, footerOffset, `${MIN_BLOCK_SIZE - 8} to ${available}`);
  }
  const size = Number(sizeInFooter);
  if (size + 8 > MAX_SIGNING_BLOCK_SIZE) {
    fail(`block of ${size + 8} bytes is larger than the ${MAX_SIGNING_BLOCK_SIZE} read for it`, footerOffset);
  }
  const offset = centralDirectoryOffset - (size + 8);
  const block = await apk.read(offset, size + 8);
  if (block.readBigUInt64LE(0) !== sizeInFooter) {
    fail(`block size at the start (${block.readBigUInt64LE(0)}) differs from the one in the footer (${sizeInFooter})`, offset, String(sizeInFooter));
  }
  return { offset, pairs: readPairs(block, offset, file, report) };
}

function readPairs(block: Buffer, blockOffset: number, file: string, report: (error: InputError) => void): SigningBlockPair[] {
  const pairs: SigningBlockPair[] = [];
  const end = block.length - FOOTER_SIZE;
  for (let at = 8, index = 1; at < end; index++) {
    const remaining = end - at;
    const length = remaining >= 8 ? block.readBigUInt64LE(at) : undefined;
    if (length === undefined || length < 4n || length > BigInt(remaining - 8)) {
      report(
        new InputError(`pair ${index} length ${length ?? '(truncated)'} does not fit in the block`, {
          file,
          format: SIGNING_BLOCK_FORMAT,
          offset: blockOffset + at,
          expected: `4 to ${Math.max(4, remaining - 8)}`,
        }),
      );
      break;
    }
    const valueStart = at + 12;
    const valueEnd = at + 8 + Number(length);
    pairs.push({ id: block.readUInt32LE(at + 8), offset: blockOffset + valueStart, value: block.subarray(valueStart, valueEnd) });
    at = valueEnd;
  }
  return pairs;
}
