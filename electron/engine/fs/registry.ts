import type { ByteSource } from '../io/byteSource.js';
import { erofsFileSystem } from './erofs/index.js';
import { ext4FileSystem } from './ext4/index.js';
import type { FileSystemModule } from './types.js';

/** File systems a partition image may hold, tried in order. */
export const FILE_SYSTEMS: readonly FileSystemModule[] = [ext4FileSystem, erofsFileSystem];

export async function detectFileSystem(image: ByteSource): Promise<FileSystemModule | null> {
  for (const fileSystem of FILE_SYSTEMS) if (await fileSystem.detect(image)) return fileSystem;
  return null;
}
