/**
 * `ResStringPool` (AOSP ResourceTypes.h): the string table of binary XML and of resources.arsc.
 * Strings are decoded on first use and cached; every length and offset is checked against the
 * chunk, so a corrupt pool gives an InputError instead of garbage or a huge allocation.
 */
import { type BinaryInput, type ChunkHeader, ChunkType } from './chunks.js';

const UTF8_FLAG = 0x100;
const SORTED_FLAG = 0x1;
const POOL_HEADER_SIZE = 28;
/** `ResStringPool_ref` value meaning "no string". */
export const NO_STRING = 0xffffffff;

export interface StringRefSite {
  /** Offset of the field that holds the index, for the error message. */
  offset: number;
  /** The structure holding the reference, e.g. `ResXMLTree_attribute`. */
  structure: string;
}

export class StringPool {
  readonly count: number;
  readonly utf8: boolean;
  readonly sorted: boolean;
  readonly styleCount: number;
  private readonly indexOffset: number;
  private readonly dataStart: number;
  private readonly dataEnd: number;
  private readonly cache: (string | undefined)[];

  constructor(
    private readonly input: BinaryInput,
    readonly chunk: ChunkHeader,
    private readonly label: string,
  ) {
    const structure = `${label} string pool`;
    if (chunk.type !== ChunkType.STRING_POOL) {
      input.fail(`expected a string pool chunk, found type ${chunk.type}`, structure, chunk.offset, 'chunk type 0x0001');
    }
    if (chunk.headerSize < POOL_HEADER_SIZE) {
      input.fail(`string pool header is ${chunk.headerSize} bytes`, structure, chunk.offset, `at least ${POOL_HEADER_SIZE}`);
    }
    const at = chunk.offset;
    const end = at + chunk.size;
    this.count = input.u32(at + 8);
    this.styleCount = input.u32(at + 12);
    const flags = input.u32(at + 16);
    const stringsStart = input.u32(at + 20);
    this.utf8 = (flags & UTF8_FLAG) !== 0;
    this.sorted = (flags & SORTED_FLAG) !== 0;
    this.indexOffset = at + chunk.headerSize;
    const indexBytes = (this.count + this.styleCount) * 4;
    if (this.indexOffset + indexBytes > end) {
      input.fail(
        `string pool declares ${this.count} strings and ${this.styleCount} styles, more than fit in its ${chunk.size} bytes`,
        structure,
        at + 8,
        `at most ${Math.floor((end - this.indexOffset) / 4)} index entries`,
      );
    }
    this.dataStart = at + stringsStart;
    const stylesStart = input.u32(at + 24);
    this.dataEnd = this.styleCount > 0 && stylesStart > stringsStart && at + stylesStart <= end ? at + stylesStart : end;
    if (this.count > 0 && (stringsStart < chunk.headerSize + indexBytes || this.dataStart > end)) {
      input.fail(`string data offset ${stringsStart} is outside the pool`, structure, at + 20, `between ${chunk.headerSize + indexBytes} and ${chunk.size}`);
    }
    this.cache = new Array<string | undefined>(this.count);
  }

  /** The string at `index`; an InputError naming `site` when the index is out of range or corrupt. */
  get(index: number, site?: StringRefSite): string {
    const cached = this.cache[index];
    if (cached !== undefined) return cached;
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      this.input.fail(
        `string index ${index} is out of range`,
        site?.structure ?? `${this.label} string pool`,
        site?.offset ?? this.chunk.offset,
        `an index below ${this.count} (the ${this.label} string pool size)`,
      );
    }
    const text = this.decode(index);
    this.cache[index] = text;
    return text;
  }

  /** Like `get`, but `undefined` for the "no string" index 0xffffffff. */
  optional(index: number, site?: StringRefSite): string | undefined {
    return index === NO_STRING ? undefined : this.get(index, site);
  }

  /** Every string, decoded (for tests and small pools). */
  all(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.get(i));
    return out;
  }

  private decode(index: number): string {
    const structure = `${this.label} string pool › string ${index}`;
    const start = this.dataStart + this.input.u32(this.indexOffset + index * 4);
    if (start >= this.dataEnd) this.input.fail('string offset points past the string data', structure, this.indexOffset + index * 4, `below ${this.dataEnd - this.dataStart}`);
    return this.utf8 ? this.decodeUtf8(start, structure) : this.decodeUtf16(start, structure);
  }

  private decodeUtf16(start: number, structure: string): string {
    const input = this.input;
    input.need(start, 2, structure, this.dataEnd);
    let length = input.u16(start);
    let chars = start + 2;
    if (length & 0x8000) {
      input.need(start, 4, structure, this.dataEnd);
      length = ((length & 0x7fff) << 16) | input.u16(start + 2);
      chars = start + 4;
    }
    input.need(chars, length * 2, structure, this.dataEnd);
    return input.bytes.toString('utf16le', chars, chars + length * 2);
  }

  private decodeUtf8(start: number, structure: string): string {
    const input = this.input;
    // Two lengths: UTF-16 units (ignored, not needed to decode), then UTF-8 bytes; each 1 or 2 bytes.
    let at = start;
    input.need(at, 1, structure, this.dataEnd);
    at += input.u8(at) & 0x80 ? 2 : 1;
    input.need(at, 1, structure, this.dataEnd);
    let byteLength = input.u8(at);
    if (byteLength & 0x80) {
      input.need(at, 2, structure, this.dataEnd);
      byteLength = ((byteLength & 0x7f) << 8) | input.u8(at + 1);
      at += 2;
    } else {
      at += 1;
    }
    input.need(at, byteLength, structure, this.dataEnd);
    return input.bytes.toString('utf8', at, at + byteLength);
  }
}

/** Reads the string pool chunk `chunk`, labelled e.g. `XML`, `global`, `type names`, `key names`. */
export function readStringPool(input: BinaryInput, chunk: ChunkHeader, label: string): StringPool {
  return new StringPool(input, chunk, label);
}
