import { Readable } from 'node:stream';
import type { Problem } from '../../../../shared/model.js';
import { InputError } from '../../errors.js';
import { readChunks, type ByteSource } from '../../io/byteSource.js';
import { byName, joinTreePath, pathSegments, type FileTree, type TreeNode } from '../../vfs/fileTree.js';
import { ProblemLog } from '../../vfs/problemLog.js';
import { aboutPath } from './blockReader.js';
import type { DirectoryEntry } from './directory.js';
import { Ext4FileSource } from './fileSource.js';
import { deviceNumbers, ROOT_INODE, type Inode } from './inode.js';
import { PromiseLru } from './lru.js';
import type { Ext4Volume } from './volume.js';

/** Parsed directories kept in memory (path lookups walk them from the root every time). */
const CACHED_DIRECTORIES = 64;
/** Child inodes read at once while listing a directory. */
const LIST_BATCH = 64;

/** An inode reached by a path, with the directory inodes on the way (root first). */
interface Located {
  inode: Inode;
  path: string;
  ancestors: readonly number[];
}

/**
 * An ext4 image as a FileTree. Paths are resolved from the root inode through the directories
 * (cached); a directory entry that leads back to a directory already on the path, or to a
 * directory already seen at another path, is a loop in a corrupt image and an InputError, so a
 * walk over a hostile image always ends. Listing a directory leaves out an entry that cannot be
 * read (a bad inode, a loop) and records it in `problems`, so its siblings are still compared; a
 * directory whose own blocks cannot be read fails to list.
 */
export class Ext4Tree implements FileTree {
  private readonly directories = new PromiseLru<number, Map<string, DirectoryEntry>>(CACHED_DIRECTORIES);
  /** Directories have exactly one parent: each directory inode met so far, with its path. */
  private readonly directoryPaths = new Map<number, string>([[ROOT_INODE, '']]);
  private readonly problemLog = new ProblemLog();

  constructor(
    private readonly volume: Ext4Volume,
    private readonly root: Inode,
  ) {}

  /** Entries left out of listings because they could not be read, in path order. */
  get problems(): Problem[] {
    return this.problemLog.problems;
  }

  async list(path: string): Promise<TreeNode[] | null> {
    const found = await this.locate(path);
    if (found === null || found.inode.kind !== 'directory') return null;
    const entries = [...(await this.entries(found)).values()];
    const nodes: TreeNode[] = [];
    for (let start = 0; start < entries.length; start += LIST_BATCH) {
      const batch = entries.slice(start, start + LIST_BATCH);
      const described = await Promise.all(batch.map((entry) => this.describeEntry(found, entry)));
      for (const node of described) if (node !== null) nodes.push(node);
    }
    return nodes.sort(byName);
  }

  /** One listed entry, or null (recorded as a problem) when its inode cannot be read. */
  private async describeEntry(directory: Located, entry: DirectoryEntry): Promise<TreeNode | null> {
    try {
      return await this.describe(await this.child(directory, entry), entry.name);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.problemLog.record(joinTreePath(directory.path, entry.name), error.message);
      return null;
    }
  }

  async stat(path: string): Promise<TreeNode | null> {
    const found = await this.locate(path);
    if (found === null) return null;
    return this.describe(found, pathSegments(path).at(-1) ?? '');
  }

  async openStream(path: string): Promise<Readable> {
    const source = await this.openSource(path);
    return Readable.from(readChunks(source), { highWaterMark: 2 });
  }

  async openSource(path: string): Promise<ByteSource> {
    const found = await this.locate(path);
    if (found === null || found.inode.kind !== 'file') throw new Error(`not a regular file: ${path}`);
    const inode = found.inode;
    try {
      const content = this.volume.content(inode);
      return new Ext4FileSource(`${this.volume.blocks.image.name} › ${found.path}`, found.path, inode.size, this.volume.blocks, inode.number, content);
    } catch (error) {
      throw aboutPath(error, found.path);
    }
  }

