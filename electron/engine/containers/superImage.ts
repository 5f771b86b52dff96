import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import type { ByteSource } from '../io/byteSource.js';
import { isSparseImage, MappedByteSource, openSparseImage, type Segment } from './sparse.js';
import type { PartitionImage } from './types.js';

// Layout and structures from AOSP system/core/fs_mgr/liblp/include/liblp/metadata_format.h.
const GEOMETRY_MAGIC = 0x616c4467;
const HEADER_MAGIC = 0x414c5030;
const RESERVED_BYTES = 4096;
const GEOMETRY_SIZE = 4096;
const GEOMETRY_STRUCT_SIZE = 52;
const MAJOR_VERSION = 10;
const MAX_MINOR_VERSION = 2;
const HEADER_V1_0_SIZE = 128;
const HEADER_V1_2_SIZE = 256;
const SECTOR = 512;
const PARTITION_ENTRY_SIZE = 52;
const EXTENT_ENTRY_SIZE = 24;
const GROUP_ENTRY_SIZE = 48;
const BLOCK_DEVICE_ENTRY_SIZE = 64;
const TARGET_LINEAR = 0;
const TARGET_ZERO = 1;
const ATTR_DISABLED = 1 << 3;
/** liblp refuses metadata larger than this; anything bigger is a corrupt geometry. */
const MAX_METADATA_SIZE = 16 << 20;

export interface SuperGeometry {
  metadataMaxSize: number;
  metadataSlotCount: number;
  logicalBlockSize: number;
}

export interface SuperExtent {
  /** Bytes. */
  size: number;
  /** `linear` maps onto `offset` of the block device `device`; `zero` reads as zeros. */
  kind: 'linear' | 'zero';
  offset: number;
  device: number;
}

export interface LogicalPartition {
  /** As stored, with its slot suffix, e.g. `system_a`. */
  fullName: string;
  attributes: number;
  group: string;
  extents: SuperExtent[];
  size: number;
}

export interface SuperMetadata {
  geometry: SuperGeometry;
  majorVersion: number;
  minorVersion: number;
  headerFlags: number;
  partitions: LogicalPartition[];
  groups: { name: string; maximumSize: number }[];
  blockDevices: { name: string; firstLogicalSector: number; size: number }[];
}

export interface SuperPartitionImage extends PartitionImage {
  /** Name in the metadata, e.g. `system_a`. */
  fullName: string;
  slotSuffix: '_a' | '_b' | '';
}

export interface OpenedSuperImage {
  partitions: SuperPartitionImage[];
  /**
   * The slot whose partitions were chosen: `a` or `b` when every chosen partition carries that
   * suffix, `none` for unsuffixed names (non-A/B devices), `mixed` otherwise.
   */
  slot: 'a' | 'b' | 'none' | 'mixed';
  metadata: SuperMetadata;
}

/**
 * Reads a super.img (dynamic partitions, liblp): the geometry (at 4096, or its backup at 8192),
 * slot 0's metadata (or its backup) with their SHA-256 checksums, and maps each logical partition's
 * extents onto `source`. Slot suffixes are dropped (`system_a` → `system`); when both slots hold a
 * partition, `_a` wins; empty partitions (the other slot's, in a freshly built super.img) and
 * disabled ones are left out. A sparse super.img is read through its chunk map. The partitions read
 * from `image`, which stays open until the caller closes it.
 */
export async function openSuperImage(image: ByteSource): Promise<OpenedSuperImage> {
  // Factory images ship super.img sparse; read it through the sparse map.
  const source = (await isSparseImage(image)) ? await openSparseImage(image) : image;
  const metadata = await readSuperMetadata(source);
  const chosen = choosePartitions(metadata.partitions);
  for (const partition of chosen) checkExtentsFit(source, partition);
  const partitions = chosen.map((partition): SuperPartitionImage => {
    const { name, slotSuffix } = splitSlotSuffix(partition.fullName);
    return { name, fullName: partition.fullName, slotSuffix, size: partition.size, open: async () => partitionSource(source, partition) };
  });
  const suffixes = new Set(partitions.map((partition) => partition.slotSuffix));
  const slot = suffixes.size > 1 ? 'mixed' : suffixes.has('_a') ? 'a' : suffixes.has('_b') ? 'b' : 'none';
  return { partitions, slot, metadata };
}

