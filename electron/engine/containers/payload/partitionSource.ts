import { createHash, randomUUID } from 'node:crypto';
import { decodeBzip2 } from '../../codecs/bzip2.js';
import { CorruptDataError } from '../../codecs/corruptData.js';
import { decodeXz } from '../../codecs/xz.js';
import { decodeZstd } from '../../codecs/zstd.js';
import { InputError, UnsupportedFormatError } from '../../errors.js';
import { checkRange, readByVisiting, readInto, ScratchBuffers, visitBytes, visitZeros, type ByteSource, type ByteVisitor } from '../../io/byteSource.js';
import { unitNamespace, type DecodeCache, type UnitNamespace, type UnitProducer } from '../../io/decodeCache.js';
import { lastStartAtOrBefore } from '../../io/sortedSearch.js';
import { needsSourcePartition, OperationType, operationTypeName, type InstallOperation } from './manifest.js';

/** One dst extent of one operation, placed in the partition: bytes [start, start+length). */
export interface OperationPiece {
  start: number;
  length: number;
  operation: number;
  /** Where this extent's bytes start in the operation's output. */
  outputOffset: number;
}

export interface PartitionLayout {
  /** Partition name in the manifest, e.g. `system`. */
  name: string;
  size: number;
  blockSize: number;
  operations: readonly InstallOperation[];
  /** Sorted by start, non-overlapping. */
  pieces: readonly OperationPiece[];
  /** Offset of the blob area in the payload. */
  dataStart: number;
}

/** Largest decoded output of one compressed operation held in memory (full payloads use 2 MiB). */
export const MAX_OPERATION_OUTPUT = 256 << 20;
/** Sequential readers tracked for read-ahead (the inventory reads a few files at once). */
const RECENT_READERS = 8;
/** Compressed operations decoded ahead of a reader going front to back. */
const READ_AHEAD_OPERATIONS = 2;
const COMPRESSED = new Set<number>([OperationType.REPLACE_BZ, OperationType.REPLACE_XZ, OperationType.ZSTD]);

/**
 * One partition of a payload.bin, rebuilt on demand: a read finds the operations whose dst extents
 * it covers (binary search) and decodes only those. Decoded outputs go to a decode cache (shared by
 * every thread that reads the package, when the payload has an identity: see io/decodeCache.ts),
 * and so do REPLACE blobs small enough, whose hash is then checked once for all threads; larger
 * REPLACE blobs are read in place after their hash was checked once. Reads that follow each other
 * start decoding the next operations ahead, so a front-to-back scan keeps another core busy.
 * Blocks no operation writes read as zeros.
 */
export class PayloadPartitionSource implements ByteSource {
  readonly size: number;
  readonly identity: string | undefined;
  private readonly format: string;
  private readonly starts: Float64Array;
  private readonly namespace: UnitNamespace;
  private readonly verifiedReplace = new Set<number>();
  /** Where recent reads ended: several files are read at once, each front to back. */
  private readonly recentReadEnds: number[] = [];
  /** Buffers blobs are read into, reused once their operation is decoded. */
  private readonly scratch = new ScratchBuffers(READ_AHEAD_OPERATIONS + 4);

