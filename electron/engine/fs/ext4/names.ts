/**
 * ext4 names and link targets are bytes, usually UTF-8. Valid UTF-8 is decoded as is; each byte
 * that is not part of a valid sequence is shown as `\xNN`, so a hostile or legacy (Latin-1) name is
 * still displayable and never throws. NUL, and `/` inside names, are escaped the same way so a
 * decoded name is always a single, safe path segment.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeName(bytes: Uint8Array): string {
  return decode(bytes, true);
}

/** A symlink target: like a name, but `/` separates its segments and stays as is. */
export function decodeLinkTarget(bytes: Uint8Array): string {
  return decode(bytes, false);
}

function decode(bytes: Uint8Array, escapeSlash: boolean): string {
  const text = decodeStrictly(bytes);
  if (text !== null && !text.includes('\0') && !(escapeSlash && text.includes('/'))) return text;
  return decodeLeniently(bytes, escapeSlash);
}

function decodeStrictly(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

function decodeLeniently(bytes: Uint8Array, escapeSlash: boolean): string {
  let out = '';
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at] as number;
    if (lead === 0 || (escapeSlash && lead === 0x2f)) {
      out += escapeByte(lead);
      at += 1;
      continue;
    }
    const length = validSequenceLength(bytes, at);
    if (length === 0) {
      out += escapeByte(lead);
      at += 1;
    } else {
      out += strictUtf8.decode(bytes.subarray(at, at + length));
      at += length;
    }
  }
  return out;
}

function escapeByte(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}

/** Length of the well-formed UTF-8 sequence starting at `at` (Unicode table 3-7), or 0. */
function validSequenceLength(bytes: Uint8Array, at: number): number {
  const lead = bytes[at] as number;
  if (lead < 0x80) return 1;
  let length: number;
  let secondMin = 0x80;
  let secondMax = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) secondMin = 0xa0; // overlong
    if (lead === 0xed) secondMax = 0x9f; // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) secondMin = 0x90; // overlong
    if (lead === 0xf4) secondMax = 0x8f; // above U+10FFFF
  } else return 0;
  if (at + length > bytes.length) return 0;
  const second = bytes[at + 1] as number;
  if (second < secondMin || second > secondMax) return 0;
  for (let index = 2; index < length; index++) {
    const next = bytes[at + index] as number;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}