export async function isSuperImage(source: ByteSource): Promise<boolean> {
  if (source.size < RESERVED_BYTES + GEOMETRY_SIZE) return false;
  return (await source.read(RESERVED_BYTES, 4)).readUInt32LE(0) === GEOMETRY_MAGIC;
}

export async function readSuperMetadata(source: ByteSource): Promise<SuperMetadata> {
  const geometry = await readGeometry(source);
  const primary = RESERVED_BYTES + 2 * GEOMETRY_SIZE;
  const backup = primary + geometry.metadataMaxSize * geometry.metadataSlotCount;
  try {
    return await readMetadata(source, geometry, primary);
  } catch (primaryError) {
    if (!(primaryError instanceof InputError)) throw primaryError;
    try {
      return await readMetadata(source, geometry, backup);
    } catch {
      throw primaryError;
    }
  }
}

async function readGeometry(source: ByteSource): Promise<SuperGeometry> {
  let firstError: InputError | undefined;
  for (const offset of [RESERVED_BYTES, RESERVED_BYTES + GEOMETRY_SIZE]) {
    try {
      return await readGeometryAt(source, offset);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      firstError ??= error;
    }
  }
  throw firstError as InputError;
}

async function readGeometryAt(source: ByteSource, offset: number): Promise<SuperGeometry> {
  const fail = (problem: string, at: number, expected?: string): never => {
    throw new InputError(problem, { file: source.name, format: 'super.img › geometry', offset: offset + at, expected });
  };
  if (offset + GEOMETRY_SIZE > source.size) fail('the file ends before the geometry block', 0, `${offset + GEOMETRY_SIZE} bytes`);
  const block = await source.read(offset, GEOMETRY_SIZE);
  if (block.readUInt32LE(0) !== GEOMETRY_MAGIC) fail('not a super.img (no liblp geometry)', 0, 'magic 0x616c4467');
  const structSize = block.readUInt32LE(4);
  if (structSize < GEOMETRY_STRUCT_SIZE || structSize > GEOMETRY_SIZE) fail(`geometry size ${structSize} is impossible`, 4, `${GEOMETRY_STRUCT_SIZE} to ${GEOMETRY_SIZE}`);
  const struct = Buffer.from(block.subarray(0, structSize));
  const stored = Buffer.from(struct.subarray(8, 40));
  struct.fill(0, 8, 40);
  if (!createHash('sha256').update(struct).digest().equals(stored)) fail('geometry checksum mismatch', 8, 'SHA-256 of the geometry');
  const geometry: SuperGeometry = {
    metadataMaxSize: block.readUInt32LE(40),
    metadataSlotCount: block.readUInt32LE(44),
    logicalBlockSize: block.readUInt32LE(48),
  };
  if (geometry.metadataMaxSize < HEADER_V1_0_SIZE || geometry.metadataMaxSize % SECTOR !== 0 || geometry.metadataMaxSize > MAX_METADATA_SIZE) {
    fail(`metadata_max_size ${geometry.metadataMaxSize} is impossible`, 40, `a multiple of 512 up to ${MAX_METADATA_SIZE}`);
  }
  if (geometry.metadataSlotCount < 1 || geometry.metadataSlotCount > 64) fail(`metadata slot count ${geometry.metadataSlotCount} is impossible`, 44);
  if (geometry.logicalBlockSize === 0 || geometry.logicalBlockSize % SECTOR !== 0) fail(`logical block size ${geometry.logicalBlockSize} is not a multiple of 512`, 48);
  return geometry;
}

/**
 * The layout of a super_empty.img (what `lpmake` writes for fastboot to create the partitions):
 * the geometry at offset 0 and the metadata right after it, without the reserved area, the backup
 * copies or any partition data.
 */
export async function readEmptySuperMetadata(source: ByteSource): Promise<SuperMetadata> {
  const geometry = await readGeometryAt(source, 0);
  return readMetadata(source, geometry, GEOMETRY_SIZE, { unpadded: true });
}

