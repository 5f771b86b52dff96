import { ProtobufReader, WIRE_BYTES, WIRE_VARINT } from '../../codecs/protobuf.js';

// Field numbers from AOSP system/update_engine/update_metadata.proto.

/** InstallOperation.Type. */
export const OperationType = {
  REPLACE: 0,
  REPLACE_BZ: 1,
  MOVE: 2,
  BSDIFF: 3,
  SOURCE_COPY: 4,
  SOURCE_BSDIFF: 5,
  ZERO: 6,
  DISCARD: 7,
  REPLACE_XZ: 8,
  PUFFDIFF: 9,
  BROTLI_BSDIFF: 10,
  ZUCCHINI: 11,
  LZ4DIFF_BSDIFF: 12,
  LZ4DIFF_PUFFDIFF: 13,
  ZSTD: 14,
} as const;

const TYPE_NAMES = new Map<number, string>(Object.entries(OperationType).map(([name, value]) => [value, name]));

export function operationTypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `unknown type ${type}`;
}

/** Operations that rebuild blocks from the previous build's partition (incremental payloads). */
const NEEDS_SOURCE = new Set<number>([
  OperationType.MOVE,
  OperationType.BSDIFF,
  OperationType.SOURCE_COPY,
  OperationType.SOURCE_BSDIFF,
  OperationType.PUFFDIFF,
  OperationType.BROTLI_BSDIFF,
  OperationType.ZUCCHINI,
  OperationType.LZ4DIFF_BSDIFF,
  OperationType.LZ4DIFF_PUFFDIFF,
]);

export function needsSourcePartition(type: number): boolean {
  return NEEDS_SOURCE.has(type);
}

export interface Extent {
  startBlock: number;
  numBlocks: number;
}

export interface InstallOperation {
  type: number;
  dataOffset: number;
  dataLength: number;
  srcExtents: Extent[];
  dstExtents: Extent[];
  /** Empty when the manifest gives none. */
  dataSha256: Buffer;
  /** Where the operation's message starts in the payload (for errors about it). */
  manifestOffset: number;
}

export interface PartitionInfo {
  size: number | undefined;
  /** Empty when absent. */
  hash: Buffer;
}

export interface PartitionUpdate {
  name: string;
  oldPartitionInfo: PartitionInfo | undefined;
  newPartitionInfo: PartitionInfo | undefined;
  operations: InstallOperation[];
  version: string | undefined;
}

export interface DeltaArchiveManifest {
  blockSize: number;
  minorVersion: number;
  signaturesOffset: number | undefined;
  signaturesSize: number | undefined;
  maxTimestamp: number | undefined;
  partialUpdate: boolean;
  partitions: PartitionUpdate[];
}

/** Decodes a serialized DeltaArchiveManifest; `base` is its offset in the payload (for errors). */
export function decodeManifest(bytes: Buffer, base: number): DeltaArchiveManifest {
  const reader = new ProtobufReader(bytes, 0, bytes.length, base);
  const manifest: DeltaArchiveManifest = {
    blockSize: 4096,
    minorVersion: 0,
    signaturesOffset: undefined,
    signaturesSize: undefined,
    maxTimestamp: undefined,
    partialUpdate: false,
    partitions: [],
  };
  for (let field = reader.next(); field !== undefined; field = reader.next()) {
    switch (field.number) {
      case 3:
        reader.expect(field, WIRE_VARINT);
        manifest.blockSize = reader.varint();
        break;
      case 4:
        reader.expect(field, WIRE_VARINT);
        manifest.signaturesOffset = reader.varint();
        break;
      case 5:
        reader.expect(field, WIRE_VARINT);
        manifest.signaturesSize = reader.varint();
        break;
      case 12:
        reader.expect(field, WIRE_VARINT);
        manifest.minorVersion = reader.varint();
        break;
      case 13:
        reader.expect(field, WIRE_BYTES);
        manifest.partitions.push(decodePartitionUpdate(reader.message()));
        break;
      case 14:
        reader.expect(field, WIRE_VARINT);
        manifest.maxTimestamp = reader.varint();
        break;
      case 16:
        reader.expect(field, WIRE_VARINT);
        manifest.partialUpdate = reader.varint() !== 0;
        break;
      default:
        reader.skip(field.wireType);
    }
  }
  return manifest;
}

function decodePartitionUpdate(reader: ProtobufReader): PartitionUpdate {
  const partition: PartitionUpdate = { name: '', oldPartitionInfo: undefined, newPartitionInfo: undefined, operations: [], version: undefined };
  for (let field = reader.next(); field !== undefined; field = reader.next()) {
    switch (field.number) {
      case 1:
        reader.expect(field, WIRE_BYTES);
        partition.name = reader.string();
        break;
      case 6:
        reader.expect(field, WIRE_BYTES);
        partition.oldPartitionInfo = decodePartitionInfo(reader.message());
        break;
      case 7:
        reader.expect(field, WIRE_BYTES);
        partition.newPartitionInfo = decodePartitionInfo(reader.message());
        break;
      case 8:
        reader.expect(field, WIRE_BYTES);
        partition.operations.push(decodeOperation(reader.message()));
        break;
      case 17:
        reader.expect(field, WIRE_BYTES);
        partition.version = reader.string();
        break;
      default:
        reader.skip(field.wireType);
    }
  }
  return partition;
}

function decodePartitionInfo(reader: ProtobufReader): PartitionInfo {
  const info: PartitionInfo = { size: undefined, hash: Buffer.alloc(0) };
  for (let field = reader.next(); field !== undefined; field = reader.next()) {
    if (field.number === 1) {
      reader.expect(field, WIRE_VARINT);
      info.size = reader.varint();
    } else if (field.number === 2) {
      reader.expect(field, WIRE_BYTES);
      info.hash = reader.bytesField().bytes;
    } else {
      reader.skip(field.wireType);
    }
  }
  return info;
}

function decodeOperation(reader: ProtobufReader): InstallOperation {
  const operation: InstallOperation = {
    type: -1,
    dataOffset: 0,
    dataLength: 0,
    srcExtents: [],
    dstExtents: [],
    dataSha256: Buffer.alloc(0),
    manifestOffset: reader.fileOffset,
  };
  for (let field = reader.next(); field !== undefined; field = reader.next()) {
    switch (field.number) {
      case 1:
        reader.expect(field, WIRE_VARINT);
        operation.type = reader.varint();
        break;
      case 2:
        reader.expect(field, WIRE_VARINT);
        operation.dataOffset = reader.varint();
        break;
      case 3:
        reader.expect(field, WIRE_VARINT);
        operation.dataLength = reader.varint();
        break;
      case 4:
        reader.expect(field, WIRE_BYTES);
        operation.srcExtents.push(decodeExtent(reader.message()));
        break;
      case 6:
        reader.expect(field, WIRE_BYTES);
        operation.dstExtents.push(decodeExtent(reader.message()));
        break;
      case 8:
        reader.expect(field, WIRE_BYTES);
        operation.dataSha256 = reader.bytesField().bytes;
        break;
      default:
        reader.skip(field.wireType);
    }
  }
  return operation;
}

function decodeExtent(reader: ProtobufReader): Extent {
  const extent: Extent = { startBlock: 0, numBlocks: 0 };
  for (let field = reader.next(); field !== undefined; field = reader.next()) {
    if (field.number === 1 || field.number === 2) {
      reader.expect(field, WIRE_VARINT);
      const value = reader.varint();
      if (field.number === 1) extent.startBlock = value;
      else extent.numBlocks = value;
    } else {
      reader.skip(field.wireType);
    }
  }
  return extent;
}
