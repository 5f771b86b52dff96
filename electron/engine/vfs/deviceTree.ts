import type { Readable } from 'node:stream';
import { describeFileType } from '../../../shared/fileTypes.js';
import type { Problem, TreeEntry } from '../../../shared/model.js';
import { compareStrings } from '../../../shared/sort.js';
import { InputError } from '../errors.js';
import type { ByteSource } from '../io/byteSource.js';
import { joinTreePath, type FileTree, type TreeNode } from './fileTree.js';
import { openNestedArchive, type NestedArchive } from './nestedArchive.js';

/** `!/` enters an archive: `/system/app/Mms/Mms.apk!/res/xml/preferences.xml`. */
export const ARCHIVE_SEPARATOR = '!/';
/**
 * The mount name of a package that is one tree (an APK): its members are the device's paths
 * (`/AndroidManifest.xml`), and a path may leave out the leading `/`.
 */
export const ROOT_MOUNT = '';
/** Archives inside archives inside archives… are legitimate only a few levels deep. */
const MAX_ARCHIVE_DEPTH = 4;
/** Nested archives kept open at once (each may hold a decode cache). */
const OPEN_ARCHIVES_LIMIT = 8;

interface Location {
  tree: FileTree;
  /** Device path of the tree's root: `/system`, or `/system/app/Mms/Mms.apk!` inside an archive. */
  prefix: string;
  /** Path inside the tree. */
  path: string;
}

/**
 * The device as a user thinks of it: partitions mounted at `/system`, `/vendor`, … Paths are
 * absolute device paths (`/system/build.prop`); the root lists the mount points, and `!/` after a
 * file that is an archive (an APK, an APEX) enters it.
 */
export class DeviceTree {
  private readonly mounts: ReadonlyMap<string, FileTree>;
  /** Opened nested archives by the device path of the archive file, least recently used first. */
  private readonly archives = new Map<string, Promise<NestedArchive>>();
  private readonly unreadable: ReadonlyMap<string, string>;

  /**
   * @param mounts mount name (`system`) → tree
   * @param packageName used in error messages
   * @param unreadable partitions the package has but that could not be read: mount name → why
   *   (a path inside one is an InputError saying so, never an empty folder)
   */
  constructor(mounts: ReadonlyMap<string, FileTree>, private readonly packageName: string, unreadable: ReadonlyMap<string, string> = new Map()) {
    this.mounts = new Map([...mounts].sort(([a], [b]) => compareStrings(a, b)));
    this.unreadable = new Map([...unreadable].filter(([name]) => !mounts.has(name)).sort(([a], [b]) => compareStrings(a, b)));
  }

  get mountPoints(): string[] {
    return [...this.mounts.keys()].map((name) => `/${name}`);
  }

  /** Partitions that exist in the package but could not be read, with why, in name order. */
  get unreadableMounts(): Problem[] {
    return [...this.unreadable].map(([name, message]) => ({ path: `/${name}`, message }));
  }

  private get rootTree(): FileTree | undefined {
    return this.mounts.get(ROOT_MOUNT);
  }

  async stat(devicePath: string): Promise<TreeEntry | null> {
    const location = await this.locate(devicePath);
    if (location === 'root') return { path: '/', type: 'directory', size: 0 };
    if (location === null) return null;
    const node = await location.tree.stat(location.path);
    return node === null ? null : toEntry(location, location.path, node);
  }

  async list(devicePath: string): Promise<TreeEntry[] | null> {
    const location = await this.locate(devicePath);
    if (location === 'root') return this.mountPoints.map((path) => ({ path, type: 'directory', size: 0 }));
    if (location === null) return null;
    const nodes = await location.tree.list(location.path);
    if (nodes === null) return null;
    return nodes.map((node) => toEntry(location, joinTreePath(location.path, node.name), node));
  }

  /** The content of a regular file; an InputError naming the path when it is missing or not a file. */
  async openStream(devicePath: string): Promise<Readable> {
    const location = await this.fileLocation(devicePath);
    return location.tree.openStream(location.path);
  }

  /** The content of a regular file by random access. */
  async openSource(devicePath: string): Promise<ByteSource> {
    const location = await this.fileLocation(devicePath);
    return location.tree.openSource(location.path);
  }

  /**
   * Every entry below `devicePath` (default: everything), depth first, in code-unit order of names.
   * With `problems`, a folder that cannot be read is reported there and skipped; without, it throws.
   */
  async *walk(devicePath = '/', problems?: Problem[]): AsyncGenerator<TreeEntry> {
    let children: AsyncIterable<TreeEntry> | TreeEntry[] | null;
    try {
      children = await this.listForWalk(devicePath);
    } catch (error) {
      if (problems === undefined || !(error instanceof InputError)) throw error;
      problems.push({ path: devicePath, message: `folder not read: ${error.message}` });
      return;
    }
    if (children === null) return;
    for await (const child of children) {
      yield child;
      if (child.type === 'directory') yield* this.walk(child.path, problems);
    }
  }

  /** A folder's entries for a walk: listed one by one where the tree can (see FileTree.listLazily). */
  private async listForWalk(devicePath: string): Promise<AsyncIterable<TreeEntry> | TreeEntry[] | null> {
    const location = await this.locate(devicePath);
    if (location === 'root' || location === null || location.tree.listLazily === undefined) return this.list(devicePath);
    const nodes = await location.tree.listLazily(location.path);
    if (nodes === null) return null;
    return (async function* () {
      for await (const node of nodes) yield toEntry(location, joinTreePath(location.path, node.name), node);
    })();
  }

