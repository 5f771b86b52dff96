import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byteSource.js';
import type { ImageReader } from './imageReader.js';
import type { Inode } from './inode.js';
import type { Superblock } from './superblock.js';
import { xattrPrefix, xattrPrefixes } from '../xattrNames.js';

const IBODY_HEADER_SIZE = 12;
const ENTRY_HEADER_SIZE = 4;
/** e_name_index bit 7: the low bits index the long prefix table (erofs_fs.h EROFS_XATTR_LONG_PREFIX). */
const LONG_PREFIX = 0x80;
/** Decoded shared xattrs kept; more distinct ones than this in one image is unusual, and the cache then starts over. */
const SHARED_CACHE_SIZE = 4096;
/** EROFS_NAME_LEN: a prefix's infix is at most this long. */
const MAX_NAME = 255;

/** Name prefixes by e_name_index (erofs_fs.h EROFS_XATTR_INDEX_*). */
const PREFIXES = xattrPrefixes([[5, 'lustre.']]);

export interface ErofsXattr {
  name: string;
  value: Buffer;
}

/** A long name prefix: a short prefix's index and the text that follows it. */
interface LongPrefix {
  baseIndex: number;
  infix: string;
}

/**
 * Reads an inode's extended attributes as Linux does (fs/erofs/xattr.c): the inline area after the
 * inode (a 12-byte header, the ids of shared xattrs, then entries), each shared xattr from the
 * shared area, and names that use a long prefix (erofs-utils 1.7+) through the prefix table, read
 * once. Every read goes through the metadata block cache.
 */
export class ErofsXattrReader {
  private prefixes: Promise<LongPrefix[]> | null = null;
  /** Shared xattrs by id, decoded once: an image's few labels are shared by thousands of inodes. */
  private readonly sharedById = new Map<number, Promise<ErofsXattr>>();

  constructor(
    private readonly reader: ImageReader,
    private readonly superblock: Superblock,
    /** The packed inode's content, where the prefix table lives unless the superblock says it is plain. */
    private readonly packed: () => Promise<ByteSource>,
  ) {}

  async read(inode: Inode): Promise<ErofsXattr[]> {
    if (inode.xattrSize === 0) return [];
    const format = `erofs › inode ${inode.nid} › xattrs`;
    const fail = (problem: string, offset: number, expected?: string): InputError =>
      new InputError(problem, { file: this.reader.name, format, offset, ...(expected === undefined ? {} : { expected }) });
    if (inode.xattrSize < IBODY_HEADER_SIZE) throw fail(`inline xattr area of ${inode.xattrSize} bytes is shorter than its header`, inode.xattrStart, `${IBODY_HEADER_SIZE} bytes`);
    const area = await this.reader.readMeta(inode.xattrStart, inode.xattrSize, format, 'the inline xattr area');
    const sharedCount = area.readUInt8(4);
    const headerSize = IBODY_HEADER_SIZE + sharedCount * 4;
    if (headerSize > area.length) throw fail(`${sharedCount} shared xattr ids do not fit the ${area.length}-byte inline area`, inode.xattrStart + 4, `at most ${(area.length - IBODY_HEADER_SIZE) / 4}`);
    const xattrs: ErofsXattr[] = [];
    let at = headerSize;
    while (at < area.length) {
      const entry = await this.entry(area, at, inode.xattrStart + at, fail);
      xattrs.push(entry.xattr);
      at += entry.size;
    }
    if (at !== area.length) throw fail('the last inline xattr runs past the inline area', inode.xattrStart + at, `entries filling ${area.length} bytes exactly`);
    for (let index = 0; index < sharedCount; index++) {
      const id = area.readUInt32LE(IBODY_HEADER_SIZE + index * 4);
      xattrs.push(await this.cachedShared(id, fail));
    }
    return xattrs;
  }

  private cachedShared(id: number, fail: (problem: string, offset: number, expected?: string) => InputError): Promise<ErofsXattr> {
    let cached = this.sharedById.get(id);
    if (cached === undefined) {
      if (this.sharedById.size >= SHARED_CACHE_SIZE) this.sharedById.clear();
      cached = this.shared(id, fail);
      this.sharedById.set(id, cached);
      // A failed read is reported for this inode and tried again for the next.
      cached.catch(() => this.sharedById.delete(id));
    }
    return cached;
  }

