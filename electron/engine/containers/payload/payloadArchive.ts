import { createHash } from 'node:crypto';
import { InputError, UnsupportedFormatError } from '../../errors.js';
import { readChunks, type ByteSource } from '../../io/byteSource.js';
import type { PartitionImage } from '../types.js';
import { decodeManifest, needsSourcePartition, type DeltaArchiveManifest, type PartitionUpdate } from './manifest.js';
import { DecodeCache } from '../../io/decodeCache.js';
import { dstBytes, PayloadPartitionSource, type OperationPiece, type PartitionLayout } from './partitionSource.js';
import { ProtobufError } from '../../codecs/protobuf.js';

const MAGIC = 'CrAU';
const HEADER_SIZE = 24;
const SUPPORTED_VERSION = 2;
/** Real manifests are a few MB; a larger size field is corruption, not something to allocate. */
const MAX_MANIFEST_SIZE = 256 << 20;
/** Decoded operations kept when the payload has no identity to share them by (bytes in memory). */
const PRIVATE_CACHE_BYTES = 64 << 20;

export interface PayloadOptions {
  /**
   * Bytes of decoded operations kept for this payload alone. By default a payload read from a file
   * uses the process's decode cache, shared with the threads reading the same package.
   */
  cacheBytes?: number;
  /** The payload's name in format strings (default `payload.bin`). */
  label?: string;
}

export interface PayloadPartitionInfo {
  name: string;
  size: number;
  /** new_partition_info.hash in hex; empty when the manifest has none. */
  sha256: string;
}

/**
 * An A/B OTA payload.bin ("CrAU", major version 2): header, DeltaArchiveManifest, and partitions
 * rebuilt on demand from their install operations. Opening checks the header, decodes the manifest,
 * and checks that every operation's blob lies inside the file (a half-downloaded OTA fails here)
 * and every dst extent inside its partition. Incremental payloads open (`isDelta` says so), but
 * reading an operation that needs the previous build fails with an UnsupportedFormatError.
 */
export class PayloadArchive {
  readonly partitions: PartitionImage[];
  readonly partitionInfo: PayloadPartitionInfo[];
  readonly isDelta: boolean;

  private constructor(
    private readonly source: ByteSource,
    readonly manifest: DeltaArchiveManifest,
    private readonly layouts: PartitionLayout[],
    private readonly cache: DecodeCache,
    private readonly label: string,
  ) {
    this.isDelta =
      manifest.minorVersion > 0 ||
      manifest.partitions.some(
        (partition) =>
          partition.oldPartitionInfo !== undefined || partition.operations.some((operation) => needsSourcePartition(operation.type)),
      );
    this.partitions = layouts.map((layout, index) => ({
      name: layout.name,
      size: layout.size,
      open: async () => this.openLayout(index),
    }));
    this.partitionInfo = layouts.map((layout, index) => ({
      name: layout.name,
      size: layout.size,
      sha256: manifest.partitions[index]?.newPartitionInfo?.hash.toString('hex') ?? '',
    }));
  }

  get blockSize(): number {
    return this.manifest.blockSize;
  }

  get minorVersion(): number {
    return this.manifest.minorVersion;
  }

  static async open(source: ByteSource, options: PayloadOptions = {}): Promise<PayloadArchive> {
    const label = options.label ?? 'payload.bin';
    const fail = (problem: string, offset: number, expected?: string): never => {
      throw new InputError(problem, { file: source.name, format: label, offset, expected });
    };
    if (source.size < HEADER_SIZE) fail('too short for a payload header (truncated?)', 0, `${HEADER_SIZE} bytes`);
    const header = await source.read(0, HEADER_SIZE);
    if (header.toString('latin1', 0, 4) !== MAGIC) fail('not an A/B OTA payload', 0, 'magic "CrAU"');
    const version = header.readBigUInt64BE(4);
    if (version !== BigInt(SUPPORTED_VERSION)) {
      throw new UnsupportedFormatError(`payload format version ${version} is not supported`, { file: source.name, format: label, offset: 4, expected: `version ${SUPPORTED_VERSION}` });
    }
    const manifestSize = Number(header.readBigUInt64BE(12));
    const signatureSize = header.readUInt32BE(20);
    const dataStart = HEADER_SIZE + manifestSize + signatureSize;
    if (manifestSize > MAX_MANIFEST_SIZE || dataStart > source.size) {
      fail(`manifest (${manifestSize} bytes) and metadata signature (${signatureSize} bytes) run past the end of the file (truncated or corrupt)`, 12, `${dataStart} bytes at least, the file has ${source.size}`);
    }
    const manifestBytes = await source.read(HEADER_SIZE, manifestSize);
    let manifest: DeltaArchiveManifest;
    try {
      manifest = decodeManifest(manifestBytes, HEADER_SIZE);
    } catch (error) {
      if (!(error instanceof ProtobufError)) throw error;
      throw new InputError(`corrupt manifest: ${error.message}`, { file: source.name, format: `${label} › manifest`, offset: error.offset, cause: error });
    }
    const blockSize = manifest.blockSize;
    if (blockSize < 512 || blockSize > 1 << 20 || (blockSize & (blockSize - 1)) !== 0) {
      fail(`block size ${blockSize} is impossible`, HEADER_SIZE, 'a power of two from 512 to 1 MiB');
    }
    const layouts = manifest.partitions.map((partition) => layoutPartition(source, partition, blockSize, dataStart, label));
    const cache =
      options.cacheBytes !== undefined
        ? DecodeCache.create(options.cacheBytes)
        : source.identity !== undefined
          ? DecodeCache.shared()
          : DecodeCache.create(PRIVATE_CACHE_BYTES);
    return new PayloadArchive(source, manifest, layouts, cache, label);
  }

