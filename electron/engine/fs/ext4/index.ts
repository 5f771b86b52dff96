import type { ByteSource } from '../../io/byteSource.js';
import type { FileTree } from '../../vfs/fileTree.js';
import type { FileSystemModule } from '../types.js';
import { ROOT_INODE } from './inode.js';
import { EXT4_MAGIC, MAGIC_OFFSET, SUPERBLOCK_OFFSET, SUPERBLOCK_SIZE } from './superblock.js';
import { Ext4Tree } from './tree.js';
import { Ext4Volume } from './volume.js';

/**
 * ext2, ext3 and ext4 images (Android system, vendor, product… partitions, APEX payloads), read
 * by random access: extents and block maps, inline data, hashed directories (read linearly),
 * shared_blocks dedup, bigalloc clusters, ea_inode, 1 to 64 KiB blocks; device nodes, FIFOs and
 * sockets are listed with their type. Read-only, so read-only-compatible features are no
 * obstacle; unknown incompatible ones are refused by name.
 */
export const ext4FileSystem: FileSystemModule = {
  id: 'ext4',
  description: 'ext4 file system',

  async detect(image: ByteSource): Promise<boolean> {
    if (image.size < SUPERBLOCK_OFFSET + SUPERBLOCK_SIZE) return false;
    const magic = await image.read(SUPERBLOCK_OFFSET + MAGIC_OFFSET, 2);
    return magic.readUInt16LE(0) === EXT4_MAGIC;
  },

  async open(image: ByteSource): Promise<FileTree> {
    const volume = await Ext4Volume.open(image);
    const root = await volume.inodes.read(ROOT_INODE);
    if (root.kind !== 'directory') {
      throw volume.blocks.error(`the root inode is not a directory (mode 0o${root.mode.toString(8)})`, [`inode ${ROOT_INODE}`], root.offset, 'a directory');
    }
    return new Ext4Tree(volume, root);
  },
};
