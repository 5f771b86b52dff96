/**
 * What OTA Lens reads of a DEX file: its string pool (every string, for the servers it names) and
 * the classes it defines (`class_defs` → `type_ids` → descriptor strings, for the SDKs it carries).
 * Read lazily and in one forward pass: the id tables first, then the string data in ascending
 * offset order through a bounded window, then the map list at the end, so a deflated DEX is
 * inflated once and never held whole twice.
 */
import type { ByteSource } from '../../io/byteSource.js';
import { checkDexMap, dexError, readDexHeader, type DexHeader, type DexLocation, type DexSection } from './dexHeader.js';
import { decodeMutf8, Mutf8Error, readUleb128 } from './mutf8.js';

export type { DexLocation } from './dexHeader.js';

/** Id tables are read in pieces this large. */
const TABLE_CHUNK = 1 << 20;
/** String data is read through a window this large. */
const STRING_WINDOW = 1 << 20;
const CLASS_DEF_SIZE = 32;
const MAX_ULEB128_BYTES = 5;

export interface DexContents {
  version: string;
  /** Descriptors of the classes the DEX defines (`Lcom/example/Foo;`), in class_defs order. */
  classDescriptors: string[];
  stringCount: number;
}

/**
 * Which strings to decode and hand on, judged without decoding them: each byte of a string has a
 * class (`byteClasses[byte]`), OR-ed together in the same pass that finds the string's terminator,
 * and `wants` decides from that and the MUTF-8 bytes `bytes[start, end)`.
 */
export interface StringFilter {
  byteClasses: Uint8Array;
  wants: (seen: number, bytes: Buffer, start: number, end: number) => boolean;
}

export interface ReadDexOptions {
  /**
   * Which strings to decode and hand on (default: all). Class descriptors are always decoded. Every
   * string's place and terminator are checked either way; the MUTF-8 of a string left out is not.
   */
  filter?: StringFilter;
}

const EVERY_STRING: StringFilter = { byteClasses: new Uint8Array(256), wants: () => true };

/**
 * Reads the DEX in `source`: checks its header, reads its id tables, hands the strings of its pool
 * to `onString` (in ascending offset order, with their index), and checks its map list. Throws an
 * InputError for anything the DEX verifier would refuse in these parts.
 */
export async function readDex(source: ByteSource, where: DexLocation, onString: (text: string, index: number) => void, options: ReadDexOptions = {}): Promise<DexContents> {
  const header = await readDexHeader(source, where);
  const stringOffsets = await readU32Table(source, header.stringIds, 4, 0);
  const typeDescriptors = await readU32Table(source, header.typeIds, 4, 0);
  const classTypes = await readU32Table(source, header.classDefs, CLASS_DEF_SIZE, 0);
  const wanted = new Map<number, number[]>();
  for (let index = 0; index < classTypes.length; index++) {
    const typeIndex = classTypes[index] as number;
    if (typeIndex >= typeDescriptors.length) throw dexError(where, 'class_defs', `class ${index} names type ${typeIndex}, past the ${typeDescriptors.length} type ids`, header.classDefs.offset + index * CLASS_DEF_SIZE, `below ${typeDescriptors.length}`);
    const stringIndex = typeDescriptors[typeIndex] as number;
    if (stringIndex >= stringOffsets.length) throw dexError(where, 'type_ids', `type ${typeIndex} names string ${stringIndex}, past the ${stringOffsets.length} string ids`, header.typeIds.offset + typeIndex * 4, `below ${stringOffsets.length}`);
    const classes = wanted.get(stringIndex);
    if (classes === undefined) wanted.set(stringIndex, [index]);
    else classes.push(index);
  }
  const classDescriptors = new Array<string>(classTypes.length);
  await readStrings(source, header, stringOffsets, where, { filter: options.filter ?? EVERY_STRING, always: wanted }, (text, index) => {
    for (const classIndex of wanted.get(index) ?? []) classDescriptors[classIndex] = text;
    onString(text, index);
  });
  await checkDexMap(source, header, where);
  return { version: header.version, classDescriptors, stringCount: stringOffsets.length };
}

/** The first u32 of every item of a section, read in bounded pieces. */
async function readU32Table(source: ByteSource, section: DexSection, itemSize: number, field: number): Promise<Uint32Array> {
  const values = new Uint32Array(section.size);
  const perChunk = Math.max(1, Math.floor(TABLE_CHUNK / itemSize));
  for (let first = 0; first < section.size; first += perChunk) {
    const count = Math.min(perChunk, section.size - first);
    const bytes = await source.read(section.offset + first * itemSize, count * itemSize);
    for (let index = 0; index < count; index++) values[first + index] = bytes.readUInt32LE(index * itemSize + field);
  }
  return values;
}

/** Where a string pool's reading stands between windows. */
interface StringScan {
  readonly header: DexHeader;
  readonly where: DexLocation;
  readonly offsets: Uint32Array;
  /** String ids by ascending offset. */
  readonly order: Uint32Array;
  /** A flag per string id: decoded whatever the filter says (class descriptors). */
  readonly always: Uint8Array;
  readonly filter: StringFilter;
  readonly onString: (text: string, index: number) => void;
  /** The next string to read, as a place in `order`. */
  position: number;
  /** Where the last string read ended (the id tables' end before the first). */
  previousEnd: number;
  /** Bytes from the next string's start that the next window must hold. */
  need: number;
}

/**
 * Every string_data_item, in ascending offset order: real DEX files lay them out in index order,
 * and a file that does not is still read forward. Each item must start inside the file after the
 * header and end before the next one starts (no two ids share bytes, as the verifier requires), so
 * a hostile file cannot make this read more than its own size. The strings are read window by
 * window; within a window, without awaiting anything.
 */
