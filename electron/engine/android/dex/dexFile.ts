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

export interface ReadDexOptions {
  /**
   * Which strings to decode and hand on, judged from their MUTF-8 bytes `bytes[start, end)`
   * (default: all). Class descriptors are always decoded. Every string's place and terminator are
   * checked either way; the MUTF-8 of a string left out is not.
   */
  wants?: (bytes: Buffer, start: number, end: number) => boolean;
}

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
  await readStrings(source, header, stringOffsets, where, { wants: options.wants, always: wanted }, (text, index) => {
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

/**
 * Every string_data_item, in ascending offset order: real DEX files lay them out in index order,
 * and a file that does not is still read forward. Each item must start inside the file after the
 * header and end before the next one starts (no two ids share bytes, as the verifier requires), so
 * a hostile file cannot make this read more than its own size.
 */
async function readStrings(
  source: ByteSource,
  header: DexHeader,
  offsets: Uint32Array,
  where: DexLocation,
  decode: { wants: ReadDexOptions['wants']; always: ReadonlyMap<number, unknown> },
  onString: (text: string, index: number) => void,
): Promise<void> {
  const { wants } = decode;
  // Looked up for every string: a flag per string id rather than a map.
  const always = new Uint8Array(offsets.length);
  for (const index of decode.always.keys()) always[index] = 1;
  const order = ascendingOrder(offsets);
  const end = header.fileSize;
  let window: Buffer = Buffer.alloc(0);
  let windowStart = 0;
  const load = async (offset: number, atLeast: number): Promise<void> => {
    windowStart = offset;
    window = await source.read(offset, Math.min(end - offset, Math.max(atLeast, STRING_WINDOW)));
  };
  let previousEnd = header.stringIds.offset + header.stringIds.size * 4;
  for (let position = 0; position < order.length; position++) {
    const index = order[position] as number;
    const offset = offsets[index] as number;
    const idField = header.stringIds.offset + index * 4;
    if (offset < previousEnd || offset >= end) {
      const why = offset >= end ? 'past the end of the file' : 'inside another string or the id tables';
      throw dexError(where, 'string_ids', `string ${index} starts at ${offset}, ${why}`, idField, `a string_data_item of its own below ${end}`);
    }
    if (offset + MAX_ULEB128_BYTES > windowStart + window.length && windowStart + window.length < end) await load(offset, MAX_ULEB128_BYTES);
    // Most strings are shorter than 128 characters: a one-byte length.
    const first = window[offset - windowStart] as number;
    const length = first < 0x80 ? { value: first, length: 1 } : readUleb128(window, offset - windowStart, window.length);
    if (length === null) throw dexError(where, 'string_data_item', `string ${index} has no valid length`, offset, 'a ULEB128 of at most 5 bytes');
    const dataStart = offset + length.length;
    // At most 3 bytes a code unit, then the terminating 0.
    const longest = Math.min(end, dataStart + length.value * 3 + 1);
    let terminator = window.indexOf(0, dataStart - windowStart);
    if ((terminator < 0 || terminator + windowStart >= longest) && windowStart + window.length < longest) {
      await load(offset, longest - offset);
      terminator = window.indexOf(0, dataStart - windowStart);
    }
    if (terminator < 0 || terminator + windowStart >= longest) {
      throw dexError(where, 'string_data_item', `string ${index} has no terminating 0 within the ${length.value * 3} bytes its ${length.value} characters may take`, dataStart, 'a 0 byte');
    }
    previousEnd = windowStart + terminator + 1;
    if (wants !== undefined && always[index] === 0 && !wants(window, dataStart - windowStart, terminator)) continue;
    let text: string;
    try {
      text = decodeMutf8(window, dataStart - windowStart, terminator, length.value);
    } catch (error) {
      if (!(error instanceof Mutf8Error)) throw error;
      throw dexError(where, 'string_data_item', `string ${index} is not valid MUTF-8: ${error.message}`, dataStart + error.at);
    }
    onString(text, index);
  }
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
