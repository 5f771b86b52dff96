import type { ByteSource } from '../../io/byteSource.js';

const TAR_BLOCK = 512;
/** A trailer line is an MD5 in hex, two spaces and the tar's name: far less than this. */
const TRAILER_WINDOW = 1024;
const TRAILER = /([0-9a-f]{32}) {2}([^\n/\\]{1,400})\n?$/;

export interface Md5Trailer {
  /** The MD5 of the tar bytes, as the trailer states it (lower-case hex). */
  md5: string;
  /** The tar's name as the trailer gives it, e.g. `AP_G991BXXU5CVLL_….tar`. */
  name: string;
  /** Bytes of the tar before the trailer line: what the MD5 covers. */
  tarLength: number;
}

/**
 * The MD5 line Samsung's Odin firmware appends to a tar (`md5sum AP_….tar >> AP_….tar.md5`):
 * `<md5 hex>  <tar name>\n` right after the tar's last 512-byte block; null when the file does not
 * end with one.
 */
export async function readMd5Trailer(source: ByteSource): Promise<Md5Trailer | null> {
  const window = Math.min(TRAILER_WINDOW, source.size);
  const tail = (await source.read(source.size - window, window)).toString('latin1');
  const match = TRAILER.exec(tail);
  if (match === null) return null;
  const tarLength = source.size - (tail.length - match.index);
  if (tarLength <= 0 || tarLength % TAR_BLOCK !== 0) return null;
  return { md5: match[1] as string, name: match[2] as string, tarLength };
}