async function readStrings(
  source: ByteSource,
  header: DexHeader,
  offsets: Uint32Array,
  where: DexLocation,
  decode: { filter: StringFilter; always: ReadonlyMap<number, unknown> },
  onString: (text: string, index: number) => void,
): Promise<void> {
  // Looked up for every string: a flag per string id rather than a map.
  const always = new Uint8Array(offsets.length);
  for (const index of decode.always.keys()) always[index] = 1;
  const scan: StringScan = {
    header,
    where,
    offsets,
    order: ascendingOrder(offsets),
    always,
    filter: decode.filter,
    onString,
    position: 0,
    previousEnd: header.stringIds.offset + header.stringIds.size * 4,
    need: 0,
  };
  const end = header.fileSize;
  while (scan.position < offsets.length) {
    const index = scan.order[scan.position] as number;
    const offset = offsets[index] as number;
    checkStringStart(scan, index, offset, scan.previousEnd);
    const window = await source.read(offset, Math.min(end - offset, Math.max(scan.need, STRING_WINDOW)));
    scanWindow(scan, window, offset);
  }
}

/** String `index` must start after the previous string's end and inside the file. */
function checkStringStart(scan: StringScan, index: number, offset: number, previousEnd: number): void {
  if (offset >= previousEnd && offset < scan.header.fileSize) return;
  const why = offset >= scan.header.fileSize ? 'past the end of the file' : 'inside another string or the id tables';
  throw dexError(scan.where, 'string_ids', `string ${index} starts at ${offset}, ${why}`, scan.header.stringIds.offset + index * 4, `a string_data_item of its own below ${scan.header.fileSize}`);
}

/**
 * Reads the strings from `scan.position` on that lie whole in `window` (file bytes from
 * `windowStart`); stops at the first that does not, with `scan.need` set to the bytes it takes.
 */
function scanWindow(scan: StringScan, window: Buffer, windowStart: number): void {
  const { offsets, order, always, where, onString } = scan;
  const { byteClasses, wants } = scan.filter;
  const fileEnd = scan.header.fileSize;
  const windowEnd = windowStart + window.length;
  const whole = windowEnd >= fileEnd;
  let previousEnd = scan.previousEnd;
  let position = scan.position;
  scan.need = MAX_ULEB128_BYTES;
  for (; position < order.length; position++) {
    const index = order[position] as number;
    const offset = offsets[index] as number;
    checkStringStart(scan, index, offset, previousEnd);
    if (offset + MAX_ULEB128_BYTES > windowEnd && !whole) break;
    // Most strings are shorter than 128 characters: a one-byte length, read without a call.
    let characters = window[offset - windowStart] as number;
    let lengthBytes = 1;
    if (characters >= 0x80) {
      const length = readUleb128(window, offset - windowStart, window.length);
      if (length === null) throw dexError(where, 'string_data_item', `string ${index} has no valid length`, offset, 'a ULEB128 of at most 5 bytes');
      characters = length.value;
      lengthBytes = length.length;
    }
    const dataStart = offset + lengthBytes;
    // At most 3 bytes a code unit, then the terminating 0.
    const longest = Math.min(fileEnd, dataStart + characters * 3 + 1);
    const start = dataStart - windowStart;
    const limit = Math.min(longest, windowEnd) - windowStart;
    // The terminator search and the byte classes in one pass over the string.
    let seen = 0;
    let at = start;
    while (at < limit) {
      const byte = window[at] as number;
      if (byte === 0) break;
      seen |= byteClasses[byte] as number;
      at++;
    }
    if (at >= limit) {
      if (longest > windowEnd) {
        scan.need = longest - offset;
        break;
      }
      throw dexError(where, 'string_data_item', `string ${index} has no terminating 0 within the ${characters * 3} bytes its ${characters} characters may take`, dataStart, 'a 0 byte');
    }
    previousEnd = windowStart + at + 1;
    if (always[index] === 0 && !wants(seen, window, start, at)) continue;
    let text: string;
    try {
      text = decodeMutf8(window, start, at, characters);
    } catch (error) {
      if (!(error instanceof Mutf8Error)) throw error;
      throw dexError(where, 'string_data_item', `string ${index} is not valid MUTF-8: ${error.message}`, dataStart + error.at);
    }
    onString(text, index);
  }
  scan.position = position;
  scan.previousEnd = previousEnd;
}

/** Indices sorted by offset; the identity when the offsets already ascend (as every real DEX has them). */
function ascendingOrder(offsets: Uint32Array): Uint32Array {
  const order = new Uint32Array(offsets.length);
  let sorted = true;
  for (let index = 0; index < offsets.length; index++) {
    order[index] = index;
    if (index > 0 && (offsets[index] as number) < (offsets[index - 1] as number)) sorted = false;
  }
  if (!sorted) order.sort((a, b) => (offsets[a] as number) - (offsets[b] as number));
  return order;
}

/** Android's multidex names, in load order: classes.dex, classes2.dex, classes3.dex… */
export const multidexName = (index: number): string => (index === 0 ? 'classes.dex' : `classes${index + 1}.dex`);

/** `Lcom/example/Foo$Bar;` → `com.example.Foo$Bar`; null for anything that is not a class descriptor. */
export function classNameOf(descriptor: string): string | null {
  if (descriptor.length < 3 || !descriptor.startsWith('L') || !descriptor.endsWith(';')) return null;
  return descriptor.slice(1, -1).replace(/\//g, '.');
}
