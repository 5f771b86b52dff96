import { Readable, Transform, type TransformCallback } from 'node:stream';
import { constants as zlibConstants, crc32, createInflateRaw, inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import type { Problem } from '../../../shared/model.js';
import { InputError } from '../errors.js';
import { readChunks, SliceByteSource, type ByteSource } from '../io/byteSource.js';
import { SequentialDecodedSource } from '../io/decodedSource.js';
import { pathFromBytes } from '../vfs/rawNames.js';
import { locateCentralDirectory } from './endOfCentralDirectory.js';
import { checkDeclaredSize, findOverlappingMembers, overlapError } from './zipLimits.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
export type SpecialFileType = 'char-device' | 'block-device' | 'fifo' | 'socket';
const SPECIAL_TYPES: ReadonlyMap<number, SpecialFileType> = new Map([
  [0o020000, 'char-device'],
  [0o060000, 'block-device'],
  [0o010000, 'fifo'],
  [0o140000, 'socket'],
]);
const MADE_BY_UNIX = 3;
const READ_CHUNK = 256 * 1024;
/** zlib's default 16 KiB output chunks cost a callback each; 64 KiB inflates about a third faster. */
const INFLATE_CHUNK = 64 * 1024;
export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_SIZE = 30;
const FLAG_DATA_DESCRIPTOR = 0x8;
const UNICODE_PATH_FIELD = 0x7075;
/**
 * Members this small are read in one piece and inflated in one call: for APKs full of small
 * members, a stream per member costs several times the inflating itself.
 */
const SMALL_MEMBER = 1 << 20;
/**
 * A member read whole (readAll) up to this size is read and inflated in one piece, into one buffer
 * of its declared size: no stream, no chunks to join. Larger ones stream through INFLATE_CHUNK.
 */
const ONE_PIECE_MEMBER = 16 << 20;
/** Reads this small (yauzl's directory entries and local headers) are served from one window. */
const SMALL_READ = 4 * 1024;
const READ_WINDOW = 64 * 1024;

export interface ZipMember {
  /** Decoded name, `/`-separated, as stored (directories end with `/`). */
  readonly name: string;
  readonly isDirectory: boolean;
  /** Stored by a Unix zip tool with the symlink mode: the content is the link target. */
  readonly isSymlink: boolean;
  /** A device node, FIFO or socket by its Unix mode (the content, if any, means nothing); null otherwise. */
  readonly specialType: SpecialFileType | null;
  readonly compressionMethod: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly crc32: number;
  /** Where the member's local header starts in the archive. */
  readonly localHeaderOffset: number;
  /** The name's bytes exactly as the central directory stores them. */
  readonly rawName: Buffer;
  /** @internal yauzl's entry. */
  readonly entry: yauzl.Entry;
}

/**
 * How a member whose compression method is neither stored (0) nor deflate (8) is read. Android
 * differs by layer: its resource loader (ApkAssets, Android 9 and later) reads such a member as
 * stored, while the v1 signature check (StrictJarFile) and older resource loaders inflate anything
 * that is not stored. `as-stored-or-inflated` uses whichever of the two gives the CRC-32 the
 * central directory records; `inflate` is StrictJarFile's rule.
 */
export type OtherMethodReading = 'as-stored-or-inflated' | 'inflate';

export interface ReadOptions {
  otherMethods?: OtherMethodReading;
}

type Decoding = 'stored' | 'deflate' | 'stored-or-inflated';

/** Feeds yauzl from a ByteSource, so a zip inside anything (image, another zip) reads the same way. */
class ByteSourceReader extends yauzl.RandomAccessReader {
  constructor(private readonly source: ByteSource) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(readChunks(this.source, start, end, READ_CHUNK));
  }

  private window: { start: number; bytes: Buffer } | null = null;

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    this.readRange(position, length).then(
      (bytes) => {
        bytes.copy(buffer, offset);
        callback(null);
      },
      (error: Error) => callback(error),
    );
  }

  private async readRange(position: number, length: number): Promise<Buffer> {
    if (length > SMALL_READ || position < 0 || position + length > this.source.size) return this.source.read(position, length);
    const cached = this.window;
    if (cached !== null && position >= cached.start && position + length <= cached.start + cached.bytes.length) {
      return cached.bytes.subarray(position - cached.start, position - cached.start + length);
    }
    const bytes = await this.source.read(position, Math.min(READ_WINDOW, this.source.size - position));
    this.window = { start: position, bytes };
    return bytes.subarray(0, length);
  }
}