  constructor(
    readonly name: string,
    private readonly payload: ByteSource,
    private readonly layout: PartitionLayout,
    private readonly cache: DecodeCache,
    /** Names this partition's operations in the cache, with the payload's identity. */
    partitionKey: string,
    /** The payload's own name in format strings, e.g. `payload.bin`. */
    private readonly payloadLabel: string,
  ) {
    this.size = layout.size;
    this.format = `${payloadLabel} › ${layout.name}`;
    this.starts = Float64Array.from(layout.pieces, (piece) => piece.start);
    this.identity = payload.identity === undefined ? undefined : `${payload.identity}#payload:${partitionKey}`;
    this.namespace = unitNamespace(this.identity ?? `${randomUUID()}#payload:${partitionKey}`);
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, this.format, offset, length);
    return readByVisiting(this, offset, length);
  }

  async visit(offset: number, length: number, visitor: ByteVisitor): Promise<void> {
    checkRange(this, this.format, offset, length);
    const end = offset + length;
    let index = lastStartAtOrBefore(this.starts, offset);
    // Read ahead for a reader going front to back, but not for metadata-sized reads.
    const sequential = this.continuesARead(offset, end) && length > this.layout.blockSize;
    let position = offset;
    for (; index < this.layout.pieces.length && position < end; index++) {
      const piece = this.layout.pieces[index] as OperationPiece;
      if (piece.start >= end) break;
      const from = Math.max(position, piece.start);
      const to = Math.min(end, piece.start + piece.length);
      if (from >= to) continue;
      // Blocks between operations: zeros.
      if (from > position) visitZeros(from - position, visitor);
      if (sequential || to - from > this.layout.blockSize) this.readAhead(index + 1);
      await this.visitOperation(piece, from, to, visitor);
      position = to;
    }
    if (position < end) visitZeros(end - position, visitor);
    if (sequential) this.readAhead(index);
  }

  private continuesARead(offset: number, end: number): boolean {
    const at = this.recentReadEnds.indexOf(offset);
    if (at !== -1) this.recentReadEnds.splice(at, 1);
    this.recentReadEnds.push(end);
    if (this.recentReadEnds.length > RECENT_READERS) this.recentReadEnds.shift();
    return at !== -1;
  }

  async close(): Promise<void> {}

  /** Visits bytes [from, to) of the partition, all inside `piece`. */
  private async visitOperation(piece: OperationPiece, from: number, to: number, visitor: ByteVisitor): Promise<void> {
    const operation = this.layout.operations[piece.operation] as InstallOperation;
    const start = piece.outputOffset + (from - piece.start);
    const length = to - from;
    if (operation.type === OperationType.ZERO || operation.type === OperationType.DISCARD) {
      visitZeros(length, visitor);
      return;
    }
    if (operation.type === OperationType.REPLACE && !this.cache.roomy(operation.dataLength)) {
      await this.verifyReplace(piece.operation);
      // The blob may stop short of the last block, which is then zero-padded.
      const available = Math.max(0, Math.min(length, operation.dataLength - start));
      if (available > 0) await visitBytes(this.payload, this.blobOffset(operation) + start, available, visitor);
      if (available < length) visitZeros(length - available, visitor);
      return;
    }
    await this.cache.withUnit(this.namespace, piece.operation, dstBytes(operation, this.layout.blockSize), () => this.decode(piece.operation), (decoded) => {
      // A blob may decode to less than its dst extents (the rest of the last block is zeros).
      const available = Math.max(0, Math.min(length, decoded.length - start));
      if (available > 0) visitor(decoded.subarray(start, start + available));
      if (available < length) visitZeros(length - available, visitor);
    });
  }

  /** Starts decoding the next compressed operation(s) from piece `fromPiece` on. */
  private readAhead(fromPiece: number): void {
    const pieces = this.layout.pieces;
    for (let index = Math.max(0, fromPiece), seen = 0; index < pieces.length && seen < READ_AHEAD_OPERATIONS; index++) {
      const operationIndex = (pieces[index] as OperationPiece).operation;
      const operation = this.layout.operations[operationIndex] as InstallOperation;
      if (!COMPRESSED.has(operation.type)) continue;
      seen++;
      // Only when the cache has room to spare: a read-ahead must not evict what is being read.
      const size = dstBytes(operation, this.layout.blockSize);
      if (this.cache.roomy(size)) this.cache.prefetch(this.namespace, operationIndex, size, () => this.decode(operationIndex));
    }
  }

  private async decode(operationIndex: number): Promise<UnitProducer> {
    const operation = this.layout.operations[operationIndex] as InstallOperation;
    const where = this.where(operationIndex, this.blobOffset(operation));
    if (needsSourcePartition(operation.type)) {
      throw new UnsupportedFormatError(`${operationTypeName(operation.type)} needs the previous build's partition: this is an incremental (delta) payload`, where);
    }
    if (operation.type === OperationType.REPLACE) {
      if (operation.dataLength > dstBytes(operation, this.layout.blockSize)) {
        throw new InputError(`REPLACE blob of ${operation.dataLength} bytes is larger than its dst extents`, where);
      }
      const blob = await this.readBlob(operationIndex);
      return (sink) => {
        try {
          sink(blob);
        } finally {
          this.scratch.give(blob);
        }
      };
    }
    if (!COMPRESSED.has(operation.type)) throw new InputError(`unknown operation type ${operation.type}`, { ...where, offset: operation.manifestOffset });
    const outputSize = dstBytes(operation, this.layout.blockSize);
    if (outputSize > MAX_OPERATION_OUTPUT) {
      throw new InputError(`operation writes ${outputSize} bytes, more than the ${MAX_OPERATION_OUTPUT} this reader decodes at once`, { ...where, offset: operation.manifestOffset });
    }
    if (operation.dataLength > MAX_OPERATION_OUTPUT) throw new InputError(`blob of ${operation.dataLength} bytes is too large`, where);
    const blob = await this.readBlob(operationIndex);
    let output: Buffer;
    try {
      output =
        operation.type === OperationType.REPLACE_XZ
          ? await decodeXz(blob, outputSize, { blobVerified: operation.dataSha256.length > 0 })
          : operation.type === OperationType.REPLACE_BZ
            ? await decodeBzip2(blob, outputSize)
            : await decodeZstd(blob, outputSize);
    } catch (error) {
      if (!(error instanceof CorruptDataError)) throw error;
      throw new InputError(`cannot decode the ${operationTypeName(operation.type)} blob: ${error.message}`, { ...where, cause: error });
    } finally {
      this.scratch.give(blob);
    }
    if (outputSize - output.length >= this.layout.blockSize) {
      throw new InputError(`blob decodes to ${output.length} bytes, its dst extents hold ${outputSize}`, { ...where, expected: `${outputSize} bytes` });
    }
    return (sink) => sink(output);
  }

  /** An operation's blob, its hash checked, in a scratch buffer to give back once it is decoded. */
  private async readBlob(operationIndex: number): Promise<Buffer> {
    const operation = this.layout.operations[operationIndex] as InstallOperation;
    const blob = this.scratch.take(operation.dataLength);
    try {
      await readInto(this.payload, this.blobOffset(operation), operation.dataLength, blob);
      this.checkHash(operationIndex, createHash('sha256').update(blob).digest());
      return blob;
    } catch (error) {
      this.scratch.give(blob);
      throw error;
    }
  }

  private async verifyReplace(operationIndex: number): Promise<void> {
    if (this.verifiedReplace.has(operationIndex)) return;
    const operation = this.layout.operations[operationIndex] as InstallOperation;
    if (operation.dataLength > dstBytes(operation, this.layout.blockSize)) {
      throw new InputError(`REPLACE blob of ${operation.dataLength} bytes is larger than its dst extents`, this.where(operationIndex, this.blobOffset(operation)));
    }
    if (operation.dataSha256.length > 0) {
      const hash = createHash('sha256');
      await visitBytes(this.payload, this.blobOffset(operation), operation.dataLength, (piece) => void hash.update(piece));
      this.checkHash(operationIndex, hash.digest());
    }
    this.verifiedReplace.add(operationIndex);
  }

  private checkHash(operationIndex: number, actual: Buffer): void {
    const operation = this.layout.operations[operationIndex] as InstallOperation;
    if (operation.dataSha256.length === 0 || actual.equals(operation.dataSha256)) return;
    throw new InputError('blob does not match its data_sha256_hash (corrupt or incomplete download)', {
      ...this.where(operationIndex, this.blobOffset(operation)),
      expected: `SHA-256 ${operation.dataSha256.toString('hex')}, got ${actual.toString('hex')}`,
    });
  }

  private blobOffset(operation: InstallOperation): number {
    return this.layout.dataStart + operation.dataOffset;
  }

  private where(operationIndex: number, offset: number): { file: string; format: string; offset: number } {
    return { file: this.payload.name, format: `${this.format} › op ${operationIndex}`, offset };
  }
}

export function dstBytes(operation: InstallOperation, blockSize: number): number {
  return operation.dstExtents.reduce((sum, extent) => sum + extent.numBlocks * blockSize, 0);
}