/** Whether the file starts with a liblp geometry: a super_empty.img (a full super.img has 4 KiB of zeros first). */
export async function isEmptySuperImage(source: ByteSource): Promise<boolean> {
  if (source.size < GEOMETRY_SIZE + HEADER_V1_0_SIZE) return false;
  return (await source.read(0, 4)).readUInt32LE(0) === GEOMETRY_MAGIC;
}

async function readMetadata(source: ByteSource, geometry: SuperGeometry, offset: number, options: { unpadded?: boolean } = {}): Promise<SuperMetadata> {
  const fail = (problem: string, at: number, expected?: string): never => {
    throw new InputError(problem, { file: source.name, format: 'super.img › metadata', offset: offset + at, expected });
  };
  // super_empty.img stops right after the tables; a super.img keeps the whole metadata_max_size.
  const areaSize = options.unpadded === true ? Math.min(geometry.metadataMaxSize, source.size - offset) : geometry.metadataMaxSize;
  if (offset + areaSize > source.size || areaSize < HEADER_V1_0_SIZE) fail('the file ends inside the metadata', 0, `${offset + geometry.metadataMaxSize} bytes`);
  const area = await source.read(offset, areaSize);
  if (area.readUInt32LE(0) !== HEADER_MAGIC) fail('no metadata header', 0, 'magic 0x414c5030');
  const majorVersion = area.readUInt16LE(4);
  const minorVersion = area.readUInt16LE(6);
  if (majorVersion !== MAJOR_VERSION || minorVersion > MAX_MINOR_VERSION) {
    fail(`unsupported metadata version ${majorVersion}.${minorVersion}`, 4, `${MAJOR_VERSION}.0 to ${MAJOR_VERSION}.${MAX_MINOR_VERSION}`);
  }
  const headerSize = area.readUInt32LE(8);
  const expectedHeaderSize = minorVersion >= 2 ? HEADER_V1_2_SIZE : HEADER_V1_0_SIZE;
  if (headerSize !== expectedHeaderSize) fail(`header size ${headerSize} does not match version ${majorVersion}.${minorVersion}`, 8, `${expectedHeaderSize}`);
  const header = Buffer.from(area.subarray(0, headerSize));
  const storedHeaderSum = Buffer.from(header.subarray(12, 44));
  header.fill(0, 12, 44);
  if (!createHash('sha256').update(header).digest().equals(storedHeaderSum)) fail('metadata header checksum mismatch', 12, 'SHA-256 of the header');
  const tablesSize = area.readUInt32LE(44);
  if (tablesSize > geometry.metadataMaxSize - headerSize) fail(`tables size ${tablesSize} exceeds metadata_max_size`, 44);
  if (headerSize + tablesSize > area.length) fail('the file ends inside the metadata tables', area.length, `${headerSize + tablesSize} bytes of metadata`);
  const tables = area.subarray(headerSize, headerSize + tablesSize);
  if (!createHash('sha256').update(tables).digest().equals(area.subarray(48, 80))) fail('metadata tables checksum mismatch', 48, 'SHA-256 of the tables');

  const table = (index: number, name: string, minimumEntrySize: number): Buffer[] => {
    const at = 80 + index * 12;
    const tableOffset = area.readUInt32LE(at);
    const count = area.readUInt32LE(at + 4);
    const entrySize = area.readUInt32LE(at + 8);
    if (count > 0 && entrySize < minimumEntrySize) fail(`${name} entries of ${entrySize} bytes are too small`, at + 8, `${minimumEntrySize} bytes`);
    if (tableOffset + count * entrySize > tablesSize) fail(`${name} table runs past the tables area`, at);
    return Array.from({ length: count }, (_, entry) => tables.subarray(tableOffset + entry * entrySize, tableOffset + (entry + 1) * entrySize));
  };
  const partitionEntries = table(0, 'partition', PARTITION_ENTRY_SIZE);
  const extentEntries = table(1, 'extent', EXTENT_ENTRY_SIZE);
  const groupEntries = table(2, 'group', GROUP_ENTRY_SIZE);
  const deviceEntries = table(3, 'block device', BLOCK_DEVICE_ENTRY_SIZE);

  const groups = groupEntries.map((entry) => ({ name: cString(entry.subarray(0, 36)), maximumSize: readU64(entry, 40) }));
  const blockDevices = deviceEntries.map((entry) => ({ name: cString(entry.subarray(24, 60)), firstLogicalSector: readU64(entry, 0), size: readU64(entry, 16) }));
  const extents = extentEntries.map((entry, index): SuperExtent => {
    const sectors = readU64(entry, 0);
    const type = entry.readUInt32LE(8);
    const data = readU64(entry, 12);
    if (type !== TARGET_LINEAR && type !== TARGET_ZERO) fail(`extent ${index} has unknown target type ${type}`, headerSize);
    const size = sectors * SECTOR;
    const start = data * SECTOR;
    if (!Number.isSafeInteger(size) || !Number.isSafeInteger(start)) fail(`extent ${index} is impossibly large`, headerSize);
    return { size, kind: type === TARGET_LINEAR ? 'linear' : 'zero', offset: start, device: entry.readUInt32LE(20) };
  });
  const partitions = partitionEntries.map((entry, index): LogicalPartition => {
    const first = entry.readUInt32LE(40);
    const count = entry.readUInt32LE(44);
    const groupIndex = entry.readUInt32LE(48);
    const fullName = cString(entry.subarray(0, 36));
    if (first + count > extents.length) fail(`partition ${index} (${fullName}) refers to extents past the extent table`, headerSize);
    const own = extents.slice(first, first + count);
    return {
      fullName,
      attributes: entry.readUInt32LE(36),
      group: groups[groupIndex]?.name ?? '',
      extents: own,
      size: own.reduce((sum, extent) => sum + extent.size, 0),
    };
  });
  return {
    geometry,
    majorVersion,
    minorVersion,
    headerFlags: headerSize >= HEADER_V1_2_SIZE ? area.readUInt32LE(128) : 0,
    partitions,
    groups,
    blockDevices,
  };
}

