import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byteSource.js';
import { IndirectBlockMapper } from './blockMap.js';
import { BlockReader, type LayerPath } from './blockReader.js';
import type { BlockMapper } from './blockRuns.js';
import { parseDirentArea, type DirectoryEntry } from './directory.js';
import { ExtentMapper } from './extentTree.js';
import { Ext4FileSource, type FileContent } from './fileSource.js';
import { GroupDescriptors } from './groupDescriptors.js';
import { inlineContent, inlineDataTail } from './inlineData.js';
import { FLAG_EA_INODE, FLAG_ENCRYPTED, FLAG_EXTENTS, FLAG_INLINE_DATA, I_BLOCK_SIZE, InodeTable, type Inode } from './inode.js';
import { XattrReader } from './xattrs.js';
import { CAPABILITY_XATTR, metadataFromInode, SELINUX_XATTR, type DecodedMetadata } from '../../security/xattrMetadata.js';
import { linkTargetFromBytes } from '../../vfs/rawNames.js';
import { INCOMPAT_EA_INODE, INCOMPAT_FILETYPE, parseSuperblock, SUPERBLOCK_OFFSET, SUPERBLOCK_SIZE, type Superblock } from './superblock.js';

/**
 * Firmware images hold no file anywhere near this size; a larger i_size is corruption, and
 * streaming terabytes of holes would look like a hang.
 */
const MAX_FILE_BYTES = 2 ** 40;
/** Android's largest directories are a few hundred KiB; a bigger one is corrupt or hostile. */
const MAX_DIRECTORY_BYTES = 64 << 20;
/** PATH_MAX: the kernel refuses longer link targets. */
const MAX_LINK_TARGET = 4096;
/** Directory blocks read per image read. */
const DIRECTORY_READ_BLOCKS = 64;
/** i_block of an inline directory starts with the parent's inode number (there is no `.`/`..`). */
const INLINE_DIR_PARENT_SIZE = 4;

/** One ext4 file system image: the superblock, its caches, and reading inodes' contents. */
export class Ext4Volume {
  readonly inodes: InodeTable;
  readonly xattrs: XattrReader;

  private constructor(readonly blocks: BlockReader) {
    this.inodes = new InodeTable(blocks, new GroupDescriptors(blocks.sb, blocks));
    this.xattrs = new XattrReader(blocks, (owner, valueInode, size) => this.readEaInode(owner, valueInode, size));
  }

  static async open(image: ByteSource): Promise<Ext4Volume> {
    const bytes = await readSuperblockBytes(image);
    return new Ext4Volume(new BlockReader(image, parseSuperblock(bytes, image.name)));
  }

  get sb(): Superblock {
    return this.blocks.sb;
  }

  /** Where an inode's bytes are; checks that its size is one the layout can hold. */
  content(inode: Inode): FileContent {
    const layer: LayerPath = [`inode ${inode.number}`];
    if ((inode.flags & FLAG_ENCRYPTED) !== 0) {
      throw this.blocks.error('content is encrypted (fscrypt); it cannot be read without the key', layer, inode.offset + 0x20);
    }
    if ((inode.flags & FLAG_INLINE_DATA) !== 0) {
      // mke2fs -d stores an all-hole file as inline data with a larger i_size; like the kernel
      // (ext4_read_inline_folio), bytes past the inline data read as zeros.
      this.checkSize(inode, MAX_FILE_BYTES);
      return { inline: inlineContent(this.blocks, inode).subarray(0, inode.size) };
    }
    const mapper = this.mapper(inode);
    this.checkSize(inode, Math.min(MAX_FILE_BYTES, mapper.addressableBlocks * this.sb.blockSize));
    return { mapper };
  }

  private checkSize(inode: Inode, limit: number): void {
    if (inode.size > limit) {
      throw this.blocks.error(`size ${inode.size} is absurd`, [`inode ${inode.number}`], inode.offset + 0x4, `at most ${limit} bytes`);
    }
  }

  private mapper(inode: Inode): BlockMapper {
    return (inode.flags & FLAG_EXTENTS) !== 0 ? new ExtentMapper(this.blocks, inode) : new IndirectBlockMapper(this.blocks, inode);
  }

  /**
   * An inode's mode, owner, SELinux label and capabilities (in-inode xattrs, the xattr block, EA
   * inodes); `problem` says why a security attribute was left out, when one could not be read.
   */
  async metadata(inode: Inode): Promise<DecodedMetadata> {
    try {
      const entries = await this.xattrs.entries(inode);
      const label = await this.xattrs.value(inode, entries, SELINUX_XATTR);
      const capability = await this.xattrs.value(inode, entries, CAPABILITY_XATTR);
      return metadataFromInode(inode.mode, inode.uid, inode.gid, label, capability);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const decoded = metadataFromInode(inode.mode, inode.uid, inode.gid, null, null);
      return { metadata: decoded.metadata, problem: `extended attributes not read: ${error.message}` };
    }
  }

  /** A large xattr value kept in an EA inode: the inode must say so and hold exactly `size` bytes (ext4_xattr_inode_get). */
  private async readEaInode(owner: Inode, valueInode: number, size: number): Promise<Buffer> {
    const layer: LayerPath = [`inode ${owner.number}`, `EA inode ${valueInode}`];
    if ((this.sb.featureIncompat & INCOMPAT_EA_INODE) === 0) {
      throw this.blocks.error(`an xattr value points to inode ${valueInode}, but the file system has no ea_inode feature`, layer, owner.offset);
    }
    const inode = await this.inodes.read(valueInode);
    if (inode.kind !== 'file' || (inode.flags & FLAG_EA_INODE) === 0 || inode.size !== size) {
      throw this.blocks.error(`inode ${valueInode} is not an EA inode of ${size} bytes`, layer, inode.offset, 'a regular file flagged EA_INODE holding the value');
    }
    return new Ext4FileSource(this.blocks.image.name, `inode ${valueInode}`, size, this.blocks, valueInode, this.content(inode)).read(0, size);
  }

