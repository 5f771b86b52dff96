import type { Readable } from 'node:stream';
import type { TreeEntry } from '../../../shared/model.js';
import { compareStrings } from '../../../shared/sort.js';
import { InputError } from '../errors.js';
import { joinTreePath, type FileTree, type TreeNode } from './fileTree.js';

/**
 * The device as a user thinks of it: partitions mounted at `/system`, `/vendor`, … Paths are
 * absolute device paths (`/system/build.prop`); the root lists the mount points.
 */
export class DeviceTree {
  private readonly mounts: ReadonlyMap<string, FileTree>;

  /** @param mounts mount name (`system`) → tree; @param packageName used in error messages */
  constructor(mounts: ReadonlyMap<string, FileTree>, private readonly packageName: string) {
    this.mounts = new Map([...mounts].sort(([a], [b]) => compareStrings(a, b)));
  }

  get mountPoints(): string[] {
    return [...this.mounts.keys()].map((name) => `/${name}`);
  }

  async stat(devicePath: string): Promise<TreeEntry | null> {
    const location = this.locate(devicePath);
    if (location === 'root') return { path: '/', type: 'directory', size: 0 };
    if (location === null) return null;
    const node = await location.tree.stat(location.path);
    return node === null ? null : toEntry(location.mountPath, location.path, node);
  }

  async list(devicePath: string): Promise<TreeEntry[] | null> {
    const location = this.locate(devicePath);
    if (location === 'root') return this.mountPoints.map((path) => ({ path, type: 'directory', size: 0 }));
    if (location === null) return null;
    const nodes = await location.tree.list(location.path);
    if (nodes === null) return null;
    return nodes.map((node) => toEntry(location.mountPath, joinTreePath(location.path, node.name), node));
  }

  /** The content of a regular file; an InputError naming the path when it is missing or not a file. */
  async openStream(devicePath: string): Promise<Readable> {
    const entry = await this.stat(devicePath);
    if (entry === null) throw this.pathError(devicePath, 'no such file in the package');
    if (entry.type !== 'file') throw this.pathError(devicePath, `is a ${entry.type}, not a regular file`);
    const location = this.locate(devicePath);
    if (location === null || location === 'root') throw this.pathError(devicePath, 'no such file in the package');
    return location.tree.openStream(location.path);
  }

  /** Every entry below `devicePath` (default: everything), depth first, in code-unit order of names. */
  async *walk(devicePath = '/'): AsyncGenerator<TreeEntry> {
    const children = await this.list(devicePath);
    if (children === null) return;
    for (const child of children) {
      yield child;
      if (child.type === 'directory') yield* this.walk(child.path);
    }
  }

  private locate(devicePath: string): { tree: FileTree; mountPath: string; path: string } | 'root' | null {
    const segments = parseDevicePath(devicePath, this.packageName);
    const [mount, ...rest] = segments;
    if (mount === undefined) return 'root';
    const tree = this.mounts.get(mount);
    if (tree === undefined) return null;
    return { tree, mountPath: `/${mount}`, path: rest.join('/') };
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
  const segments = devicePath.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..' || segment.includes('\0'))) {
    throw new InputError('device paths may not contain ".", ".." or NUL', { file: packageName, format: devicePath });
  }
  return segments;
}

function toEntry(mountPath: string, path: string, node: TreeNode): TreeEntry {
  const entry: TreeEntry = { path: path === '' ? mountPath : `${mountPath}/${path}`, type: node.type, size: node.size };
  if (node.target !== undefined) entry.target = node.target;
  return entry;
}
