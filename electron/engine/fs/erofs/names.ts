/**
 * File names and link targets are bytes on disk. They are shown as UTF-8; bytes that are not valid
 * UTF-8 appear as `\xNN` escapes, so a broken name stays visible and distinct instead of throwing
 * or collapsing into U+FFFD.
 */

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeBytes(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return decodeEscaped(bytes);
  }
}

/** A directory entry's name; a `/` (impossible in a real name) is escaped too, so it cannot split a path. */
export function decodeEntryName(bytes: Uint8Array): string {
  const name = decodeBytes(bytes);
  return name.includes('/') ? name.replaceAll('/', '\\x2f') : name;
}

function decodeEscaped(bytes: Uint8Array): string {
  let text = '';
  let runStart = 0;
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes, at);
    if (length > 0) {
      at += length;
      continue;
    }
    text += Buffer.from(bytes.buffer, bytes.byteOffset + runStart, at - runStart).toString('utf8');
    text += `\\x${bytes[at]!.toString(16).padStart(2, '0')}`;
    at += 1;
    runStart = at;
  }
  return text + Buffer.from(bytes.buffer, bytes.byteOffset + runStart, at - runStart).toString('utf8');
}

/** Length of the well-formed UTF-8 sequence at `at` (RFC 3629: no overlongs or surrogates), or 0. */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const lead = bytes[at]!;
  if (lead < 0x80) return 1;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    if (lead === 0xf4) high = 0x8f;
  } else return 0;
  if (at + length > bytes.length) return 0;
  const second = bytes[at + 1]!;
  if (second < low || second > high) return 0;
  for (let i = 2; i < length; i++) {
    const next = bytes[at + i]!;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}