/**
 * A zip or zip64 archive read by random access: only the central directory is read up front;
 * members are decompressed when asked for, after their local header is checked against the central
 * directory the way Android's zip reader (libziparchive) checks it, and their bytes are checked
 * against the CRC-32. Members whose names are unsafe (absolute, `..`) and second members of one
 * name are reported as problems and left out.
 */
export class ZipArchive {
  private readonly byName = new Map<string, ZipMember>();
  private readonly dataStarts = new Map<ZipMember, Promise<number>>();
  /** Deflated members whose next streamed read keeps the bytes (see keepInflated). */
  private readonly toKeep = new Set<ZipMember>();
  private readonly kept = new Map<ZipMember, Buffer>();

  private constructor(
    readonly source: ByteSource,
    private readonly zipfile: yauzl.ZipFile,
    readonly members: readonly ZipMember[],
    readonly problems: readonly Problem[],
    /** Where the central directory starts; null when only yauzl's more lenient search found it. */
    readonly centralDirectoryOffset: number | null,
    /** Names the central directory holds more than once (only the first member of each is listed). */
    readonly duplicateNames: readonly string[],
  ) {
    for (const member of members) this.byName.set(member.name, member);
  }

  static async open(source: ByteSource): Promise<ZipArchive> {
    const zipfile = await openZipFile(source);
    const members: ZipMember[] = [];
    const problems: Problem[] = [];
    const seen = new Set<string>();
    const duplicateNames: string[] = [];
    await new Promise<void>((resolve, reject) => {
      zipfile.on('entry', (entry: yauzl.Entry) => {
        const raw = memberNameBytes(entry);
        const name = pathFromBytes(raw);
        const unsafe = unsafeMemberName(raw, name);
        if (unsafe !== null) {
          problems.push({ path: name, message: `zip member skipped: ${unsafe}` });
        } else if (seen.has(name)) {
          duplicateNames.push(name);
          problems.push({ path: name, message: 'zip member skipped: a second member of this name (Android refuses an archive that has one); the first is read' });
        } else {
          seen.add(name);
          members.push(toMember(name, entry));
        }
        zipfile.readEntry();
      });
      zipfile.once('end', () => resolve());
      zipfile.once('error', (error: Error) =>
        reject(new InputError(`corrupt central directory: ${error.message}`, { file: source.name, format: 'zip', cause: error })),
      );
      zipfile.readEntry();
    });
    const overlap = findOverlappingMembers(members);
    if (overlap !== null) {
      zipfile.close();
      throw overlapError(overlap, source.name);
    }
    for (const member of members) {
      if (member.compressionMethod === METHOD_STORED || member.compressionMethod === METHOD_DEFLATE || member.isDirectory) continue;
      problems.push({
        path: member.name,
        message: `compression method ${member.compressionMethod} is neither stored (0) nor deflate (8): Android 9 and later read such a member as stored, older versions and the v1 signature check inflate it; OTA Lens reads it the way that matches its CRC-32`,
      });
    }
    const centralDirectoryOffset = await locateCentralDirectory(source, source.name).then(
      (location) => location.offset,
      () => null,
    );
    return new ZipArchive(source, zipfile, members, problems, centralDirectoryOffset, duplicateNames);
  }

  get(name: string): ZipMember | undefined {
    return this.byName.get(name);
  }

  /** Refuses what cannot be read: encryption, impossible declared sizes. */
  private checkReadable(member: ZipMember, decoding: Decoding): void {
    if (member.entry.isEncrypted()) {
      throw new InputError('member is encrypted', { file: this.source.name, format: `zip › ${member.name}` });
    }
    if (decoding === 'deflate') checkDeclaredSize(member, this.source.name);
  }

  /**
   * Asks that the next streamed read (openStream) of each of these deflated members keep its
   * inflated bytes for the next readAll to take: an APK's DEX files are streamed by the v1 signature
   * check and read whole again by the code reader, and are inflated once so. A readAll that comes
   * first reads as usual and keeps nothing. The caller bounds what it asks for (the bytes stay in
   * memory until taken).
   */
  keepInflated(members: Iterable<ZipMember>): void {
    // Only deflate reads the same whichever way other methods are read (stored-or-inflated, or inflated).
    for (const member of members) if (member.compressionMethod === METHOD_DEFLATE) this.toKeep.add(member);
  }

