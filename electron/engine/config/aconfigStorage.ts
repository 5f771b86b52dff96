/**
 * The aconfig flag storage files a partition ships from Android 15 (`etc/aconfig/package.map`,
 * `flag.map`, `flag.val`, `flag.info`), as AOSP's build/tools/aconfig/aconfig_storage_file writes
 * them (versions 1 and 2), all little-endian. Each starts with a header: u32 version, the container
 * (u32 length + UTF-8), u8 file type (0 package map, 1 flag map, 2 flag value, 3 flag info), u32
 * file size, u32 count (packages or flags), then u32 offsets (package and flag maps: bucket and node
 * offset; value and info files: where the one-byte entries start).
 *
 * - package map nodes: name (u32 length + bytes), u32 package id, [v2: u64 fingerprint], u32 index
 *   of the package's first boolean flag, u32 next offset;
 * - flag map nodes: u32 package id, name, u16 stored type (0 read-write, 1 read-only, 2 fixed
 *   read-only), u16 index within the package, u32 next offset;
 * - flag values: one byte per flag, 1 enabled; flag info: one byte per flag (bit 1: read-write).
 *
 * The hash buckets are only for lookups on the device: the nodes are read in order.
 */
import type { FeatureFlag, FlagPermission } from '../../../shared/flags.js';
import type { Problem } from '../../../shared/model.js';
import { InputError } from '../errors.js';

export type StorageFileName = 'package.map' | 'flag.map' | 'flag.val' | 'flag.info';

const FILE_TYPES: Readonly<Record<StorageFileName, number>> = { 'package.map': 0, 'flag.map': 1, 'flag.val': 2, 'flag.info': 3 };
const SUPPORTED_VERSIONS = [1, 2];
const STORED_TYPES: readonly { permission: FlagPermission; fixed: boolean }[] = [
  { permission: 'read-write', fixed: false },
  { permission: 'read-only', fixed: false },
  { permission: 'read-only', fixed: true },
];
const IS_READ_WRITE = 1 << 1;

/** A little-endian cursor over one storage file; errors name the file and offset. */
class StorageCursor {
  position = 0;

  constructor(
    readonly bytes: Buffer,
    readonly path: string,
    readonly layer: string,
  ) {}

  fail(problem: string, at = this.position, expected?: string): never {
    throw new InputError(problem, { file: this.path, format: this.layer, offset: at, ...(expected === undefined ? {} : { expected }) });
  }

  private need(length: number): void {
    if (this.position + length > this.bytes.length) this.fail(`truncated: ${length} more bytes needed, ${this.bytes.length - this.position} left`);
  }

  u8(): number {
    this.need(1);
    return this.bytes.readUInt8(this.position++);
  }

  u16(): number {
    this.need(2);
    const value = this.bytes.readUInt16LE(this.position);
    this.position += 2;
    return value;
  }

  u32(): number {
    this.need(4);
    const value = this.bytes.readUInt32LE(this.position);
    this.position += 4;
    return value;
  }

  u64(): bigint {
    this.need(8);
    const value = this.bytes.readBigUInt64LE(this.position);
    this.position += 8;
    return value;
  }

  text(): string {
    const at = this.position;
    const length = this.u32();
    this.need(length);
    const slice = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    const text = slice.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(slice)) this.fail('a name that is not UTF-8', at);
    return text;
  }
}

interface Header {
  version: number;
  container: string;
  count: number;
  /** Bucket offset and node offset (maps) or the entries' offset (value and info files). */
  offsets: number[];
}

function readHeader(cursor: StorageCursor, file: StorageFileName): Header {
  const version = cursor.u32();
  if (!SUPPORTED_VERSIONS.includes(version)) cursor.fail(`storage file version ${version}`, 0, `version ${SUPPORTED_VERSIONS.join(' or ')}`);
  const container = cursor.text();
  const typeAt = cursor.position;
  const type = cursor.u8();
  if (type !== FILE_TYPES[file]) cursor.fail(`file type ${type}`, typeAt, `${FILE_TYPES[file]} (a ${file} file)`);
  const sizeAt = cursor.position;
  const size = cursor.u32();
  if (size !== cursor.bytes.length) cursor.fail(`the header says the file has ${size} bytes, it has ${cursor.bytes.length}`, sizeAt);
  const count = cursor.u32();
  const offsets = file === 'package.map' || file === 'flag.map' ? [cursor.u32(), cursor.u32()] : [cursor.u32()];
  for (const offset of offsets) if (offset < cursor.position || offset > cursor.bytes.length) cursor.fail(`offset ${offset} lies outside the file's body`, sizeAt);
  return { version, container, count, offsets };
}

interface PackageNode {
  name: string;
  firstFlag: number;
}

function readPackageMap(cursor: StorageCursor): { header: Header; packages: Map<number, PackageNode> } {
  const header = readHeader(cursor, 'package.map');
  cursor.position = header.offsets[1] ?? 0;
  const packages = new Map<number, PackageNode>();
  for (let index = 0; index < header.count; index++) {
    const at = cursor.position;
    const name = cursor.text();
    const id = cursor.u32();
    if (header.version >= 2) cursor.u64(); // fingerprint of the package's flag names
    const firstFlag = cursor.u32();
    cursor.u32(); // next node in the bucket
    if (packages.has(id)) cursor.fail(`package id ${id} given twice (${packages.get(id)?.name} and ${name})`, at);
    packages.set(id, { name, firstFlag });
  }
  return { header, packages };
}

