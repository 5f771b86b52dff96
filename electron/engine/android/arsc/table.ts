/**
 * resources.arsc (`ResTable` in AOSP ResourceTypes.h) → packages, types, configurations and
 * entries. Chunk headers are read up front (cheap); entries are decoded when asked for and cached.
 * Dense, 16-bit-offset (FLAG_OFFSET16) and sparse (FLAG_SPARSE) entry tables and compact entries
 * (FLAG_COMPACT) are all read.
 */
import { BinaryInput, type ChunkHeader, ChunkType, type DecodeLocation, hex } from '../axml/chunks.js';
import { type StringPool, readStringPool } from '../axml/stringPool.js';
import { type TypedValue, ValueType } from '../typedValue.js';
import { type ResourceConfig, readConfig } from './config.js';

export interface ResourceBagItem {
  /** The attribute (or special key such as 0x01000000 for `^type`) this item sets. */
  name: number;
  value: TypedValue;
}

export interface ResourceBag {
  /** Parent style/bag, 0 when none. */
  parent: number;
  items: ResourceBagItem[];
}

export interface ResourceEntry {
  /** Full resource ID 0xPPTTEEEE. */
  id: number;
  /** The entry's name (key), e.g. `def_cloud_messaging`. */
  key: string;
  /** `ResTable_entry.flags` (FLAG_COMPLEX 0x1, FLAG_PUBLIC 0x2, FLAG_WEAK 0x4, FLAG_COMPACT 0x8). */
  flags: number;
  /** A simple entry's value. */
  value?: TypedValue;
  /** A complex entry's (style, array, plurals, attr) parent and items. */
  bag?: ResourceBag;
  /** Offset of the entry in resources.arsc, for evidence and errors. */
  offset: number;
}

export const EntryFlag = { COMPLEX: 0x1, PUBLIC: 0x2, WEAK: 0x4, COMPACT: 0x8 } as const;
export const TypeFlag = { SPARSE: 0x1, OFFSET16: 0x2 } as const;

const NO_ENTRY_32 = 0xffffffff;
const NO_ENTRY_16 = 0xffff;
const TYPE_HEADER_FIXED = 20; // header(8) id flags reserved entryCount entriesStart
const PACKAGE_HEADER_MIN = 284;
const LIBRARY_ENTRY_SIZE = 260;
/** Bags with more items than fit in the chunk are corrupt; this bounds work on hostile input. */
const MAP_ITEM_SIZE = 12;

/** One `ResTable_type` chunk: the values of one type in one configuration. */
export class ResourceTypeChunk {
  readonly config: ResourceConfig;
  /** `ResTable_type.flags`: FLAG_SPARSE 0x01, FLAG_OFFSET16 0x02. */
  readonly flags: number;
  /** Number of entries in the offsets table (for sparse tables, the number of present entries). */
  readonly entryCount: number;
  private readonly offsetsStart: number;
  private readonly entriesStart: number;
  private readonly end: number;
  private readonly cache = new Map<number, ResourceEntry | null>();

  constructor(
    private readonly input: BinaryInput,
    readonly chunk: ChunkHeader,
    readonly packageId: number,
    readonly typeId: number,
    private readonly keys: StringPool,
    private readonly values: StringPool,
  ) {
    const structure = 'ResTable_type';
    const at = chunk.offset;
    this.end = at + chunk.size;
    if (chunk.headerSize < TYPE_HEADER_FIXED + 4) input.fail(`type header is ${chunk.headerSize} bytes`, structure, at, `at least ${TYPE_HEADER_FIXED + 4}`);
    this.flags = input.u8(at + 9);
    this.entryCount = input.u32(at + 12);
    const entriesStart = input.u32(at + 16);
    this.config = readConfig(input, at + TYPE_HEADER_FIXED, at + chunk.headerSize, `${structure} › ResTable_config`);
    this.offsetsStart = at + chunk.headerSize;
    const width = this.flags & TypeFlag.SPARSE ? 4 : this.flags & TypeFlag.OFFSET16 ? 2 : 4;
    input.need(this.offsetsStart, this.entryCount * width, `${structure} › entry offsets`, this.end);
    this.entriesStart = at + entriesStart;
    if (entriesStart < chunk.headerSize + this.entryCount * width || this.entriesStart > this.end) {
      input.fail(`entries start ${entriesStart} overlaps the offsets or lies outside the chunk`, structure, at + 16, `between ${chunk.headerSize + this.entryCount * width} and ${chunk.size}`);
    }
  }

  get sparse(): boolean {
    return (this.flags & TypeFlag.SPARSE) !== 0;
  }

  /** The entry with index `index` (the EEEE of the ID), or undefined when this config has none. */
  entry(index: number): ResourceEntry | undefined {
    const cached = this.cache.get(index);
    if (cached !== undefined) return cached ?? undefined;
    const relative = this.relativeOffset(index);
    const entry = relative === undefined ? null : this.readEntry(index, this.entriesStart + relative);
    this.cache.set(index, entry);
    return entry ?? undefined;
  }

