import { Readable } from 'node:stream';
import type { FileMetadata, Problem } from '../../../../shared/model.js';
import { CAPABILITY_XATTR, metadataFromInode, SELINUX_XATTR } from '../../security/xattrMetadata.js';
import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byteSource.js';
import { byName, joinTreePath, pathSegments, type FileTree, type TreeNode } from '../../vfs/fileTree.js';
import { decodeDeviceNumber } from '../../vfs/deviceNumbers.js';
import { ProblemLog } from '../../vfs/problemLog.js';
import { mapCompressedData } from './compressedMap.js';
import { readDirectory, type DirectoryEntry } from './directory.js';
import type { Extent, ExtentMap } from './extentMap.js';
import { ExtentSource, streamFileData, type FileData } from './extentSource.js';
import { mapFlatData } from './flatMap.js';
import type { ImageReader } from './imageReader.js';
import { DATA_LAYOUT, inodeFormat, readInode, type Inode } from './inode.js';
import { decodeBytes } from './names.js';
import type { Superblock } from './superblock.js';
import { ErofsXattrReader, type ErofsXattr } from './xattrs.js';

/** Parsed directories kept in memory (a walk lists each once; lookups revisit ancestors). */
const CACHED_DIRECTORIES = 64;
/**
 * Directory inodes kept in memory: every path lookup goes through its ancestors' inodes, which lie
 * anywhere in the image (in a payload, in operations long since dropped from the decode cache).
 */
const CACHED_DIRECTORY_INODES = 4096;
/** Linux's PATH_MAX: a longer "symlink" is corruption. */
const MAX_SYMLINK_BYTES = 4096;

interface Resolved {
  inode: Inode;
  /** Inode numbers from the root down to this node, to recognise directory loops. */
  chain: number[];
}

/**
 * An EROFS image as a FileTree, read by random access: superblock, then only the inodes,
 * directories and pclusters a request touches. Device nodes, FIFOs and sockets are listed with
 * their type (devices with their numbers) and have no content. Entries that cannot be read (a truncated or corrupt
 * image) are left out of listings and recorded in `problems`; the rest of the image stays readable.
 */
export class ErofsTree implements FileTree {
  private readonly directories = new Map<number, Promise<Map<string, DirectoryEntry>>>();
  private readonly directoryInodes = new Map<number, Inode>();
  private readonly problemLog = new ProblemLog();
  /** The packed inode's content (fragments), opened once on first use; shared by all files. */
  private packedContent: Promise<ByteSource> | null = null;
  private readonly xattrs: ErofsXattrReader;

  constructor(
    private readonly reader: ImageReader,
    private readonly superblock: Superblock,
    private readonly root: Inode,
  ) {
    this.xattrs = new ErofsXattrReader(reader, superblock, () => this.packed());
  }

  /** What could not be read so far (paths relative to the tree), in path order. */
  get problems(): Problem[] {
    return this.problemLog.problems;
  }

  async list(path: string): Promise<TreeNode[] | null> {
    // Inodes in number order: neighbours share metadata blocks, so each block is read (and, in a
    // payload, decoded) once rather than jumping back and forth in name order.
    const children = await this.children(path, (a, b) => a.nid - b.nid);
    if (children === null) return null;
    const nodes: TreeNode[] = [];
    for await (const node of children) nodes.push(node);
    return nodes.sort(byName);
  }

  /**
   * The children of a directory in name order, each child's inode read only when it is asked for:
   * mkfs.erofs puts a file's inode next to its data, so a reader that reads each file as it is
   * listed reads the image front to back, once, instead of listing a whole folder's inodes (spread
   * over all its files' data) ahead of reading them.
   */
  async listLazily(path: string): Promise<AsyncIterable<TreeNode> | null> {
    return this.children(path, byName);
  }

  private async children(path: string, order: (a: DirectoryEntry, b: DirectoryEntry) => number): Promise<AsyncGenerator<TreeNode> | null> {
    const resolved = await this.resolve(path);
    if (resolved === null || resolved.inode.kind !== 'directory') return null;
    const entries = [...(await this.entries(resolved.inode, path)).values()].sort(order);
    return this.describeEach(resolved, path, entries);
  }