interface FlagNode {
  packageId: number;
  name: string;
  storedType: number;
  index: number;
  at: number;
}

function readFlagMap(cursor: StorageCursor): { header: Header; flags: FlagNode[] } {
  const header = readHeader(cursor, 'flag.map');
  cursor.position = header.offsets[1] ?? 0;
  const flags: FlagNode[] = [];
  for (let index = 0; index < header.count; index++) {
    const at = cursor.position;
    const packageId = cursor.u32();
    const name = cursor.text();
    const storedType = cursor.u16();
    const flagIndex = cursor.u16();
    cursor.u32(); // next node in the bucket
    flags.push({ packageId, name, storedType, index: flagIndex, at });
  }
  return { header, flags };
}

function readBytes(cursor: StorageCursor, file: 'flag.val' | 'flag.info'): { header: Header; values: Buffer } {
  const header = readHeader(cursor, file);
  const start = header.offsets[0] ?? 0;
  if (start + header.count > cursor.bytes.length) cursor.fail(`${header.count} one-byte entries from offset ${start} run past the end`, start);
  return { header, values: cursor.bytes.subarray(start, start + header.count) };
}

export interface StorageFiles {
  /** The folder's device path, e.g. `/system/etc/aconfig`. */
  folder: string;
  files: Partial<Record<StorageFileName, Buffer>>;
}

export interface StorageFlags {
  flags: FeatureFlag[];
  problems: Problem[];
}

/**
 * The flags of one folder of storage files: package map + flag map + flag values (flag info only
 * confirms the read-write bit). A missing file of the three is a problem and no flag is read; a
 * malformed one throws InputError naming it; a flag whose package or value is missing is reported
 * and left out.
 */
export function parseAconfigStorage({ folder, files }: StorageFiles): StorageFlags {
  const problems: Problem[] = [];
  const pathOf = (name: StorageFileName) => `${folder}/${name}`;
  const missing = (['package.map', 'flag.map', 'flag.val'] as const).filter((name) => files[name] === undefined);
  if (missing.length > 0) return { flags: [], problems: [{ path: folder, message: `flag storage not read: ${missing.join(', ')} missing` }] };
  const cursor = (name: StorageFileName, bytes: Buffer) => new StorageCursor(bytes, pathOf(name), `aconfig ${name}`);
  const packageMap = readPackageMap(cursor('package.map', files['package.map'] as Buffer));
  const flagMap = readFlagMap(cursor('flag.map', files['flag.map'] as Buffer));
  const values = readBytes(cursor('flag.val', files['flag.val'] as Buffer), 'flag.val');
  const info = files['flag.info'] === undefined ? null : readBytes(cursor('flag.info', files['flag.info']), 'flag.info');
  const containers = new Set([packageMap.header.container, flagMap.header.container, values.header.container, ...(info === null ? [] : [info.header.container])]);
  if (containers.size > 1) problems.push({ path: folder, message: `the storage files name different containers (${[...containers].join(', ')})` });

  const flags: FeatureFlag[] = [];
  for (const node of flagMap.flags) {
    const owner = packageMap.packages.get(node.packageId);
    const where = `${pathOf('flag.map')} at offset ${node.at}`;
    if (owner === undefined) {
      problems.push({ path: pathOf('flag.map'), message: `flag ${node.name} (${where}) left out: package id ${node.packageId} is not in package.map` });
      continue;
    }
    const name = `${owner.name}.${node.name}`;
    const valueIndex = owner.firstFlag + node.index;
    const value = values.values[valueIndex];
    const stored = STORED_TYPES[node.storedType];
    if (value === undefined || value > 1 || stored === undefined) {
      const why = value === undefined ? `its value index ${valueIndex} is past the ${values.header.count} values of flag.val` : value > 1 ? `its value byte is ${value}, neither 0 nor 1` : `unknown stored type ${node.storedType}`;
      problems.push({ path: pathOf('flag.map'), message: `flag ${name} (${where}) left out: ${why}` });
      continue;
    }
    const infoByte = info?.values[valueIndex];
    if (infoByte !== undefined && ((infoByte & IS_READ_WRITE) !== 0) !== (stored.permission === 'read-write')) {
      problems.push({ path: pathOf('flag.info'), message: `flag ${name}: flag.info says ${(infoByte & IS_READ_WRITE) !== 0 ? 'read-write' : 'read-only'}, flag.map ${stored.permission}` });
    }
    const flag: FeatureFlag = {
      name,
      namespace: null,
      package: owner.name,
      state: value === 1 ? 'enabled' : 'disabled',
      permission: stored.permission,
      container: flagMap.header.container,
      source: 'aconfig-storage',
      file: pathOf('flag.val'),
    };
    if (stored.fixed) flag.fixedReadOnly = true;
    flags.push(flag);
  }
  return { flags, problems };
}
