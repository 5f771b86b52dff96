import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byteSource.js';
import type { FileSystemModule } from '../types.js';
import { checkCompressionConfigs } from './compressionConfigs.js';
import { ImageReader } from './imageReader.js';
import { readInode } from './inode.js';
import { EROFS_MAGIC, parseSuperblock, SUPERBLOCK_OFFSET, SUPERBLOCK_SIZE } from './superblock.js';
import { ErofsTree } from './tree.js';

export { ErofsTree } from './tree.js';

/** Opens an EROFS image: checks the superblock and the root directory, reads nothing else yet. */
export async function openErofs(image: ByteSource): Promise<ErofsTree> {
  if (image.size < SUPERBLOCK_OFFSET + SUPERBLOCK_SIZE) {
    throw new InputError(`image of ${image.size} bytes is too short for an EROFS superblock`, {
      file: image.name,
      format: 'erofs superblock',
      offset: SUPERBLOCK_OFFSET,
      expected: `at least ${SUPERBLOCK_OFFSET + SUPERBLOCK_SIZE} bytes`,
    });
  }
  const superblock = parseSuperblock(await image.read(SUPERBLOCK_OFFSET, SUPERBLOCK_SIZE), image.name, image.size);
  const reader = new ImageReader(image, superblock.blockSize);
  await checkCompressionConfigs(reader, superblock);
  const root = await readInode(reader, superblock, superblock.rootNid);
  if (root.kind !== 'directory') {
    throw new InputError(`root inode ${superblock.rootNid} is a ${root.kind}, not a directory`, { file: image.name, format: 'erofs superblock', offset: SUPERBLOCK_OFFSET + 14 });
  }
  return new ErofsTree(reader, superblock, root);
}

export const erofsFileSystem: FileSystemModule = {
  id: 'erofs',
  description: 'EROFS file system',
  async detect(image: ByteSource): Promise<boolean> {
    if (image.size < SUPERBLOCK_OFFSET + SUPERBLOCK_SIZE) return false;
    return (await image.read(SUPERBLOCK_OFFSET, 4)).readUInt32LE(0) === EROFS_MAGIC;
  },
  open: openErofs,
};