  /** The member's uncompressed bytes as a stream; the stream errors with an InputError if they are corrupt. */
  async openStream(member: ZipMember, options: ReadOptions = {}): Promise<Readable> {
    if (this.toKeep.delete(member)) {
      const bytes = await this.readAll(member, member.uncompressedSize, options);
      this.kept.set(member, bytes);
      return Readable.from([bytes]);
    }
    if (isSmall(member)) return Readable.from([await this.readInOnePiece(member, options)]);
    const format = `zip › ${member.name}`;
    let decoding = decodingOf(member, options);
    // A large member cannot be tried both ways: read it as stored when the sizes allow it.
    if (decoding === 'stored-or-inflated') decoding = member.compressedSize === member.uncompressedSize ? 'stored' : 'deflate';
    this.checkReadable(member, decoding);
    const start = await this.dataStart(member);
    const length = decoding === 'stored' ? member.uncompressedSize : member.compressedSize;
    this.checkInsideArchive(member, start, length);
    const raw = Readable.from(readChunks(this.source, start, start + length, READ_CHUNK));
    const checked = new CrcCheck(member, this.source.name);
    const fail = (error: Error): void => {
      checked.destroy(error instanceof InputError ? error : new InputError(`cannot decompress: ${error.message}`, { file: this.source.name, format, cause: error }));
    };
    raw.on('error', fail);
    if (decoding === 'stored') return raw.pipe(checked);
    const inflate = createInflateRaw({ chunkSize: INFLATE_CHUNK });
    inflate.on('error', fail);
    return raw.pipe(inflate).pipe(checked);
  }

  /**
   * The member's uncompressed bytes by random access: a window of the archive for stored members
   * (how APKs keep resources.arsc, and OTAs keep payload.bin), a cached sequential decoder for
   * deflated ones.
   */
  async openSource(member: ZipMember): Promise<ByteSource> {
    const format = `zip › ${member.name}`;
    const name = `${this.source.name} › ${member.name}`;
    if (member.compressionMethod === METHOD_STORED && !member.entry.isEncrypted()) {
      const start = await this.dataStart(member);
      this.checkInsideArchive(member, start, member.uncompressedSize);
      return new SliceByteSource(name, this.source, start, member.uncompressedSize);
    }
    return new SequentialDecodedSource(name, member.uncompressedSize, () => this.openStream(member), { format });
  }

  /** Reads a small member whole (metadata, build.prop); refuses members larger than `limit`. */
  async readAll(member: ZipMember, limit: number, options: ReadOptions = {}): Promise<Buffer> {
    if (member.uncompressedSize > limit) {
      throw new InputError(`member is ${member.uncompressedSize} bytes, more than the ${limit} allowed for it`, {
        file: this.source.name,
        format: `zip › ${member.name}`,
      });
    }
    const kept = this.kept.get(member);
    if (kept !== undefined) {
      this.kept.delete(member);
      return kept;
    }
    this.toKeep.delete(member);
    const inOnePiece = member.compressedSize <= ONE_PIECE_MEMBER && member.uncompressedSize <= ONE_PIECE_MEMBER;
    return inOnePiece ? this.readInOnePiece(member, options) : this.readWhole(member, options);
  }

  private async readWhole(member: ZipMember, options: ReadOptions): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.openStream(member, options)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /**
   * Where the member's data starts, after its local header, which must agree with the central
   * directory as libziparchive requires: the signature, the same name, (without a trailing data
   * descriptor) the same CRC-32 and sizes, and data that ends before the central directory.
   * Android refuses a member that fails these checks.
   */
  dataStart(member: ZipMember): Promise<number> {
    let start = this.dataStarts.get(member);
    if (start === undefined) {
      start = this.readLocalHeader(member);
      this.dataStarts.set(member, start);
    }
    return start;
  }

