import { InputError } from '../../errors.js';
import { pathFromBytes } from '../../vfs/rawNames.js';
import type { HeaderLocation } from './tarHeader.js';

/**
 * Parses pax extended header records, `"<length> <key>=<value>\n"` where length counts the whole
 * record in bytes. Values (UTF-8, or raw bytes with hdrcharset=BINARY) are escaped like names
 * (vfs/rawNames.ts); one holding NUL is kept as text, for the caller to refuse as a name. A later
 * record for the same key wins.
 */
export function parsePaxRecords(data: Buffer, where: HeaderLocation): Map<string, string> {
  const records = new Map<string, string>();
  let position = 0;
  while (position < data.length) {
    // Some writers pad the header's data with NULs.
    if (data[position] === 0) break;
    const space = data.indexOf(0x20, position);
    const lengthText = space === -1 ? '' : data.toString('latin1', position, space);
    const length = /^\d{1,12}$/.test(lengthText) ? Number(lengthText) : NaN;
    const end = position + length;
    if (!Number.isSafeInteger(length) || length <= lengthText.length + 1 || end > data.length || data[end - 1] !== 0x0a) {
      throw new InputError('malformed pax extended header record', { ...where, offset: where.offset + position, expected: '"<length> <key>=<value>\\n"' });
    }
    const record = data.subarray(space + 1, end - 1);
    const equals = record.indexOf(0x3d);
    if (equals <= 0) {
      throw new InputError('pax extended header record without a key', { ...where, offset: where.offset + position, expected: 'key=value' });
    }
    records.set(record.toString('utf8', 0, equals), paxValue(record.subarray(equals + 1)));
    position = end;
  }
  return records;
}

function paxValue(bytes: Buffer): string {
  return bytes.includes(0) ? bytes.toString('utf8') : pathFromBytes(bytes);
}
