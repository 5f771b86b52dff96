/**
 * VDEX (`oat/<arch>/<name>.vdex`, written by dex2oat when a build is preopted): where the DEX of
 * an app whose APK carries none may be. The layouts, from AOSP art/runtime/vdex_file.h and
 * vdex_file.cc of each release:
 *
 * - 006 (Android 8.0) and 010 (8.1): `magic[4] version[4] u32 number_of_dex_files, dex_size,
 *   verifier_deps_size, quickening_info_size`, the dex checksums (u32 each), then the DEX files
 *   back to back (each 4-byte aligned), `dex_size` bytes in all.
 * - 019 (Android 9) and 021 (10 and 11): `magic[4] verifier_deps_version[4]
 *   dex_section_version[4] u32 number_of_dex_files, verifier_deps_size` (+ 021:
 *   `bootclasspath_checksums_size, class_loader_context_size`), the checksums, then, unless the
 *   dex section version is `000` (empty), `DexSectionHeader { u32 dex_size, dex_shared_data_size,
 *   quickening_info_size }` and the DEX files, each preceded by a u32 quickening table offset and
 *   4-byte aligned, `dex_size` bytes in all.
 * - 027 (Android 12 and later): `magic[4] vdex_version[4] u32 number_of_sections` and section
 *   headers `{ u32 kind, offset, size }` (0 checksums, 1 dex files, 2 verifier deps, 3 type lookup
 *   tables). dex2oat writes the dex section empty: the DEX stays in the APK or jar.
 *
 * `readVdex` gives the DEX files inside as slices of the source, or says why there are none.
 */
import { InputError } from '../../errors.js';
import { SliceByteSource, type ByteSource } from '../../io/byteSource.js';
import { multidexName } from './dexFile.js';
import { DEX_HEADER_SIZE } from './dexHeader.js';

const MAGIC = 'vdex';
const DEX_FILE_SIZE_FIELD = 32;
/** More DEX files than this in one VDEX is no real build's. */
const MAX_DEX_FILES = 4096;
const QUICKENING_TABLE_OFFSET_SIZE = 4;
const SECTION_HEADER_SIZE = 12;
const DEX_FILE_SECTION = 1;
const CHECKSUM_SECTION = 0;

export interface VdexDex {
  /** `classes.dex`, `classes2.dex`…: the multidex name of the DEX the entry stands for. */
  name: string;
  source: ByteSource;
}

export interface VdexContents {
  /** The VDEX version, e.g. `021`. */
  version: string;
  dexFiles: VdexDex[];
  /** Why there are no DEX files, when there are none. */
  noDexReason?: string;
}