  /** A shared xattr: an entry in the shared area, `id` 4-byte units from its start. */
  private async shared(id: number, fail: (problem: string, offset: number, expected?: string) => InputError): Promise<ErofsXattr> {
    const position = this.superblock.xattrStart + id * 4;
    const head = await this.reader.readMeta(position, ENTRY_HEADER_SIZE, 'erofs › shared xattrs', `shared xattr ${id}`);
    const length = ENTRY_HEADER_SIZE + head.readUInt8(0) + head.readUInt16LE(2);
    const bytes = await this.reader.readMeta(position, length, 'erofs › shared xattrs', `shared xattr ${id}`);
    return (await this.entry(bytes, 0, position, fail)).xattr;
  }

  /** The entry at `at` of `bytes` (its name and value must lie inside) and its aligned size. */
  private async entry(bytes: Buffer, at: number, position: number, fail: (problem: string, offset: number, expected?: string) => InputError): Promise<{ xattr: ErofsXattr; size: number }> {
    if (at + ENTRY_HEADER_SIZE > bytes.length) throw fail('xattr entry header cut off', position, `${ENTRY_HEADER_SIZE} bytes`);
    const nameLength = bytes.readUInt8(at);
    const nameIndex = bytes.readUInt8(at + 1);
    const valueSize = bytes.readUInt16LE(at + 2);
    const end = at + ENTRY_HEADER_SIZE + nameLength + valueSize;
    if (end > bytes.length) throw fail(`xattr entry of ${nameLength}-byte name and ${valueSize}-byte value runs past its area`, position, `at most ${bytes.length - at} bytes`);
    const suffix = bytes.subarray(at + ENTRY_HEADER_SIZE, at + ENTRY_HEADER_SIZE + nameLength).toString('latin1');
    const name = `${await this.prefixOf(nameIndex, position + 1, fail)}${suffix}`;
    const value = Buffer.from(bytes.subarray(at + ENTRY_HEADER_SIZE + nameLength, end));
    return { xattr: { name, value }, size: (ENTRY_HEADER_SIZE + nameLength + valueSize + 3) & ~3 };
  }

  private async prefixOf(nameIndex: number, position: number, fail: (problem: string, offset: number, expected?: string) => InputError): Promise<string> {
    if ((nameIndex & LONG_PREFIX) === 0) return xattrPrefix(PREFIXES, nameIndex);
    const prefixes = await this.longPrefixes();
    const long = prefixes[nameIndex & ~LONG_PREFIX];
    if (long === undefined) throw fail(`xattr name uses long prefix ${nameIndex & ~LONG_PREFIX}, but the image has ${prefixes.length}`, position, `below ${prefixes.length}`);
    return `${xattrPrefix(PREFIXES, long.baseIndex)}${long.infix}`;
  }

  private longPrefixes(): Promise<LongPrefix[]> {
    this.prefixes ??= this.loadPrefixes();
    return this.prefixes;
  }

  /**
   * The prefix table (erofs_xattr_prefixes_init): `xattr_prefix_count` records from
   * `xattr_prefix_start`, each 4-byte aligned: a u16 length, the short prefix's index, the infix.
   */
  private async loadPrefixes(): Promise<LongPrefix[]> {
    const { xattrPrefixCount, xattrPrefixStart, xattrPrefixesPlain } = this.superblock;
    const format = `erofs › long xattr prefixes${xattrPrefixesPlain ? '' : ' (packed inode)'}`;
    const packed = xattrPrefixesPlain ? null : await this.packed();
    const read = (offset: number, length: number): Promise<Buffer> => {
      if (packed === null) return this.reader.readMeta(offset, length, format, 'a long xattr prefix');
      if (offset + length > packed.size) {
        return Promise.reject(new InputError(`long xattr prefix at ${offset} lies past the packed inode's ${packed.size} bytes`, { file: this.reader.name, format, offset }));
      }
      return packed.read(offset, length);
    };
    const prefixes: LongPrefix[] = [];
    let offset = xattrPrefixStart;
    for (let index = 0; index < xattrPrefixCount; index++) {
      offset = (offset + 3) & ~3;
      const length = (await read(offset, 2)).readUInt16LE(0);
      if (length < 1 || length > MAX_NAME + 1) {
        throw new InputError(`long xattr prefix ${index} of ${length} bytes`, { file: this.reader.name, format, offset, expected: `1 to ${MAX_NAME + 1} bytes` });
      }
      const record = await read(offset + 2, length);
      prefixes.push({ baseIndex: record.readUInt8(0), infix: record.subarray(1).toString('latin1') });
      offset += 2 + length;
    }
    return prefixes;
  }
}
