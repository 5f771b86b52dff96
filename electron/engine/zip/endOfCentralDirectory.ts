/**
 * Where a zip's central directory starts, from its End of Central Directory record (and the zip64
 * one when the classic fields overflow), reading only the archive's tail. The APK Signing Block
 * ends exactly there.
 */
import { InputError } from '../errors.js';
import type { ByteSource } from '../io/byteSource.js';

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_EOCD_SIZE = 56;
const FORMAT = 'zip end of central directory';

export interface CentralDirectoryLocation {
  /** Offset of the first central directory header. */
  offset: number;
  /** Offset of the End of Central Directory record. */
  endRecordOffset: number;
}

export async function locateCentralDirectory(apk: ByteSource, file: string): Promise<CentralDirectoryLocation> {
  const tailLength = Math.min(apk.size, EOCD_SIZE + MAX_COMMENT);
  const tailStart = apk.size - tailLength;
  const tail = await apk.read(tailStart, tailLength);
  const recordInTail = findEndRecord(tail);
  if (recordInTail < 0) {
    throw new InputError('no End of Central Directory record', { file, format: FORMAT, offset: apk.size, expected: 'PK\\x05\\x06 followed by its comment up to the end of the file' });
  }
  const endRecordOffset = tailStart + recordInTail;
  let offset = tail.readUInt32LE(recordInTail + 16);
  if (offset === 0xffffffff) offset = await zip64CentralDirectoryOffset(apk, file, endRecordOffset);
  if (offset > endRecordOffset) {
    throw new InputError(`central directory offset ${offset} is past the End of Central Directory record`, { file, format: FORMAT, offset: endRecordOffset + 16, expected: `at most ${endRecordOffset}` });
  }
  return { offset, endRecordOffset };
}

/** The last record whose comment length reaches exactly the end of the file, as Android's verifier requires. */
function findEndRecord(tail: Buffer): number {
  for (let at = tail.length - EOCD_SIZE; at >= 0; at--) {
    at = tail.lastIndexOf('PK\x05\x06', at, 'latin1');
    if (at < 0) return -1;
    if (tail.readUInt32LE(at) === EOCD_SIGNATURE && tail.readUInt16LE(at + 20) === tail.length - at - EOCD_SIZE) return at;
  }
  return -1;
}

async function zip64CentralDirectoryOffset(apk: ByteSource, file: string, endRecordOffset: number): Promise<number> {
  const locatorOffset = endRecordOffset - ZIP64_LOCATOR_SIZE;
  const locator = locatorOffset >= 0 ? await apk.read(locatorOffset, ZIP64_LOCATOR_SIZE) : undefined;
  if (locator === undefined || locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) {
    throw new InputError('central directory offset is 0xffffffff but there is no zip64 locator', { file, format: FORMAT, offset: Math.max(0, locatorOffset), expected: 'PK\\x06\\x07' });
  }
  const recordOffset = safeNumber(locator.readBigUInt64LE(8));
  if (recordOffset === undefined || recordOffset + ZIP64_EOCD_SIZE > locatorOffset) {
    throw new InputError('zip64 End of Central Directory offset is out of range', { file, format: FORMAT, offset: locatorOffset + 8, expected: `at most ${locatorOffset - ZIP64_EOCD_SIZE}` });
  }
  const record = await apk.read(recordOffset, ZIP64_EOCD_SIZE);
  if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) {
    throw new InputError('no zip64 End of Central Directory record where the locator points', { file, format: FORMAT, offset: recordOffset, expected: 'PK\\x06\\x06' });
  }
  const offset = safeNumber(record.readBigUInt64LE(48));
  if (offset === undefined || offset > recordOffset) {
    throw new InputError('zip64 central directory offset is out of range', { file, format: FORMAT, offset: recordOffset + 48, expected: `at most ${recordOffset}` });
  }
  return offset;
}

function safeNumber(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}