/** The DEX files inside a VDEX (slices of `source`, which stays open), or why it holds none. */
export async function readVdex(source: ByteSource, file: string): Promise<VdexContents> {
  const fail = (problem: string, offset: number, expected?: string): never => {
    throw new InputError(problem, { file, format: 'vdex', offset, ...(expected === undefined ? {} : { expected }) });
  };
  if (source.size < 12) fail(`truncated: ${source.size} bytes`, 0, 'at least a 12-byte header');
  const head = await source.read(0, Math.min(source.size, 28));
  if (head.toString('latin1', 0, 4) !== MAGIC) fail('not a VDEX file: wrong magic', 0, '"vdex"');
  if (head[7] !== 0) fail('the version is not a 3-digit string', 4);
  const version = head.toString('latin1', 4, 7);
  const u32 = (offset: number): number => {
    if (offset + 4 > head.length) fail('truncated header', offset);
    return head.readUInt32LE(offset);
  };
  switch (version) {
    case '006':
    case '010': {
      const count = checkedCount(u32(8), fail);
      const dexStart = 24 + count * 4;
      return { version, dexFiles: await dexFilesIn(source, file, { start: dexStart, size: u32(12), count, prefix: 0 }) };
    }
    case '019':
    case '021': {
      const headerSize = version === '019' ? 20 : 28;
      const count = checkedCount(u32(12), fail);
      const dexSectionVersion = head.toString('latin1', 8, 12);
      if (dexSectionVersion === '000\0') return { version, dexFiles: [], noDexReason: `the VDEX (version ${version}) has an empty dex section: dex2oat left the DEX out` };
      if (dexSectionVersion !== '002\0') fail(`unknown dex section version "${dexSectionVersion.replace(/\0/g, '\\0')}"`, 8, '002 or 000');
      const sectionHeader = headerSize + count * 4;
      if (sectionHeader + 12 > source.size) fail('truncated: no dex section header', sectionHeader);
      const dexSize = (await source.read(sectionHeader, 4)).readUInt32LE(0);
      return { version, dexFiles: await dexFilesIn(source, file, { start: sectionHeader + 12, size: dexSize, count, prefix: QUICKENING_TABLE_OFFSET_SIZE }) };
    }
    case '027': {
      const sectionCount = u32(8);
      if (sectionCount > 64 || 12 + sectionCount * SECTION_HEADER_SIZE > source.size) fail(`declares ${sectionCount} sections`, 8, 'a few, inside the file');
      const table = await source.read(12, sectionCount * SECTION_HEADER_SIZE);
      const section = (kind: number): { offset: number; size: number } | null => {
        for (let at = 0; at < table.length; at += SECTION_HEADER_SIZE) {
          if (table.readUInt32LE(at) === kind) return { offset: table.readUInt32LE(at + 4), size: table.readUInt32LE(at + 8) };
        }
        return null;
      };
      const checksums = section(CHECKSUM_SECTION);
      const dex = section(DEX_FILE_SECTION);
      if (dex === null || dex.size === 0) {
        return { version, dexFiles: [], noDexReason: 'the VDEX is version 027 (Android 12 and later), which holds no DEX, only what the verifier checked' };
      }
      const count = checkedCount(Math.floor((checksums?.size ?? 0) / 4), fail);
      return { version, dexFiles: await dexFilesIn(source, file, { start: dex.offset, size: dex.size, count, prefix: 0 }) };
    }
    default:
      return { version, dexFiles: [], noDexReason: `VDEX version ${version} is not one OTA Lens reads (006, 010, 019, 021 and 027 are)` };
  }
}

function checkedCount(count: number, fail: (problem: string, offset: number, expected?: string) => never): number {
  if (count > MAX_DEX_FILES) fail(`declares ${count} DEX files`, 8, `at most ${MAX_DEX_FILES}`);
  return count;
}

/**
 * The DEX files of a dex section: `count` of them from `start`, each after `prefix` bytes (the
 * quickening table offset of 019/021), each `file_size` long per its header, the next 4-byte
 * aligned, all within `size` bytes (and the source).
 */
async function dexFilesIn(source: ByteSource, file: string, layout: { start: number; size: number; count: number; prefix: number }): Promise<VdexDex[]> {
  const end = layout.start + layout.size;
  const fail = (problem: string, offset: number, expected?: string): never => {
    throw new InputError(problem, { file, format: 'vdex › dex section', offset, ...(expected === undefined ? {} : { expected }) });
  };
  if (end > source.size) fail(`the dex section (${layout.size} bytes at ${layout.start}) runs past the end of the file`, layout.start, `within ${source.size} bytes`);
  const dexFiles: VdexDex[] = [];
  let cursor = layout.start;
  for (let index = 0; index < layout.count; index++) {
    const dexStart = cursor + layout.prefix;
    if (dexStart + DEX_HEADER_SIZE > end) fail(`DEX ${index + 1} of ${layout.count} would start at ${dexStart}, too near the end of the dex section`, dexStart, `a DEX header before ${end}`);
    const fileSize = (await source.read(dexStart + DEX_FILE_SIZE_FIELD, 4)).readUInt32LE(0);
    if (fileSize < DEX_HEADER_SIZE || dexStart + fileSize > end) fail(`DEX ${index + 1} says it is ${fileSize} bytes, which do not fit in the dex section`, dexStart + DEX_FILE_SIZE_FIELD, `at most ${end - dexStart}`);
    dexFiles.push({ name: multidexName(index), source: new SliceByteSource(`${source.name} › ${multidexName(index)}`, source, dexStart, fileSize) });
    cursor = alignUp(dexStart + fileSize, 4);
  }
  if (layout.count > 0 && cursor !== alignUp(end, 4)) fail(`the ${layout.count} DEX files end at ${cursor}, not where the dex section does (${end})`, cursor, String(end));
  return dexFiles;
}

const alignUp = (value: number, alignment: number): number => Math.ceil(value / alignment) * alignment;
