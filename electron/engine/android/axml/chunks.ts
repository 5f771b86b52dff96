/**
 * The chunk layer shared by Android binary XML and resources.arsc (`ResChunk_header` in AOSP
 * ResourceTypes.h): every structure starts with u16 type, u16 header size, u32 total size, all
 * little-endian. This module reads headers with bounds checks and turns every problem into an
 * InputError that names the file, the member, the chunk and the offset.
 */
import { InputError } from '../../errors.js';

export const ChunkType = {
  NULL: 0x0000,
  STRING_POOL: 0x0001,
  TABLE: 0x0002,
  XML: 0x0003,
  XML_START_NAMESPACE: 0x0100,
  XML_END_NAMESPACE: 0x0101,
  XML_START_ELEMENT: 0x0102,
  XML_END_ELEMENT: 0x0103,
  XML_CDATA: 0x0104,
  XML_RESOURCE_MAP: 0x0180,
  TABLE_PACKAGE: 0x0200,
  TABLE_TYPE: 0x0201,
  TABLE_TYPE_SPEC: 0x0202,
  TABLE_LIBRARY: 0x0203,
  TABLE_OVERLAYABLE: 0x0204,
  TABLE_OVERLAYABLE_POLICY: 0x0205,
  TABLE_STAGED_ALIAS: 0x0206,
} as const;

export const CHUNK_HEADER_SIZE = 8;

/** Where decoded bytes came from, for error messages. */
export interface DecodeLocation {
  /** The package or APK file as the user knows it (path or device path). */
  file: string;
  /** The member inside it, e.g. `AndroidManifest.xml`, `resources.arsc`, `res/xml/preferences.xml`. */
  member: string;
  /** The outer format layers; `apk` when not given. */
  container?: string;
}

export interface ChunkHeader {
  type: number;
  headerSize: number;
  size: number;
  /** Absolute offset of the chunk in the decoded bytes. */
  offset: number;
}

/** The bytes being decoded plus where they came from; every read is checked against the end. */
export class BinaryInput {
  readonly size: number;

  constructor(
    readonly bytes: Buffer,
    readonly where: DecodeLocation,
  ) {
    this.size = bytes.length;
  }

  formatOf(structure: string): string {
    return `${this.where.container ?? 'apk'} › ${this.where.member} › ${structure}`;
  }

  fail(problem: string, structure: string, offset: number, expected?: string): never {
    throw new InputError(problem, { file: this.where.file, format: this.formatOf(structure), offset, expected });
  }

  /** Throws unless `length` bytes at `offset` lie inside `[0, limit)`. */
  need(offset: number, length: number, structure: string, limit = this.size): void {
    if (offset < 0 || length < 0 || offset + length > limit) {
      const remaining = Math.max(0, limit - offset);
      this.fail(
        limit === this.size ? 'truncated data' : 'structure runs past the end of its chunk',
        structure,
        offset,
        `${length} bytes, only ${remaining} remain`,
      );
    }
  }

  u8(offset: number): number {
    return this.bytes[offset] ?? 0;
  }

  u16(offset: number): number {
    return this.bytes.readUInt16LE(offset);
  }

  u32(offset: number): number {
    return this.bytes.readUInt32LE(offset);
  }

  /**
   * Reads and checks a chunk header at `offset` that must end by `limit`: header size at least 8,
   * total size at least the header size, and the chunk inside its parent.
   */
  chunkAt(offset: number, limit: number, structure: string): ChunkHeader {
    this.need(offset, CHUNK_HEADER_SIZE, structure, limit);
    const type = this.u16(offset);
    const headerSize = this.u16(offset + 2);
    const size = this.u32(offset + 4);
    if (headerSize < CHUNK_HEADER_SIZE || headerSize > size) {
      this.fail(`bad chunk header size ${headerSize}`, structure, offset, `between 8 and the chunk size ${size}`);
    }
    if (offset + size > limit) {
      this.fail(
        `chunk size ${size} points past the end`,
        structure,
        offset,
        `at most ${limit - offset} bytes (${limit === this.size ? 'the data' : 'the parent chunk'} ends at ${limit})`,
      );
    }
    return { type, headerSize, size, offset };
  }

  /** The chunks inside `[start, end)`, one after another. */
  *chunksIn(start: number, end: number, structure: string): Generator<ChunkHeader> {
    let offset = start;
    while (offset < end) {
      const header = this.chunkAt(offset, end, structure);
      yield header;
      offset += header.size;
    }
  }
}

export function hex(value: number, digits = 4): string {
  return `0x${(value >>> 0).toString(16).padStart(digits, '0')}`;
}