  private async *describeEach(directory: Resolved, path: string, entries: readonly DirectoryEntry[]): AsyncGenerator<TreeNode> {
    for (const entry of entries) {
      const childPath = joinTreePath(path, entry.name);
      if (directory.chain.includes(entry.nid)) {
        this.report(childPath, `directory loop: points back at inode ${entry.nid}, a folder above it`);
        continue;
      }
      let node: TreeNode | null = null;
      try {
        node = await this.describe(await readInode(this.reader, this.superblock, entry.nid), entry.name, childPath);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        this.report(childPath, error.message);
      }
      if (node !== null) yield node;
    }
  }

  async stat(path: string): Promise<TreeNode | null> {
    const resolved = await this.resolve(path);
    if (resolved === null) return null;
    return this.describe(resolved.inode, pathSegments(path).at(-1) ?? '', path);
  }

  async openStream(path: string): Promise<Readable> {
    const data = await this.fileData(path);
    return Readable.from(streamFileData(data), { objectMode: false });
  }

  async openSource(path: string): Promise<ByteSource> {
    return new ExtentSource(`${this.reader.name} › ${path}`, await this.fileData(path));
  }

  /** How a regular file is stored, extent by extent (for diagnostics and tests). */
  async extents(path: string): Promise<Extent[]> {
    const { map } = await this.fileData(path);
    return Array.from({ length: map.count }, (_, index) => map.get(index));
  }

  private async fileData(path: string): Promise<FileData> {
    const resolved = await this.resolve(path);
    // Callers check the node type first (DeviceTree.openStream); reaching here is a programming error.
    if (resolved === null || resolved.inode.kind !== 'file') throw new Error(`not a regular file: ${path}`);
    return this.dataOf(resolved.inode);
  }

  private async dataOf(inode: Inode, packed = this.packed): Promise<FileData> {
    return { reader: this.reader, superblock: this.superblock, nid: inode.nid, map: await this.mapData(inode), packed };
  }

  private readonly packed = (): Promise<ByteSource> => {
    this.packedContent ??= this.openPacked();
    return this.packedContent;
  };

  /** The packed inode, a regular file of its own whose extents cannot be fragments in turn. */
  private async openPacked(): Promise<ByteSource> {
    const nid = this.superblock.packedNid;
    const fail = (problem: string): InputError => new InputError(problem, { file: this.reader.name, format: `erofs › packed inode ${nid}` });
    if (nid === null) throw fail('the image has no packed inode for fragments');
    const inode = await readInode(this.reader, this.superblock, nid);
    if (inode.kind !== 'file') throw fail(`the packed inode is a ${inode.kind}, not a file`);
    const selfReference = (): Promise<ByteSource> => Promise.reject(fail('the packed inode keeps fragments in itself'));
    return new ExtentSource(this.reader.name, await this.dataOf(inode, selfReference));
  }

  private mapData(inode: Inode): Promise<ExtentMap> {
    return inode.dataLayout === DATA_LAYOUT.compressedFull || inode.dataLayout === DATA_LAYOUT.compressedCompact
      ? mapCompressedData(this.reader, this.superblock, inode)
      : mapFlatData(this.reader, this.superblock, inode);
  }

  private async describe(inode: Inode, name: string, path: string): Promise<TreeNode | null> {
    const node = await this.describeType(inode, name);
    if (node !== null) node.metadata = await this.metadata(inode, path);
    return node;
  }

  /** Mode, owner, label and capabilities; an xattr area that cannot be read is a problem and leaves those two out. */
  private async metadata(inode: Inode, path: string): Promise<FileMetadata> {
    let xattrs: ErofsXattr[] = [];
    let unread: string | null = null;
    try {
      xattrs = await this.xattrs.read(inode);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      unread = `extended attributes not read: ${error.message}`;
    }
    const value = (name: string): Buffer | null => xattrs.find((xattr) => xattr.name === name)?.value ?? null;
    const { metadata, problem } = metadataFromInode(inode.mode, inode.uid, inode.gid, value(SELINUX_XATTR), value(CAPABILITY_XATTR));
    const why = unread ?? problem;
    if (why !== null) this.report(path, why);
    return metadata;
  }

