import type { ByteSource } from '../io/byteSource.js';
import type { FileTree } from '../vfs/fileTree.js';

export type FileSystemId = 'ext4' | 'erofs';

/**
 * A file system format (one module per format, e.g. fs/ext4/index.ts). `detect` only peeks at
 * the superblock; `open` returns a read-only tree over the image, reading it by random access.
 */
export interface FileSystemModule {
  id: FileSystemId;
  /** Plain-language name for messages, e.g. "ext4 file system". */
  description: string;
  detect(image: ByteSource): Promise<boolean>;
  open(image: ByteSource): Promise<FileTree>;
}
