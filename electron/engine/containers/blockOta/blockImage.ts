import { InputError, UnsupportedFormatError } from '../../errors.js';
import { checkRange, type ByteSource } from '../../io/byteSource.js';
import type { PartitionImage } from '../types.js';
import { buildBlockMap, firstRunAfter, type DataRun } from './blockMap.js';
import { BLOCK_SIZE } from './rangeSet.js';
import { decodedSource } from '../../io/streamDecoding.js';
import { parseTransferList, type TransferList } from './transferList.js';

export type NewDataEncoding = 'raw' | 'brotli';

export interface BlockImageInput {
  /** Name of the rebuilt image in errors, e.g. `pkg.zip › system`. */
  name: string;
  /** Text of `<partition>.transfer.list`. */
  transferList: string;
  /** Name of the transfer list in errors; defaults to `<name>.transfer.list`. */
  transferListName?: string;
  /** `<partition>.new.dat` (raw) or `.new.dat.br` (brotli) as stored; the image takes it over and closes it. */
  newData: ByteSource;
  /** `brotli` for `.new.dat.br`; `raw` by default. */
  newDataEncoding?: NewDataEncoding;
}

/**
 * The partition a full block OTA writes, rebuilt on demand: blocks filled by `new` commands are
 * read from new.dat (through the brotli decoder for `.br`), all others read as zeros. Reading one
 * block of a raw new.dat touches only that block's bytes.
 */
export class BlockImage implements ByteSource {
  readonly size: number;
  private readonly newData: ByteSource;

  private constructor(
    readonly name: string,
    readonly transferList: TransferList,
    private readonly runs: readonly DataRun[],
    private readonly stored: ByteSource,
    encoding: NewDataEncoding,
  ) {
    this.size = transferList.imageBlocks * BLOCK_SIZE;
    const newDataSize = transferList.newBlocks * BLOCK_SIZE;
    this.newData = encoding === 'brotli' ? decodedSource(stored, 'brotli', newDataSize) : stored;
  }

  /**
   * Parses the transfer list and checks it against new.dat. Incremental lists are refused with an
   * UnsupportedFormatError: they patch the previous build's partition, which the package lacks.
   * On failure new.dat is closed too.
   */
  static async open(input: BlockImageInput): Promise<BlockImage> {
    try {
      const transferListName = input.transferListName ?? `${input.name}.transfer.list`;
      const list = parseTransferList(input.transferList, transferListName);
      assertFullOta(list, transferListName);
      return BlockImage.fromParsed(input.name, list, input.newData, input.newDataEncoding ?? 'raw');
    } catch (error) {
      await input.newData.close();
      throw error;
    }
  }

  private static fromParsed(name: string, list: TransferList, newData: ByteSource, encoding: NewDataEncoding): BlockImage {
    const needed = list.newBlocks * BLOCK_SIZE;
    // A brotli stream's decoded length is only known once decoded; its reads fail if it is short.
    if (encoding === 'raw' && newData.size < needed) {
      throw new InputError(`new.dat is truncated: it has ${newData.size} bytes, the transfer list fills ${list.newBlocks} blocks from it`, {
        file: newData.name,
        format: 'new.dat',
        offset: newData.size,
        expected: `${needed} bytes`,
      });
    }
    return new BlockImage(name, list, buildBlockMap(list.commands), newData, encoding);
  }

  /** For blockOtaPartition, which parsed the list already. */
  static async openParsed(name: string, list: TransferList, newData: ByteSource, encoding: NewDataEncoding): Promise<BlockImage> {
    try {
      return BlockImage.fromParsed(name, list, newData, encoding);
    } catch (error) {
      await newData.close();
      throw error;
    }
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(this, 'block image', offset, length);
    const end = offset + length;
    const first = firstRunAfter(this.runs, Math.floor(offset / BLOCK_SIZE));
    const run = this.runs[first];
    if (run !== undefined && run.start * BLOCK_SIZE <= offset && end <= run.end * BLOCK_SIZE) {
      return this.newData.read(newDataOffset(run, offset), length);
    }
    const out = Buffer.alloc(length);
    for (let index = first; index < this.runs.length; index++) {
      const current = this.runs[index] as DataRun;
      const from = Math.max(offset, current.start * BLOCK_SIZE);
      const to = Math.min(end, current.end * BLOCK_SIZE);
      if (from >= end) break;
      const bytes = await this.newData.read(newDataOffset(current, from), to - from);
      bytes.copy(out, from - offset);
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.newData !== this.stored) await this.newData.close();
    await this.stored.close();
  }
}

function newDataOffset(run: DataRun, imageOffset: number): number {
  return run.newDataBlock * BLOCK_SIZE + (imageOffset - run.start * BLOCK_SIZE);
}

function assertFullOta(list: TransferList, file: string): void {
  const first = list.firstIncremental;
  if (first === null) return;
  throw new UnsupportedFormatError(
    `incremental block OTA: "${first.command}" rebuilds blocks from the previous build's partition, which is not in this package`,
    { file, format: `transfer list › line ${first.line}`, expected: 'a full OTA (only new, zero and erase commands)' },
  );
}

export function openBlockImage(input: BlockImageInput): Promise<BlockImage> {
  return BlockImage.open(input);
}

export interface BlockOtaPartitionInput {
  /** Partition name, e.g. `system`. */
  partition: string;
  /** Name of the rebuilt image in errors, e.g. `pkg.zip › system`. */
  imageName: string;
  transferList: string;
  transferListName: string;
  /** The transfer list's member name in the package (`system.transfer.list`), for problems; defaults to transferListName. */
  transferListPath?: string;
  newDataEncoding: NewDataEncoding;
  /** Opens new.dat or new.dat.br as stored (e.g. a zip member's ByteSource). */
  openNewData: () => Promise<ByteSource>;
}

/**
 * A block OTA partition as a PartitionImage. The transfer list is parsed now, so a malformed or
 * incremental list fails at once (and what the updater would tolerate becomes the image's
 * problems); new.dat is opened only when the image is.
 */
export function blockOtaPartition(input: BlockOtaPartitionInput): PartitionImage {
  const list = parseTransferList(input.transferList, input.transferListName);
  assertFullOta(list, input.transferListName);
  return {
    name: input.partition,
    size: list.imageBlocks * BLOCK_SIZE,
    open: async () => BlockImage.openParsed(input.imageName, list, await input.openNewData(), input.newDataEncoding),
    problems: list.notes.map((message) => ({ path: input.transferListPath ?? input.transferListName, message })),
  };
}