  /** The entry indices that have a value in this configuration, ascending. */
  *indices(): Generator<number> {
    for (let i = 0; i < this.entryCount; i++) {
      if (this.sparse) {
        yield this.input.u16(this.offsetsStart + i * 4);
      } else if (this.relativeOffset(i) !== undefined) {
        yield i;
      }
    }
  }

  *entries(): Generator<ResourceEntry> {
    for (const index of this.indices()) {
      const entry = this.entry(index);
      if (entry) yield entry;
    }
  }

  private relativeOffset(index: number): number | undefined {
    const input = this.input;
    if (this.sparse) {
      // Sorted by index: binary search.
      let low = 0;
      let high = this.entryCount - 1;
      while (low <= high) {
        const middle = (low + high) >>> 1;
        const at = this.offsetsStart + middle * 4;
        const candidate = input.u16(at);
        if (candidate === index) return input.u16(at + 2) * 4;
        if (candidate < index) low = middle + 1;
        else high = middle - 1;
      }
      return undefined;
    }
    if (!Number.isInteger(index) || index < 0 || index >= this.entryCount) return undefined;
    if (this.flags & TypeFlag.OFFSET16) {
      const value = input.u16(this.offsetsStart + index * 2);
      return value === NO_ENTRY_16 ? undefined : value * 4;
    }
    const value = input.u32(this.offsetsStart + index * 4);
    return value === NO_ENTRY_32 ? undefined : value;
  }

  private readEntry(index: number, at: number): ResourceEntry {
    const input = this.input;
    const structure = `ResTable_entry ${hex(this.resourceId(index), 8)}`;
    input.need(at, 8, structure, this.end);
    const size = input.u16(at);
    const flags = input.u16(at + 2);
    const id = this.resourceId(index);
    if (flags & EntryFlag.COMPACT) {
      // Compact entry: u16 key, u16 flags (value type in the high byte), u32 data.
      const key = this.keys.get(input.u16(at), { offset: at, structure });
      return { id, key, flags, value: this.value(flags >>> 8, input.u32(at + 4), at + 4, structure), offset: at };
    }
    const key = this.keys.get(input.u32(at + 4), { offset: at + 4, structure });
    if (flags & EntryFlag.COMPLEX) {
      if (size < 16) input.fail(`map entry header is ${size} bytes`, structure, at, 'at least 16');
      input.need(at, size, structure, this.end);
      const parent = input.u32(at + 8);
      const count = input.u32(at + 12);
      const itemsAt = at + size;
      input.need(itemsAt, count * MAP_ITEM_SIZE, `${structure} › ResTable_map`, this.end);
      const items: ResourceBagItem[] = [];
      for (let i = 0; i < count; i++) {
        const item = itemsAt + i * MAP_ITEM_SIZE;
        items.push({ name: input.u32(item), value: this.value(input.u8(item + 7), input.u32(item + 8), item + 8, structure) });
      }
      return { id, key, flags, bag: { parent, items }, offset: at };
    }
    if (size < 8) input.fail(`entry header is ${size} bytes`, structure, at, 'at least 8');
    const valueAt = at + size;
    input.need(valueAt, 8, `${structure} › Res_value`, this.end);
    return { id, key, flags, value: this.value(input.u8(valueAt + 3), input.u32(valueAt + 4), valueAt + 4, structure), offset: at };
  }

  private value(type: number, data: number, dataOffset: number, structure: string): TypedValue {
    const value: TypedValue = { type, data };
    if (type === ValueType.STRING) value.string = this.values.get(data, { offset: dataOffset, structure: `${structure} › Res_value` });
    return value;
  }

  private resourceId(index: number): number {
    return ((this.packageId << 24) | (this.typeId << 16) | (index & 0xffff)) >>> 0;
  }
}

export interface ResourceType {
  /** Type ID (the TT of 0xPPTTEEEE), from 1. */
  id: number;
  /** `bool`, `string`, `xml`, `array`… */
  name: string;
  /** Per-entry configuration-change flags from the type spec (SPEC_PUBLIC 0x40000000 marks public). */
  specFlags: readonly number[];
  /** One chunk per configuration, in file order. */
  configs: ResourceTypeChunk[];
}

export interface SharedLibrary {
  packageId: number;
  packageName: string;
}

export interface ResourcePackage {
  id: number;
  name: string;
  typeNames: StringPool;
  keyNames: StringPool;
  /** Types by type ID. */
  types: Map<number, ResourceType>;
  /** Shared libraries this package refers to (`ResTable_lib_header`). */
  libraries: SharedLibrary[];
  offset: number;
}

export interface ResourceTable {
  /** The global value string pool. */
  strings: StringPool;
  packages: ResourcePackage[];
  where: DecodeLocation;
  /** For errors raised later by resolvers over this table. */
  input: BinaryInput;
}