function choosePartitions(partitions: LogicalPartition[]): LogicalPartition[] {
  const preference = { _a: 0, '': 1, _b: 2 } as const;
  const byName = new Map<string, LogicalPartition>();
  for (const partition of partitions) {
    if (partition.size === 0 || (partition.attributes & ATTR_DISABLED) !== 0) continue;
    const { name, slotSuffix } = splitSlotSuffix(partition.fullName);
    const current = byName.get(name);
    if (current === undefined || preference[slotSuffix] < preference[splitSlotSuffix(current.fullName).slotSuffix]) byName.set(name, partition);
  }
  return [...byName.values()];
}

function splitSlotSuffix(fullName: string): { name: string; slotSuffix: '_a' | '_b' | '' } {
  const match = /^(.+)(_a|_b)$/.exec(fullName);
  return match === null ? { name: fullName, slotSuffix: '' } : { name: match[1] as string, slotSuffix: match[2] as '_a' | '_b' };
}

function checkExtentsFit(source: ByteSource, partition: LogicalPartition): void {
  for (const [index, extent] of partition.extents.entries()) {
    if (extent.kind !== 'linear') continue;
    const where = { file: source.name, format: `super.img › ${partition.fullName} › extent ${index}`, offset: extent.offset };
    if (extent.device !== 0) {
      throw new InputError(`the extent lies on block device ${extent.device}, which is not in this image (a retrofit super partition?)`, where);
    }
    if (extent.offset + extent.size > source.size) {
      throw new InputError(`the extent runs past the end of the image (${extent.offset + extent.size} > ${source.size}); truncated or still sparse?`, {
        ...where,
        expected: `${extent.offset + extent.size} bytes`,
      });
    }
  }
}

function partitionSource(source: ByteSource, partition: LogicalPartition): ByteSource {
  const segments: Segment[] = [];
  let start = 0;
  for (const extent of partition.extents) {
    if (extent.kind === 'linear') segments.push({ kind: 'copy', start, length: extent.size, from: extent.offset });
    start += extent.size;
  }
  return new MappedByteSource(`${source.name} › ${partition.fullName}`, partition.size, source, segments, `super.img › ${partition.fullName}`);
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('latin1');
}

function readU64(bytes: Buffer, offset: number): number {
  const value = bytes.readBigUInt64LE(offset);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(value);
}
