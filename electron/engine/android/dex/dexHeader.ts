/**
 * The DEX header and map list (AOSP "Dalvik Executable format": `header_item`, `map_list`), checked
 * before anything else is read: magic and version, endianness, sizes that fit the file, sections
 * inside it and aligned, and a map that agrees with the header. Every failure is an InputError
 * naming the DEX, the structure and the offset.
 */
import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byteSource.js';

export const DEX_HEADER_SIZE = 0x70;
/** Version 041 (Android 15) adds `container_size` and `header_offset`. */
const CONTAINER_HEADER_SIZE = 0x78;
const ENDIAN_CONSTANT = 0x12345678;
const REVERSE_ENDIAN_CONSTANT = 0x78563412;
const DEX_MAGIC = Buffer.from('dex\n', 'latin1');
const COMPACT_DEX_MAGIC = Buffer.from('cdex', 'latin1');
const VERSIONS = new Set(['035', '037', '038', '039', '040', '041']);
/** type_ids are indexed by 16-bit values everywhere else in the format. */
const MAX_TYPE_IDS = 65536;
const MAP_ITEM_SIZE = 12;

/** Where a DEX sits, for messages: the APK (or device path) and the DEX's name inside it. */
export interface DexLocation {
  file: string;
  /** `classes2.dex`, `/system/app/X/oat/arm64/X.vdex!/classes.dex`… */
  dex: string;
}

export interface DexSection {
  size: number;
  offset: number;
}

export interface DexHeader {
  /** `035` … `041`. */
  version: string;
  fileSize: number;
  mapOffset: number;
  stringIds: DexSection;
  typeIds: DexSection;
  protoIds: DexSection;
  fieldIds: DexSection;
  methodIds: DexSection;
  classDefs: DexSection;
  data: DexSection;
}

/** map_list item types the header also describes: type code → the header's section and item size. */
const HEADER_SECTIONS: readonly { type: number; name: string; key: 'stringIds' | 'typeIds' | 'protoIds' | 'fieldIds' | 'methodIds' | 'classDefs'; itemSize: number }[] = [
  { type: 0x0001, name: 'string_ids', key: 'stringIds', itemSize: 4 },
  { type: 0x0002, name: 'type_ids', key: 'typeIds', itemSize: 4 },
  { type: 0x0003, name: 'proto_ids', key: 'protoIds', itemSize: 12 },
  { type: 0x0004, name: 'field_ids', key: 'fieldIds', itemSize: 8 },
  { type: 0x0005, name: 'method_ids', key: 'methodIds', itemSize: 8 },
  { type: 0x0006, name: 'class_defs', key: 'classDefs', itemSize: 32 },
];
const TYPE_HEADER_ITEM = 0x0000;
const TYPE_MAP_LIST = 0x1000;
export const TYPE_STRING_DATA_ITEM = 0x2002;

export function dexError(where: DexLocation, structure: string, problem: string, offset?: number, expected?: string): InputError {
  return new InputError(problem, { file: where.file, format: `dex › ${where.dex} › ${structure}`, ...(offset === undefined ? {} : { offset }), ...(expected === undefined ? {} : { expected }) });
}

/** Whether the bytes start like a DEX file (any version). */
export function looksLikeDex(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.subarray(0, 4).equals(DEX_MAGIC);
}

