import { InputError } from '../../errors.js';
import { visitBytes, type ByteSource, type ByteVisitor } from '../../io/byteSource.js';
import type { Superblock } from './superblock.js';

/**
 * The same error with the tree path it concerns in front of the problem (the layer names the
 * inode, the path tells the user which file that is).
 */
export function aboutPath(error: unknown, path: string): unknown {
  if (!(error instanceof InputError) || error.problem.startsWith(`${path}: `)) return error;
  return new InputError(`${path}: ${error.problem}`, {
    file: error.file,
    format: error.format,
    offset: error.offset,
    expected: error.expected,
    cause: error.cause,
  });
}

/** A format layer below `ext4`, e.g. `['inode 12', 'extent 2']` for `ext4 › inode 12 › extent 2`. */
export type LayerPath = readonly string[];

/**
 * Reads whole blocks of the image, refusing any block the file system does not have and naming
 * the structure that pointed at it; a block the superblock counts but the image lacks is reported
 * as truncation.
 */
export class BlockReader {
  constructor(
    readonly image: ByteSource,
    readonly sb: Superblock,
  ) {}

  error(problem: string, layer: LayerPath, offset?: number, expected?: string): InputError {
    return new InputError(problem, { file: this.image.name, format: ['ext4', ...layer].join(' › '), offset, expected });
  }

  /** `count` blocks from `block` on. */
  async read(block: number, count: number, layer: LayerPath): Promise<Buffer> {
    this.checkBlocks(block, count, layer);
    return this.readBytes(block * this.sb.blockSize, count * this.sb.blockSize, layer);
  }

  checkBlocks(block: number, count: number, layer: LayerPath, where?: number): void {
    if (!Number.isSafeInteger(block) || block < 0 || block + count > this.sb.blocksCount) {
      throw this.error(`block ${block}${count > 1 ? ` (+${count - 1})` : ''} is outside the file system`, layer, where, `blocks below ${this.sb.blocksCount}`);
    }
  }

  /** Bytes at an image offset inside the file system; missing bytes mean a truncated image. */
  async readBytes(offset: number, length: number, layer: LayerPath): Promise<Buffer> {
    this.checkInImage(offset, length, layer);
    return this.image.read(offset, length);
  }

  /** Visits bytes at an image offset (see ByteSource.visit), checked as readBytes checks them. */
  async visitBytes(offset: number, length: number, layer: LayerPath, visitor: ByteVisitor): Promise<void> {
    this.checkInImage(offset, length, layer);
    return visitBytes(this.image, offset, length, visitor);
  }

  private checkInImage(offset: number, length: number, layer: LayerPath): void {
    if (offset + length > this.image.size) {
      throw this.error(
        `truncated image: needs bytes up to ${offset + length} but the image has ${this.image.size}`,
        layer,
        offset,
        `${this.sb.blocksCount * this.sb.blockSize} bytes as the superblock says`,
      );
    }
  }
}