  /** What the partitions' readers skipped so far, with device paths. */
  get treeProblems(): Problem[] {
    return [...this.mounts].flatMap(([mount, tree]) =>
      (tree.problems ?? []).map((problem) => ({ path: `${mount === ROOT_MOUNT ? '' : `/${mount}`}/${problem.path.replace(/^\/+/, '')}`, message: problem.message })),
    );
  }

  /** Closes the archives opened through `!/` paths. */
  async close(): Promise<void> {
    const open = [...this.archives.values()];
    this.archives.clear();
    for (const archive of open) await (await archive.catch(() => null))?.close();
  }

  private async fileLocation(devicePath: string): Promise<Location> {
    const entry = await this.stat(devicePath);
    if (entry === null) throw this.pathError(devicePath, 'no such file in the package');
    if (entry.type !== 'file') throw this.pathError(devicePath, `is a ${describeFileType(entry.type, entry.device)}, not a regular file`);
    const location = await this.locate(devicePath);
    if (location === null || location === 'root') throw this.pathError(devicePath, 'no such file in the package');
    return location;
  }

  private async locate(devicePath: string): Promise<Location | 'root' | null> {
    const [given = '', ...inner] = devicePath.split(ARCHIVE_SEPARATOR);
    if (inner.length > MAX_ARCHIVE_DEPTH) {
      throw this.pathError(devicePath, `archives nested more than ${MAX_ARCHIVE_DEPTH} deep are not entered`);
    }
    const root = this.rootTree;
    const outer = root !== undefined && !given.startsWith('/') ? `/${given}` : given;
    const [mount, ...rest] = parseDevicePath(outer, this.packageName);
    let location: Location;
    if (root !== undefined) {
      location = { tree: root, prefix: '', path: [mount, ...rest].filter((segment) => segment !== undefined).join('/') };
    } else {
      if (mount === undefined) return inner.length === 0 ? 'root' : null;
      const tree = this.mounts.get(mount);
      if (tree === undefined) {
        const why = this.unreadable.get(mount);
        if (why !== undefined) throw this.pathError(devicePath, `the /${mount} partition could not be read, so nothing in it can be shown (${why})`);
        return null;
      }
      location = { tree, prefix: `/${mount}`, path: rest.join('/') };
    }
    for (const innerPath of inner) {
      const archive = await this.enter(location);
      if (archive === null) return null;
      location = { tree: archive.tree, prefix: `${entryPath(location, location.path)}!`, path: relativeSegments(innerPath, devicePath, this.packageName).join('/') };
    }
    return location;
  }

  /** The archive at `location`, opened once and kept in a small LRU; null when it is not one. */
  private async enter(location: Location): Promise<NestedArchive | null> {
    const key = entryPath(location, location.path);
    const node = await location.tree.stat(location.path);
    if (node?.type !== 'file') return null;
    let archive = this.archives.get(key);
    if (archive === undefined) {
      archive = location.tree.openSource(location.path).then(async (source) => {
        const opened = await openNestedArchive(source);
        if (opened === null) {
          await source.close();
          throw this.pathError(key, 'is not an archive OTA Lens can open with !/ (expected a zip, APK or APEX)');
        }
        return opened;
      });
      this.archives.set(key, archive);
      await this.evictBeyondLimit();
    } else {
      this.archives.delete(key);
      this.archives.set(key, archive);
    }
    return archive;
  }

  private async evictBeyondLimit(): Promise<void> {
    while (this.archives.size > OPEN_ARCHIVES_LIMIT) {
      const [oldestKey, oldest] = this.archives.entries().next().value as [string, Promise<NestedArchive>];
      this.archives.delete(oldestKey);
      await (await oldest.catch(() => null))?.close();
    }
  }

  private pathError(devicePath: string, problem: string): InputError {
    return new InputError(problem, { file: this.packageName, format: devicePath });
  }
}

/** `/system//app/` → ['system','app']; relative paths and `.`/`..` segments are refused. */
export function parseDevicePath(devicePath: string, packageName: string): string[] {
  if (!devicePath.startsWith('/')) {
    throw new InputError('device paths start with /', { file: packageName, format: devicePath, expected: 'e.g. /system/build.prop' });
  }
  return relativeSegments(devicePath, devicePath, packageName);
}

function relativeSegments(path: string, devicePath: string, packageName: string): string[] {
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..' || segment.includes('\0'))) {
    throw new InputError('device paths may not contain ".", ".." or NUL', { file: packageName, format: devicePath });
  }
  return segments;
}

function entryPath(location: Location, path: string): string {
  if (path === '') return location.prefix === '' ? '/' : location.prefix;
  return `${location.prefix}/${path}`;
}

function toEntry(location: Location, path: string, node: TreeNode): TreeEntry {
  const entry: TreeEntry = { path: entryPath(location, path), type: node.type, size: node.size };
  if (node.target !== undefined) entry.target = node.target;
  if (node.device !== undefined) entry.device = node.device;
  if (node.metadata !== undefined) entry.metadata = node.metadata;
  return entry;
}