/** Reads and checks the header of the DEX in `source`. */
export async function readDexHeader(source: ByteSource, where: DexLocation): Promise<DexHeader> {
  if (source.size < DEX_HEADER_SIZE) throw dexError(where, 'header', `truncated: ${source.size} bytes, less than the ${DEX_HEADER_SIZE}-byte header`, 0, `at least ${DEX_HEADER_SIZE} bytes`);
  const bytes = await source.read(0, Math.min(CONTAINER_HEADER_SIZE, source.size));
  const fail = (problem: string, offset: number, expected?: string): never => {
    throw dexError(where, 'header', problem, offset, expected);
  };
  if (bytes.subarray(0, 4).equals(COMPACT_DEX_MAGIC)) fail('a compact DEX (ART\'s cdex, written by dex2oat): not read', 0, 'dex\\n');
  if (!looksLikeDex(bytes)) fail('not a DEX file: wrong magic', 0, 'dex\\n');
  const version = bytes.toString('latin1', 4, 7);
  if (!VERSIONS.has(version) || bytes[7] !== 0) fail(`unknown DEX version "${bytes.toString('latin1', 4, 8).replace(/\0/g, '\\0')}"`, 4, `one of ${[...VERSIONS].join(', ')}`);
  const u32 = (offset: number): number => bytes.readUInt32LE(offset);
  const endian = u32(40);
  if (endian === REVERSE_ENDIAN_CONSTANT) fail('a big-endian DEX (reverse endian tag): not read', 40, `0x${ENDIAN_CONSTANT.toString(16)}`);
  if (endian !== ENDIAN_CONSTANT) fail(`endian tag is 0x${endian.toString(16)}`, 40, `0x${ENDIAN_CONSTANT.toString(16)}`);
  const headerSize = u32(36);
  const wantedHeader = version === '041' ? CONTAINER_HEADER_SIZE : DEX_HEADER_SIZE;
  if (headerSize !== wantedHeader) fail(`header_size is ${headerSize}`, 36, String(wantedHeader));
  const fileSize = u32(32);
  if (fileSize < headerSize) fail(`file_size ${fileSize} is smaller than the header`, 32, `at least ${headerSize}`);
  if (fileSize > source.size) fail(`truncated: file_size says ${fileSize} bytes, only ${source.size} are there`, 32, `${fileSize} bytes`);
  if (version === '041') {
    const containerSize = u32(0x70);
    const headerOffset = u32(0x74);
    if (headerOffset !== 0 || containerSize !== fileSize) {
      fail(`a DEX container (version 041) holding several DEX files (container_size ${containerSize}, header_offset ${headerOffset}): not read`, 0x70, 'a container of one DEX');
    }
  }
  const section = (offset: number): DexSection => ({ size: u32(offset), offset: u32(offset + 4) });
  const header: DexHeader = {
    version,
    fileSize,
    mapOffset: u32(52),
    stringIds: section(56),
    typeIds: section(64),
    protoIds: section(72),
    fieldIds: section(80),
    methodIds: section(88),
    classDefs: section(96),
    data: section(104),
  };
  if (header.typeIds.size > MAX_TYPE_IDS) fail(`type_ids_size is ${header.typeIds.size}`, 64, `at most ${MAX_TYPE_IDS}`);
  for (const { name, key, itemSize } of HEADER_SECTIONS) {
    const { size, offset } = header[key];
    const field = 56 + HEADER_SECTIONS.findIndex((entry) => entry.key === key) * 8;
    if (size === 0) continue;
    if (offset % 4 !== 0) fail(`${name}_off ${offset} is not 4-byte aligned`, field + 4);
    if (offset < headerSize || offset + size * itemSize > fileSize) {
      fail(`${name} (${size} items of ${itemSize} bytes at ${offset}) do not fit in the file`, field, `within ${headerSize}…${fileSize}`);
    }
  }
  if (header.data.offset + header.data.size > fileSize) fail(`the data section (${header.data.size} bytes at ${header.data.offset}) runs past the end of the file`, 104, `within ${fileSize} bytes`);
  if (header.mapOffset % 4 !== 0 || header.mapOffset < headerSize || header.mapOffset + 4 > fileSize) {
    fail(`map_off ${header.mapOffset} is not a 4-byte aligned offset inside the file`, 52, `within ${headerSize}…${fileSize - 4}`);
  }
  return header;
}

/**
 * Checks the map list against the header: one header item at 0, the id sections where and as
 * large as the header says, the map itself at map_off, as many string data items as string ids,
 * items in ascending offset order inside the file, each type listed once.
 */
export async function checkDexMap(source: ByteSource, header: DexHeader, where: DexLocation): Promise<void> {
  const fail = (problem: string, offset: number, expected?: string): never => {
    throw dexError(where, 'map_list', problem, offset, expected);
  };
  const count = (await source.read(header.mapOffset, 4)).readUInt32LE(0);
  if (count * MAP_ITEM_SIZE > header.fileSize - header.mapOffset - 4) fail(`declares ${count} items, more than fit in the file`, header.mapOffset, `at most ${Math.floor((header.fileSize - header.mapOffset - 4) / MAP_ITEM_SIZE)}`);
  const items = await source.read(header.mapOffset + 4, count * MAP_ITEM_SIZE);
  const seen = new Map<number, { size: number; offset: number }>();
  let previousOffset = -1;
  for (let index = 0; index < count; index++) {
    const at = index * MAP_ITEM_SIZE;
    const itemOffset = header.mapOffset + 4 + at;
    const type = items.readUInt16LE(at);
    const size = items.readUInt32LE(at + 4);
    const offset = items.readUInt32LE(at + 8);
    if (seen.has(type)) fail(`type 0x${type.toString(16).padStart(4, '0')} is listed twice`, itemOffset);
    if (offset >= header.fileSize) fail(`item of type 0x${type.toString(16).padStart(4, '0')} starts at ${offset}, past the end of the file`, itemOffset + 8, `below ${header.fileSize}`);
    if (offset <= previousOffset) fail(`items are not in ascending offset order (${offset} after ${previousOffset})`, itemOffset + 8);
    previousOffset = offset;
    seen.set(type, { size, offset });
  }
  const expect = (type: number, name: string, size: number, offset: number): void => {
    const item = seen.get(type);
    if (size === 0 && item === undefined) return;
    if (item === undefined) fail(`has no ${name} entry, though the header declares ${size} at ${offset}`, header.mapOffset);
    else if (item.size !== size || item.offset !== offset) fail(`says ${name} is ${item.size} items at ${item.offset}, the header ${size} at ${offset}`, header.mapOffset, 'the same as the header');
  };
  expect(TYPE_HEADER_ITEM, 'header_item', 1, 0);
  expect(TYPE_MAP_LIST, 'map_list', 1, header.mapOffset);
  for (const { type, name, key } of HEADER_SECTIONS) expect(type, name, header[key].size, header[key].offset);
  const stringData = seen.get(TYPE_STRING_DATA_ITEM);
  if ((stringData?.size ?? 0) !== header.stringIds.size) fail(`lists ${stringData?.size ?? 0} string data items for ${header.stringIds.size} string ids`, header.mapOffset, String(header.stringIds.size));
}
