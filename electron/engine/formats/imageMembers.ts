import { tmpdir } from 'node:os';
import type { PartitionImage } from '../containers/types.js';
import type { ByteSource } from '../io/byteSource.js';
import { HeadFirstSource } from '../io/headFirstSource.js';
import type { ZipArchive } from '../zip/zipArchive.js';
import { isPartitionName } from './partitions.js';

const IMAGE_FILE = /(?:^|\/)([a-z0-9_]+?)(?:_[ab])?\.img$/;
const METHOD_STORED = 0;
/** What telling a partition's kind reads of a deflated image before it is copied to disk whole. */
const DEFLATED_HEAD_BYTES = 64 * 1024;

/** `images/system.img` → `system`, `super.img` → `super`, `vbmeta_a.img` → `vbmeta`; null for other files. */
export function imagePartitionName(memberName: string): string | null {
  return IMAGE_FILE.exec(memberName)?.[1] ?? null;
}

/** Whether a list of member names holds a partition image worth mounting. */
export function hasMountableImage(names: Iterable<string>): boolean {
  for (const name of names) {
    const partition = imagePartitionName(name);
    if (partition !== null && (isPartitionName(partition) || partition === 'super')) return true;
  }
  return false;
}

/**
 * A zip's `*.img` members as partition images. A stored image is read in place; a deflated one is
 * decoded once into a temporary file when first read past its head, since a file system is read at
 * random and deflate can only be decoded from the start (a modem image that is only recognised,
 * never read, is not copied).
 */
export function zipImageMembers(zip: ZipArchive): PartitionImage[] {
  const images: PartitionImage[] = [];
  for (const member of zip.members) {
    const name = imagePartitionName(member.name);
    if (name === null || member.isDirectory) continue;
    images.push({
      name,
      size: member.uncompressedSize,
      open: async (): Promise<ByteSource> => {
        const source = await zip.openSource(member);
        return member.compressionMethod === METHOD_STORED ? source : new HeadFirstSource(source, DEFLATED_HEAD_BYTES, tmpdir());
      },
    });
  }
  return images;
}
