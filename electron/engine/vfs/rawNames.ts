/**
 * File names on disk are bytes; device paths are text. One escaping maps any name's bytes to a
 * path segment that prints unambiguously and maps back to exactly those bytes:
 *
 * - well-formed UTF-8 stays as it is, except the characters below;
 * - a byte that is not part of well-formed UTF-8 becomes `\xNN` (two lowercase hex digits);
 * - a real backslash becomes `\\`;
 * - characters that would steer a terminal rather than show (C0 and C1 controls, DEL, the bidi
 *   embedding, override and isolate controls U+202A–U+202E and U+2066–U+2069) become the `\xNN` of
 *   their UTF-8 bytes, so a name never breaks a line or reorders what is printed after it;
 * - in a name, `/` becomes `\x2f` (it cannot be a separator there) and a `!` at the end of a name
 *   becomes `\x21`, so `!/` in a device path always means "enter this archive".
 *
 * `\` is never left on its own, so two different byte strings never give the same text, and
 * `bytesFromName` turns a segment back into its bytes (refusing any spelling but this one).
 */

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const BANG = 0x21;
const DELETE = 0x7f;
/** Non-ASCII characters that steer a terminal: C1 controls and bidi controls. */
const STEERING = /^[\u0080-\u009f\u202a-\u202e\u2066-\u2069]$/;

/** One path segment (a file or folder name) from its raw bytes. */
export function nameFromBytes(bytes: Uint8Array): string {
  return escapeBytes(bytes, true);
}

/** A `/`-separated path (a tar or zip member name): each segment escaped as a name, separators kept. */
export function pathFromBytes(bytes: Uint8Array): string {
  const segments: string[] = [];
  let start = 0;
  for (let at = 0; at <= bytes.length; at++) {
    if (at === bytes.length || bytes[at] === SLASH) {
      segments.push(nameFromBytes(bytes.subarray(start, at)));
      start = at + 1;
    }
  }
  return segments.join('/');
}

/** A symlink target: like a name, but `/` separates its segments and a final `!` stays as is. */
export function linkTargetFromBytes(bytes: Uint8Array): string {
  return escapeBytes(bytes, false);
}

/**
 * The raw bytes of an escaped name, or null when `name` is not how `nameFromBytes` writes any
 * name (a lone backslash, `\x41` for `A`, a `/`): such a segment names nothing.
 */
export function bytesFromName(name: string): Buffer | null {
  return unescapeExactly(name, nameFromBytes);
}

/** The raw bytes of an escaped symlink target, or null when `linkTargetFromBytes` would not write it so. */
export function bytesFromLinkTarget(target: string): Buffer | null {
  return unescapeExactly(target, linkTargetFromBytes);
}

/** Undoes `\\` and `\xNN`; null unless `escape` gives `text` back from the result (one spelling only). */
function unescapeExactly(text: string, escape: (bytes: Uint8Array) => string): Buffer | null {
  const parts: Buffer[] = [];
  let literalStart = 0;
  let at = 0;
  while (at < text.length) {
    if (text[at] !== '\\') {
      at += 1;
      continue;
    }
    parts.push(Buffer.from(text.slice(literalStart, at), 'utf8'));
    if (text[at + 1] === '\\') {
      parts.push(Buffer.of(BACKSLASH));
      at += 2;
    } else if (text[at + 1] === 'x' && /^[0-9a-f]{2}$/.test(text.slice(at + 2, at + 4))) {
      parts.push(Buffer.of(parseInt(text.slice(at + 2, at + 4), 16)));
      at += 4;
    } else {
      return null;
    }
    literalStart = at;
  }
  parts.push(Buffer.from(text.slice(literalStart), 'utf8'));
  const bytes = Buffer.concat(parts);
  return escape(bytes) === text ? bytes : null;
}

function escapeBytes(bytes: Uint8Array, isName: boolean): string {
  if (isPlain(bytes, isName)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let out = '';
  let at = 0;
  while (at < bytes.length) {
    const byte = bytes[at] as number;
    if (byte < 0x80) {
      out += escapeAscii(byte, isName && at === bytes.length - 1, isName);
      at += 1;
      continue;
    }
    const length = sequenceLength(bytes, at);
    if (length === 0) {
      out += hexEscape(byte);
      at += 1;
      continue;
    }
    const char = strictUtf8.decode(bytes.subarray(at, at + length));
    out += STEERING.test(char) ? [...bytes.subarray(at, at + length)].map(hexEscape).join('') : char;
    at += length;
  }
  return out;
}

function escapeAscii(byte: number, isLastOfName: boolean, isName: boolean): string {
  if (byte === BACKSLASH) return '\\\\';
  if (byte < 0x20 || byte === DELETE || (isName && byte === SLASH) || (isLastOfName && byte === BANG)) return hexEscape(byte);
  return String.fromCharCode(byte);
}

/** The common case, printable ASCII with nothing to escape, without building the string piece by piece. */
function isPlain(bytes: Uint8Array, isName: boolean): boolean {
  for (const byte of bytes) {
    if (byte < 0x20 || byte >= DELETE || byte === BACKSLASH || (isName && byte === SLASH)) return false;
  }
  return !(isName && bytes[bytes.length - 1] === BANG);
}

function hexEscape(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}

/** Length of the well-formed UTF-8 sequence starting at `at` (Unicode table 3-7: no overlongs, surrogates or values past U+10FFFF), or 0. */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const lead = bytes[at] as number;
  let length: number;
  let secondMin = 0x80;
  let secondMax = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) secondMin = 0xa0;
    if (lead === 0xed) secondMax = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) secondMin = 0x90;
    if (lead === 0xf4) secondMax = 0x8f;
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