  /** A symlink's target: in i_block (fast), inline, or in data blocks (slow). */
  async readLinkTarget(inode: Inode): Promise<string> {
    const layer: LayerPath = [`inode ${inode.number}`, 'symlink'];
    if (inode.size > MAX_LINK_TARGET) {
      throw this.blocks.error(`link target of ${inode.size} bytes`, layer, inode.offset + 0x4, `at most ${MAX_LINK_TARGET} bytes`);
    }
    if (this.isFastSymlink(inode)) {
      // As __ext4_iget checks: the target fills i_size bytes of i_block, then a NUL.
      if (inode.size === 0 || inode.size >= I_BLOCK_SIZE || inode.iBlock.subarray(0, inode.size + 1).indexOf(0) !== inode.size) {
        throw this.blocks.error(`invalid fast symlink length ${inode.size}`, layer, inode.offset + 0x4, `1 to ${I_BLOCK_SIZE - 1} bytes, NUL-terminated in i_block`);
      }
      return linkTargetFromBytes(inode.iBlock.subarray(0, inode.size));
    }
    const content = this.content(inode);
    if ('inline' in content) {
      if (content.inline.length < inode.size) {
        throw this.blocks.error(`inline data holds ${content.inline.length} bytes of a ${inode.size}-byte link target`, layer, inode.offset + 0x4, `at most ${content.inline.length} bytes`);
      }
      return linkTargetFromBytes(content.inline);
    }
    const runs = await content.mapper.map(0, Math.ceil(inode.size / this.sb.blockSize));
    const parts: Buffer[] = [];
    for (const run of runs) {
      parts.push(run.physical === null ? Buffer.alloc(run.count * this.sb.blockSize) : await this.blocks.read(run.physical, run.count, layer));
    }
    return linkTargetFromBytes(Buffer.concat(parts).subarray(0, inode.size));
  }

  /**
   * The kernel's ext4_inode_is_fast_symlink. With ea_inode, i_blocks also counts the blocks of the
   * inode's large xattr values (charged to it as quota), so only the size tells: under 60 bytes is
   * in i_block. Otherwise an inline-data symlink never is, and a fast one owns no block but its
   * xattr block, which costs a whole cluster with bigalloc.
   */
  private isFastSymlink(inode: Inode): boolean {
    if ((this.sb.featureIncompat & INCOMPAT_EA_INODE) !== 0) return inode.size > 0 && inode.size < I_BLOCK_SIZE;
    if ((inode.flags & FLAG_INLINE_DATA) !== 0) return false;
    const xattrSectors = inode.xattrBlock !== 0 ? this.sb.clusterSize / 512 : 0;
    return inode.sectors - xattrSectors === 0;
  }

  /** All entries of a directory except `.` and `..`, in on-disk order. */
  async readDirectory(inode: Inode): Promise<DirectoryEntry[]> {
    const layer: LayerPath = [`inode ${inode.number}`, 'directory'];
    const hasFileType = (this.sb.featureIncompat & INCOMPAT_FILETYPE) !== 0;
    if (inode.size > MAX_DIRECTORY_BYTES) {
      throw this.blocks.error(`directory of ${inode.size} bytes`, layer, inode.offset + 0x4, `at most ${MAX_DIRECTORY_BYTES} bytes`);
    }
    const entries: DirectoryEntry[] = [];
    const content = this.content(inode);
    if ('inline' in content) {
      const inBlock = inode.iBlock.subarray(INLINE_DIR_PARENT_SIZE);
      const iBlockOffset = inode.offset + 0x28;
      parseDirentArea(this.blocks, inBlock, iBlockOffset + INLINE_DIR_PARENT_SIZE, hasFileType, layer, entries);
      const tail = inlineDataTail(this.blocks, inode);
      if (tail.length > 0) parseDirentArea(this.blocks, tail, inode.offset, hasFileType, [...layer, 'system.data'], entries);
      return entries;
    }
    const blockSize = this.sb.blockSize;
    const runs = await content.mapper.map(0, Math.ceil(inode.size / blockSize));
    for (const run of runs) {
      // Holes and unwritten extents hold no entries.
      if (run.physical === null) continue;
      for (let done = 0; done < run.count; done += DIRECTORY_READ_BLOCKS) {
        const count = Math.min(DIRECTORY_READ_BLOCKS, run.count - done);
        const first = run.physical + done;
        const bytes = await this.blocks.read(first, count, layer);
        for (let block = 0; block < count; block++) {
          const offset = (first + block) * blockSize;
          parseDirentArea(this.blocks, bytes.subarray(block * blockSize, (block + 1) * blockSize), offset, hasFileType, layer, entries);
        }
      }
    }
    return entries;
  }
}

async function readSuperblockBytes(image: ByteSource): Promise<Buffer> {
  const end = SUPERBLOCK_OFFSET + SUPERBLOCK_SIZE;
  if (image.size < end) {
    throw new InputError(`truncated image: ${image.size} bytes, too short for a superblock`, {
      file: image.name,
      format: 'ext4 › superblock',
      offset: image.size,
      expected: `at least ${end} bytes`,
    });
  }
  return image.read(SUPERBLOCK_OFFSET, SUPERBLOCK_SIZE);
}