  /** The inode at a path, or null when a name on the way is missing or not a directory. */
  private async locate(path: string): Promise<Located | null> {
    const segments = pathSegments(path);
    if (segments.some((segment) => segment === '.' || segment === '..')) return null;
    let current: Located = { inode: this.root, path: '', ancestors: [ROOT_INODE] };
    for (const segment of segments) {
      if (current.inode.kind !== 'directory') return null;
      const entry = (await this.entries(current)).get(segment);
      if (entry === undefined) return null;
      current = await this.child(current, entry);
    }
    return current;
  }

  /** A directory's entries by name; on duplicate names (a corrupt directory) the first one wins and the others are reported. */
  private entries(directory: Located): Promise<Map<string, DirectoryEntry>> {
    return this.directories.get(directory.inode.number, async () => {
      try {
        const byNameMap = new Map<string, DirectoryEntry>();
        for (const entry of await this.volume.readDirectory(directory.inode)) {
          const first = byNameMap.get(entry.name);
          if (first === undefined) byNameMap.set(entry.name, entry);
          else this.problemLog.record(joinTreePath(directory.path, entry.name), `listed twice in its folder (inodes ${first.inode} and ${entry.inode}); the second entry was left out`);
        }
        return byNameMap;
      } catch (error) {
        throw aboutPath(error, directory.path === '' ? '/' : directory.path);
      }
    });
  }

  private async child(parent: Located, entry: DirectoryEntry): Promise<Located> {
    const path = joinTreePath(parent.path, entry.name);
    try {
      const inode = await this.volume.inodes.read(entry.inode);
      if (inode.kind === 'unused') {
        throw this.volume.blocks.error(`entry points to inode ${entry.inode}, which is not in use`, [`inode ${parent.inode.number}`, 'directory'], inode.offset, 'an inode with a file type');
      }
      if (inode.kind !== 'directory') return { inode, path, ancestors: parent.ancestors };
      this.checkNoLoop(parent, inode, path);
      return { inode, path, ancestors: [...parent.ancestors, inode.number] };
    } catch (error) {
      throw aboutPath(error, path);
    }
  }

  private checkNoLoop(parent: Located, inode: Inode, path: string): void {
    const layer = [`inode ${parent.inode.number}`, 'directory'];
    if (parent.ancestors.includes(inode.number)) {
      const ancestor = this.directoryPaths.get(inode.number) ?? `inode ${inode.number}`;
      throw this.volume.blocks.error(`directory loop: entry points back to ${ancestor === '' ? 'the root' : ancestor} (inode ${inode.number})`, layer, inode.offset, 'a new directory');
    }
    const seenAt = this.directoryPaths.get(inode.number);
    if (seenAt !== undefined && seenAt !== path) {
      throw this.volume.blocks.error(`directory inode ${inode.number} is also linked at ${seenAt === '' ? 'the root' : seenAt}`, layer, inode.offset, 'one parent per directory');
    }
    this.directoryPaths.set(inode.number, path);
  }

  private async describe(found: Located, name: string): Promise<TreeNode> {
    const node = await this.describeType(found, name);
    // Metadata comes with the inode just read; an unreadable xattr leaves the entry listed, without its label or capabilities.
    const { metadata, problem } = await this.volume.metadata(found.inode);
    if (problem !== null) this.problemLog.record(found.path, problem);
    node.metadata = metadata;
    return node;
  }

  private async describeType(found: Located, name: string): Promise<TreeNode> {
    const inode = found.inode;
    try {
      switch (inode.kind) {
        case 'directory':
          return { name, type: 'directory', size: 0 };
        case 'file':
          // Checks the size and layout up front, so a listed size is one that can be read.
          this.volume.content(inode);
          return { name, type: 'file', size: inode.size };
        case 'symlink':
          return { name, type: 'symlink', size: 0, target: await this.volume.readLinkTarget(inode) };
        case 'char-device':
        case 'block-device':
          return { name, type: inode.kind, size: 0, device: deviceNumbers(inode) };
        case 'fifo':
        case 'socket':
          return { name, type: inode.kind, size: 0 };
        default:
          throw this.volume.blocks.error(`unknown file type in mode 0o${inode.mode.toString(8)}`, [`inode ${inode.number}`], inode.offset, 'a file, folder, symlink, device, FIFO or socket');
      }
    } catch (error) {
      throw aboutPath(error, found.path === '' ? '/' : found.path);
    }
  }
}