  private async readLocalHeader(member: ZipMember): Promise<number> {
    const offset = member.localHeaderOffset;
    const format = `zip › ${member.name} › local header`;
    const fail = (problem: string, at: number, expected?: string): never => {
      throw new InputError(problem, { file: this.source.name, format, offset: at, expected });
    };
    if (offset + LOCAL_HEADER_SIZE > this.source.size) fail('local header lies past the end of the archive', offset, `at most ${this.source.size - LOCAL_HEADER_SIZE}`);
    const header = await this.source.read(offset, LOCAL_HEADER_SIZE);
    if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) fail('no local header where the central directory points', offset, 'PK\\x03\\x04');
    const nameLength = header.readUInt16LE(26);
    const extraLength = header.readUInt16LE(28);
    if (offset + LOCAL_HEADER_SIZE + nameLength > this.source.size) fail('local header name runs past the end of the archive', offset + 26);
    const name = await this.source.read(offset + LOCAL_HEADER_SIZE, nameLength);
    if (!name.equals(member.rawName)) {
      fail(`local header names the member "${pathFromBytes(name)}": Android refuses a member whose local header and central directory disagree`, offset + LOCAL_HEADER_SIZE, `"${member.name}"`);
    }
    const flags = header.readUInt16LE(6);
    if ((flags & FLAG_DATA_DESCRIPTOR) === 0) {
      const crc = header.readUInt32LE(14);
      const compressedSize = header.readUInt32LE(18);
      const uncompressedSize = header.readUInt32LE(22);
      const zip64 = compressedSize === 0xffffffff || uncompressedSize === 0xffffffff;
      if (crc >>> 0 !== member.crc32 >>> 0 || (!zip64 && (compressedSize !== member.compressedSize || uncompressedSize !== member.uncompressedSize))) {
        fail(
          `local header says CRC-32 ${hex32(crc)}, ${compressedSize} bytes compressed, ${uncompressedSize} uncompressed: Android refuses a member whose local header and central directory disagree`,
          offset + 14,
          `CRC-32 ${hex32(member.crc32)}, ${member.compressedSize} and ${member.uncompressedSize} bytes, as the central directory says`,
        );
      }
    }
    const start = offset + LOCAL_HEADER_SIZE + nameLength + extraLength;
    // libziparchive refuses data that would run into the central directory (stored data by its uncompressed length).
    const end = this.centralDirectoryOffset ?? this.source.size;
    const length = Math.max(member.compressedSize, member.compressionMethod === METHOD_STORED ? member.uncompressedSize : 0);
    if (start + length > end) fail(`member data of ${length} bytes runs past the start of the central directory`, start, `at most ${Math.max(0, end - start)} bytes`);
    return start;
  }

  /** Android refuses a member whose data would run into the central directory. */
  private checkInsideArchive(member: ZipMember, start: number, length: number): void {
    const end = this.centralDirectoryOffset ?? this.source.size;
    if (start + length > end) {
      throw new InputError(`member data of ${length} bytes runs past the start of the central directory`, {
        file: this.source.name,
        format: `zip › ${member.name}`,
        offset: start,
        expected: `at most ${Math.max(0, end - start)} bytes`,
      });
    }
  }

  /** A member of at most ONE_PIECE_MEMBER in one read and one inflate call, checked like a streamed one. */
  private async readInOnePiece(member: ZipMember, options: ReadOptions): Promise<Buffer> {
    const decoding = decodingOf(member, options);
    this.checkReadable(member, decoding);
    const start = await this.dataStart(member);
    if (decoding === 'stored-or-inflated') {
      const stored = await this.tryStored(member, start);
      if (stored !== null) return stored;
      checkDeclaredSize(member, this.source.name);
    }
    const length = decoding === 'stored' ? member.uncompressedSize : member.compressedSize;
    this.checkInsideArchive(member, start, length);
    const raw = await this.source.read(start, length);
    const bytes = decoding === 'stored' ? raw : this.inflateInOnePiece(member, raw);
    if (bytes.length !== member.uncompressedSize) throw sizeMismatch(member, this.source.name, bytes.length > member.uncompressedSize ? 'longer' : 'shorter');
    const actual = crc32(bytes);
    if (actual >>> 0 !== member.crc32 >>> 0) throw crcMismatch(member, this.source.name, actual);
    return bytes;
  }

  /** The member's bytes read as stored (as ApkAssets reads them), or null when their CRC-32 says otherwise. */
  private async tryStored(member: ZipMember, start: number): Promise<Buffer | null> {
    const end = this.centralDirectoryOffset ?? this.source.size;
    if (start + member.uncompressedSize > end) return null;
    const bytes = await this.source.read(start, member.uncompressedSize);
    return crc32(bytes) >>> 0 === member.crc32 >>> 0 ? bytes : null;
  }

  private inflateInOnePiece(member: ZipMember, raw: Buffer): Buffer {
    try {
      // One byte more than declared: a member that inflates further is caught as too long. The
      // output buffer holds that much, so a member of the declared size is inflated into one piece.
      const most = member.uncompressedSize + 1;
      return inflateRawSync(raw, { maxOutputLength: most, chunkSize: Math.max(zlibConstants.Z_MIN_CHUNK, most) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw sizeMismatch(member, this.source.name, 'longer');
      throw new InputError(`cannot decompress: ${(error as Error).message}`, { file: this.source.name, format: `zip › ${member.name}`, offset: member.localHeaderOffset, cause: error });
    }
  }

  async close(): Promise<void> {
    this.zipfile.close();
    await this.source.close();
  }
}

function decodingOf(member: ZipMember, options: ReadOptions): Decoding {
  if (member.compressionMethod === METHOD_STORED) return 'stored';
  if (member.compressionMethod === METHOD_DEFLATE || options.otherMethods === 'inflate') return 'deflate';
  return 'stored-or-inflated';
}

function openZipFile(source: ByteSource): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: false };
  return new Promise((resolve, reject) => {
    yauzl.fromRandomAccessReader(new ByteSourceReader(source), source.size, options, (error, zipfile) => {
      if (error) reject(describeOpenError(error, source));
      else resolve(zipfile);
    });
  });
}

