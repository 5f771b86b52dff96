import type { Problem } from '../../../shared/model.js';
import type { ByteSource } from '../io/byteSource.js';

/**
 * One partition image found inside a container (payload.bin, super.img, a factory package, a block
 * OTA). Opening it gives the raw image bytes by random access; it may still be sparse or hold a
 * file system, which the package layer detects next.
 */
export interface PartitionImage {
  /** Partition name without slot suffix, e.g. `system`, `vendor`. */
  name: string;
  /** Bytes of the partition image. */
  size: number;
  open(): Promise<ByteSource>;
  /** What was tolerated in reading the container around it (a transfer list's wrong block count); reported with the package's problems. */
  problems?: readonly Problem[];
}
