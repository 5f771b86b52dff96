import { isAscii } from 'node:buffer';

/**
 * DEX strings: a `string_data_item` is a ULEB128 count of UTF-16 code units, then the text in
 * Modified UTF-8 (MUTF-8: U+0000 as `C0 80`, characters outside the BMP as two 3-byte surrogates,
 * no 4-byte forms), then a 0 byte. See AOSP's "Dalvik Executable format", `string_data_item` and
 * "MUTF-8 (Modified UTF-8) Encoding".
 */

/** A ULEB128 value and the bytes it took; null when it runs past `end` or past 5 bytes (a u32 needs at most 5). */
export function readUleb128(bytes: Uint8Array, at: number, end: number): { value: number; length: number } | null {
  let value = 0;
  for (let index = 0; index < 5; index++) {
    if (at + index >= end) return null;
    const byte = bytes[at + index] as number;
    value += (byte & 0x7f) * 2 ** (7 * index);
    if ((byte & 0x80) === 0) return value > 0xffffffff ? null : { value, length: index + 1 };
  }
  return null;
}

/** Why MUTF-8 bytes are not valid, with the offset of the bad byte relative to the start. */
export class Mutf8Error extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/**
 * Decodes MUTF-8 bytes `bytes[start, end)` (the 0 terminator excluded), which must hold exactly
 * `units` UTF-16 code units. Throws Mutf8Error for a byte sequence the DEX verifier refuses.
 */
export function decodeMutf8(bytes: Buffer, start: number, end: number, units: number): string {
  if (isAscii(bytes.subarray(start, end))) {
    if (end - start !== units) throw new Mutf8Error(`holds ${end - start} characters, not the ${units} its length says`, 0);
    return bytes.toString('latin1', start, end);
  }
  // Every code unit takes at least one byte: a larger count is a lie, and must not size the buffer.
  if (units > end - start) throw new Mutf8Error(`holds ${end - start} bytes, too few for the ${units} characters its length says`, 0);
  const codeUnits = new Uint16Array(units);
  let count = 0;
  let at = start;
  while (at < end) {
    if (count >= units) throw new Mutf8Error(`holds more than the ${units} characters its length says`, at - start);
    const first = bytes[at] as number;
    if (first < 0x80) {
      codeUnits[count++] = first;
      at += 1;
      continue;
    }
    const continuation = (offset: number): number => {
      const byte = at + offset < end ? (bytes[at + offset] as number) : -1;
      if ((byte & 0xc0) !== 0x80) throw new Mutf8Error(`byte ${hexByte(first)} starts a sequence that byte ${offset + 1} does not continue`, at - start + offset);
      return byte & 0x3f;
    };
    if ((first & 0xe0) === 0xc0) {
      codeUnits[count++] = ((first & 0x1f) << 6) | continuation(1);
      at += 2;
    } else if ((first & 0xf0) === 0xe0) {
      codeUnits[count++] = ((first & 0x0f) << 12) | (continuation(1) << 6) | continuation(2);
      at += 3;
    } else {
      throw new Mutf8Error(`byte ${hexByte(first)} cannot start a MUTF-8 character`, at - start);
    }
  }
  if (count !== units) throw new Mutf8Error(`holds ${count} characters, not the ${units} its length says`, end - start);
  return stringOfCodeUnits(codeUnits);
}

const CHUNK = 8192;

function stringOfCodeUnits(units: Uint16Array): string {
  if (units.length <= CHUNK) return String.fromCharCode(...units);
  let text = '';
  for (let from = 0; from < units.length; from += CHUNK) text += String.fromCharCode(...units.subarray(from, from + CHUNK));
  return text;
}

const hexByte = (byte: number): string => `0x${byte.toString(16).padStart(2, '0')}`;