  private async describeType(inode: Inode, name: string): Promise<TreeNode | null> {
    switch (inode.kind) {
      case 'file':
        return { name, type: 'file', size: inode.size };
      case 'directory':
        return { name, type: 'directory', size: 0 };
      case 'symlink':
        return { name, type: 'symlink', size: 0, target: await this.symlinkTarget(inode) };
      case 'character device':
        return { name, type: 'char-device', size: 0, device: decodeDeviceNumber(inode.union) };
      case 'block device':
        return { name, type: 'block-device', size: 0, device: decodeDeviceNumber(inode.union) };
      case 'fifo':
      case 'socket':
        return { name, type: inode.kind, size: 0 };
    }
  }

  private async symlinkTarget(inode: Inode): Promise<string> {
    if (inode.size > MAX_SYMLINK_BYTES) {
      throw new InputError(`symlink target of ${inode.size} bytes is longer than any path`, { file: this.reader.name, format: inodeFormat(inode.nid), offset: inode.position });
    }
    const content = new ExtentSource(this.reader.name, await this.dataOf(inode));
    return decodeBytes(await content.read(0, inode.size));
  }

  private async resolve(path: string): Promise<Resolved | null> {
    let inode = this.root;
    const chain = [this.root.nid];
    let walked = '';
    for (const segment of pathSegments(path)) {
      if (inode.kind !== 'directory') return null;
      const entry = (await this.entries(inode, walked)).get(segment);
      walked = joinTreePath(walked, segment);
      if (entry === undefined) return null;
      if (chain.includes(entry.nid)) {
        this.report(walked, `directory loop: points back at inode ${entry.nid}, a folder above it`);
        return null;
      }
      try {
        inode = this.directoryInodes.get(entry.nid) ?? (await readInode(this.reader, this.superblock, entry.nid));
        if (inode.kind === 'directory') this.rememberDirectoryInode(inode);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        this.report(walked, error.message);
        return null;
      }
      chain.push(entry.nid);
    }
    return { inode, chain };
  }

  private rememberDirectoryInode(inode: Inode): void {
    this.directoryInodes.delete(inode.nid);
    this.directoryInodes.set(inode.nid, inode);
    if (this.directoryInodes.size > CACHED_DIRECTORY_INODES) this.directoryInodes.delete(this.directoryInodes.keys().next().value as number);
  }

  /** A directory's entries by name, parsed once and kept in a small LRU. */
  private entries(directory: Inode, path: string): Promise<Map<string, DirectoryEntry>> {
    const cached = this.directories.get(directory.nid);
    if (cached !== undefined) {
      this.directories.delete(directory.nid);
      this.directories.set(directory.nid, cached);
      return cached;
    }
    const loading = this.loadEntries(directory, path);
    this.directories.set(directory.nid, loading);
    loading.catch(() => {
      if (this.directories.get(directory.nid) === loading) this.directories.delete(directory.nid);
    });
    if (this.directories.size > CACHED_DIRECTORIES) this.directories.delete(this.directories.keys().next().value as number);
    return loading;
  }

  private async loadEntries(directory: Inode, path: string): Promise<Map<string, DirectoryEntry>> {
    const format = `${inodeFormat(directory.nid)} (directory ${path === '' ? '/' : path})`;
    let content: ByteSource;
    try {
      content = new ExtentSource(this.reader.name, await this.dataOf(directory));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.report(path, error.message);
      return new Map();
    }
    const listing = await readDirectory(content, this.superblock.blockSize, format, this.reader.name);
    for (const problem of listing.problems) this.report(path, problem.message);
    return listing.entries;
  }

  private report(path: string, message: string): void {
    this.problemLog.record(path, message);
  }
}