  /** SHA-256 (hex) of a whole partition as rebuilt, to compare with `partitionInfo[…].sha256`. */
  async hashPartition(name: string): Promise<string> {
    const index = this.layouts.findIndex((layout) => layout.name === name);
    if (index === -1) throw new Error(`no partition ${name} in the payload`);
    const partition = this.openLayout(index);
    const hash = createHash('sha256');
    for await (const chunk of readChunks(partition, 0, partition.size, 2 << 20)) hash.update(chunk);
    return hash.digest('hex');
  }

  /** The payload source belongs to the caller; decoded operations age out of the cache. */
  async close(): Promise<void> {}

  private openLayout(index: number): PayloadPartitionSource {
    const layout = this.layouts[index] as PartitionLayout;
    return new PayloadPartitionSource(`${this.source.name} › ${layout.name}`, this.source, layout, this.cache, `${index}:${layout.name}`, this.label);
  }
}

/**
 * Places every dst extent of the partition's operations and checks the manifest against the file:
 * blobs inside it, extents inside the partition and not overlapping.
 */
function layoutPartition(source: ByteSource, partition: PartitionUpdate, blockSize: number, dataStart: number, label: string): PartitionLayout {
  const format = `${label} › ${partition.name}`;
  let blocksWritten = 0;
  for (const operation of partition.operations) {
    for (const extent of operation.dstExtents) blocksWritten = Math.max(blocksWritten, extent.startBlock + extent.numBlocks);
  }
  const size = partition.newPartitionInfo?.size ?? blocksWritten * blockSize;
  const partitionBlocks = Math.ceil(size / blockSize);
  const pieces: OperationPiece[] = [];
  partition.operations.forEach((operation, index) => {
    const where = { file: source.name, format: `${format} › op ${index}` };
    const blobEnd = dataStart + operation.dataOffset + operation.dataLength;
    if (operation.dataLength > 0 && blobEnd > source.size) {
      throw new InputError(`the payload is truncated (a partial download?): this operation's blob ends at ${blobEnd}, the file has ${source.size} bytes`, {
        ...where,
        offset: dataStart + operation.dataOffset,
        expected: `at least ${blobEnd} bytes`,
      });
    }
    let outputOffset = 0;
    for (const extent of operation.dstExtents) {
      if (extent.startBlock + extent.numBlocks > partitionBlocks) {
        throw new InputError(`dst extent [${extent.startBlock}, +${extent.numBlocks}) lies past the partition's ${partitionBlocks} blocks`, {
          ...where,
          offset: operation.manifestOffset,
          expected: `blocks below ${partitionBlocks}`,
        });
      }
      const start = extent.startBlock * blockSize;
      const length = Math.min(extent.numBlocks * blockSize, size - start);
      if (length > 0) pieces.push({ start, length, operation: index, outputOffset });
      outputOffset += extent.numBlocks * blockSize;
    }
    if (operation.dstExtents.length > 0 && dstBytes(operation, blockSize) === 0) {
      throw new InputError('operation has empty dst extents', { ...where, offset: operation.manifestOffset });
    }
  });
  pieces.sort((a, b) => a.start - b.start);
  for (let index = 1; index < pieces.length; index++) {
    const previous = pieces[index - 1] as OperationPiece;
    const piece = pieces[index] as OperationPiece;
    if (piece.start < previous.start + previous.length) {
      const operation = partition.operations[piece.operation];
      throw new InputError(`dst extents of op ${previous.operation} and op ${piece.operation} overlap`, {
        file: source.name,
        format: `${format} › op ${piece.operation}`,
        offset: operation?.manifestOffset,
      });
    }
  }
  return { name: partition.name, size, blockSize, operations: partition.operations, pieces, dataStart };
}