function describeOpenError(error: Error, source: ByteSource): InputError {
  if (error instanceof InputError) return error;
  if (/end of central directory record signature not found/i.test(error.message)) {
    return new InputError('not a zip file, or a truncated one: no end of central directory record', {
      file: source.name,
      format: 'zip',
      offset: source.size,
      expected: 'the signature PK\\x05\\x06 in the last 65557 bytes',
      cause: error,
    });
  }
  return new InputError(error.message, { file: source.name, format: 'zip', cause: error });
}

function toMember(name: string, entry: yauzl.Entry): ZipMember {
  const unixMode = entry.versionMadeBy >> 8 === MADE_BY_UNIX ? entry.externalFileAttributes >>> 16 : 0;
  return {
    name,
    isDirectory: name.endsWith('/'),
    isSymlink: (unixMode & S_IFMT) === S_IFLNK,
    specialType: SPECIAL_TYPES.get(unixMode & S_IFMT) ?? null,
    compressionMethod: entry.compressionMethod,
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
    crc32: entry.crc32,
    localHeaderOffset: entry.relativeOffsetOfLocalHeader,
    rawName: entry.fileNameRaw,
    entry,
  };
}

/**
 * A member's name as bytes: the Info-ZIP Unicode Path field (0x7075) when it matches the stored
 * name, else the stored name, with or without the UTF-8 flag (zips made on Linux store UTF-8
 * without it). vfs/rawNames.ts turns the bytes into a path, so no two names collide.
 */
function memberNameBytes(entry: yauzl.Entry): Buffer {
  for (const field of entry.extraFields) {
    if (field.id === UNICODE_PATH_FIELD && field.data.length > 5 && field.data[0] === 1 && field.data.readUInt32LE(1) === crc32(entry.fileNameRaw) >>> 0) {
      return field.data.subarray(5);
    }
  }
  return entry.fileNameRaw;
}

/** Why a member is left out: a name that would leave the archive's root, or that no file system has. */
function unsafeMemberName(raw: Buffer, name: string): string | null {
  // Windows tools sometimes write `\` as a separator: `a\..\..\x` must not become a name.
  if (raw.includes(0x5c)) return `invalid characters in fileName: ${name}`;
  // No file system has NUL in a name.
  if (raw.includes(0)) return 'name contains a NUL byte';
  if (/^[a-zA-Z]:/.test(name) || name.startsWith('/')) return `absolute path: ${name}`;
  if (name.split('/').includes('..')) return `invalid relative path: ${name}`;
  return null;
}

/**
 * Passes bytes through and fails if there are more or fewer than the central directory says, or
 * if their CRC-32 differs from it.
 */
class CrcCheck extends Transform {
  private crc = 0;
  private length = 0;

  constructor(
    private readonly member: ZipMember,
    private readonly file: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.length += chunk.length;
    if (this.length > this.member.uncompressedSize) {
      callback(sizeMismatch(this.member, this.file, 'longer'));
      return;
    }
    this.crc = crc32(chunk, this.crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.length !== this.member.uncompressedSize) callback(sizeMismatch(this.member, this.file, 'shorter'));
    else if (this.crc >>> 0 !== this.member.crc32 >>> 0) callback(crcMismatch(this.member, this.file, this.crc));
    else callback();
  }
}

function isSmall(member: ZipMember): boolean {
  return member.compressedSize <= SMALL_MEMBER && member.uncompressedSize <= SMALL_MEMBER;
}

function sizeMismatch(member: ZipMember, file: string, direction: 'longer' | 'shorter'): InputError {
  return new InputError(`content is ${direction} than its declared size`, {
    file,
    format: `zip › ${member.name}`,
    offset: member.localHeaderOffset,
    expected: `${member.uncompressedSize} bytes`,
  });
}

function crcMismatch(member: ZipMember, file: string, actual: number): InputError {
  return new InputError('CRC-32 mismatch: content is corrupt', {
    file,
    format: `zip › ${member.name}`,
    offset: member.localHeaderOffset,
    expected: `CRC-32 ${hex32(member.crc32)}, got ${hex32(actual)}`,
  });
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}