/** Parses resources.arsc bytes. */
export function parseResourceTable(bytes: Buffer, where: DecodeLocation): ResourceTable {
  const input: BinaryInput = new BinaryInput(bytes, where);
  const top = input.chunkAt(0, input.size, 'ResTable_header');
  if (top.type !== ChunkType.TABLE) input.fail(`not a resource table: first chunk type is ${hex(top.type)}`, 'ResTable_header', 0, `chunk type ${hex(ChunkType.TABLE)}`);
  if (top.headerSize < 12) input.fail(`table header is ${top.headerSize} bytes`, 'ResTable_header', 0, 'at least 12');
  let strings: StringPool | undefined;
  const packages: ResourcePackage[] = [];
  const end = top.offset + top.size;
  for (const chunk of input.chunksIn(top.headerSize, end, 'ResTable chunk')) {
    if (chunk.type === ChunkType.STRING_POOL) {
      strings ??= readStringPool(input, chunk, 'global');
    } else if (chunk.type === ChunkType.TABLE_PACKAGE) {
      if (!strings) input.fail('package appears before the global string pool', 'ResTable_package', chunk.offset, 'the string pool first');
      packages.push(readPackage(input, chunk, strings));
    }
  }
  if (!strings) input.fail('resource table has no global string pool', 'ResTable_header', 0, 'a string pool chunk');
  return { strings, packages, where, input };
}

function readPackage(input: BinaryInput, chunk: ChunkHeader, values: StringPool): ResourcePackage {
  const structure = 'ResTable_package';
  const at = chunk.offset;
  const end = at + chunk.size;
  if (chunk.headerSize < PACKAGE_HEADER_MIN) input.fail(`package header is ${chunk.headerSize} bytes`, structure, at, `at least ${PACKAGE_HEADER_MIN}`);
  const id = input.u32(at + 8);
  if (id > 0xff) input.fail(`package id ${id} does not fit in 8 bits`, structure, at + 8, 'a package id below 0x100');
  const name = readFixedUtf16(input, at + 12, 128);
  const typeStringsOffset = input.u32(at + 268);
  const keyStringsOffset = input.u32(at + 276);
  const typeIdOffset = chunk.headerSize >= 288 ? input.u32(at + 284) : 0;
  const typeNames = readStringPool(input, input.chunkAt(at + typeStringsOffset, end, `${structure} › type strings`), 'type names');
  const keyNames = readStringPool(input, input.chunkAt(at + keyStringsOffset, end, `${structure} › key strings`), 'key names');
  const pkg: ResourcePackage = { id, name, typeNames, keyNames, types: new Map(), libraries: [], offset: at };

  const typeOf = (typeId: number, site: number, what: string): ResourceType => {
    if (typeId === 0) input.fail('type id 0 is invalid', what, site, 'a type id from 1');
    let type = pkg.types.get(typeId);
    if (!type) {
      const nameIndex = typeId - 1 - typeIdOffset;
      const typeName = nameIndex >= 0 && nameIndex < typeNames.count ? typeNames.get(nameIndex) : `type${typeId}`;
      type = { id: typeId, name: typeName, specFlags: [], configs: [] };
      pkg.types.set(typeId, type);
    }
    return type;
  };

  for (const child of input.chunksIn(at + chunk.headerSize, end, `${structure} chunk`)) {
    switch (child.type) {
      case ChunkType.TABLE_TYPE_SPEC: {
        const what = 'ResTable_typeSpec';
        input.need(child.offset, 16, what, child.offset + child.size);
        const type = typeOf(input.u8(child.offset + 8), child.offset + 8, what);
        const count = input.u32(child.offset + 12);
        const flagsAt = child.offset + child.headerSize;
        input.need(flagsAt, count * 4, `${what} › flags`, child.offset + child.size);
        const flags = new Array<number>(count);
        for (let i = 0; i < count; i++) flags[i] = input.u32(flagsAt + i * 4);
        type.specFlags = flags;
        break;
      }
      case ChunkType.TABLE_TYPE: {
        input.need(child.offset, TYPE_HEADER_FIXED, 'ResTable_type', child.offset + child.size);
        const type = typeOf(input.u8(child.offset + 8), child.offset + 8, 'ResTable_type');
        type.configs.push(new ResourceTypeChunk(input, child, id, type.id, keyNames, values));
        break;
      }
      case ChunkType.TABLE_LIBRARY: {
        const what = 'ResTable_lib_header';
        input.need(child.offset, 12, what, child.offset + child.size);
        const count = input.u32(child.offset + 8);
        const first = child.offset + child.headerSize;
        input.need(first, count * LIBRARY_ENTRY_SIZE, `${what} › entries`, child.offset + child.size);
        for (let i = 0; i < count; i++) {
          const entry = first + i * LIBRARY_ENTRY_SIZE;
          pkg.libraries.push({ packageId: input.u32(entry), packageName: readFixedUtf16(input, entry + 4, 128) });
        }
        break;
      }
      default:
        // String pools (read above by offset), overlayable and staged-alias chunks: not needed.
        break;
    }
  }
  return pkg;
}

/** A NUL-terminated UTF-16 string in a fixed-size field of `units` code units. */
function readFixedUtf16(input: BinaryInput, at: number, units: number): string {
  input.need(at, units * 2, 'fixed-size name');
  let length = 0;
  while (length < units && input.u16(at + length * 2) !== 0) length++;
  return input.bytes.toString('utf16le', at, at + length * 2);
}
