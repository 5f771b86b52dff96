import { createReadStream, type Stats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FileType } from '../../../shared/model.js';
import { FileByteSource, type ByteSource } from '../io/byteSource.js';
import { byName, pathSegments, type FileTree, type TreeNode } from './fileTree.js';

/**
 * A folder on the user's disk seen as a firmware tree. Symlinks are firmware data (they point at
 * device paths, not host paths): they are reported with their target and never followed, so a
 * tree can never lead outside its folder. Nothing is ever written.
 */
export class DirectoryTree implements FileTree {
  constructor(private readonly rootPath: string) {}

  /** The host path for a tree path, or null if a component on the way is not a real directory. */
  private async resolve(path: string): Promise<{ hostPath: string; stats: Stats } | null> {
    let hostPath = this.rootPath;
    let stats = await lstatOrNull(hostPath);
    for (const segment of pathSegments(path)) {
      if (stats === null || !stats.isDirectory()) return null;
      hostPath = join(hostPath, segment);
      stats = await lstatOrNull(hostPath);
    }
    return stats === null ? null : { hostPath, stats };
  }

  async list(path: string): Promise<TreeNode[] | null> {
    const resolved = await this.resolve(path);
    if (resolved === null || !resolved.stats.isDirectory()) return null;
    const names = await readdir(resolved.hostPath);
    const nodes: TreeNode[] = [];
    for (const name of names) {
      const node = await this.describe(join(resolved.hostPath, name), name);
      if (node !== null) nodes.push(node);
    }
    return nodes.sort(byName);
  }

  async stat(path: string): Promise<TreeNode | null> {
    const resolved = await this.resolve(path);
    if (resolved === null) return null;
    const segments = pathSegments(path);
    return this.describe(resolved.hostPath, segments[segments.length - 1] ?? '', resolved.stats);
  }

  async openStream(path: string): Promise<Readable> {
    const resolved = await this.resolve(path);
    if (resolved === null || !resolved.stats.isFile()) throw new Error(`not a regular file: ${path}`);
    return createReadStream(resolved.hostPath);
  }

  async openSource(path: string): Promise<ByteSource> {
    const resolved = await this.resolve(path);
    if (resolved === null || !resolved.stats.isFile()) throw new Error(`not a regular file: ${path}`);
    return FileByteSource.open(resolved.hostPath, pathSegments(path).at(-1) ?? path);
  }

  private async describe(hostPath: string, name: string, known?: Stats): Promise<TreeNode | null> {
    const stats = known ?? (await lstatOrNull(hostPath));
    if (stats === null) return null;
    const type = fileTypeOf(stats);
    if (type === null) return null; // sockets, devices, FIFOs: not firmware content
    if (type === 'symlink') return { name, type, size: 0, target: await readlink(hostPath) };
    return { name, type, size: type === 'file' ? stats.size : 0 };
  }
}

function fileTypeOf(stats: Stats): FileType | null {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'directory';
  if (stats.isFile()) return 'file';
  return null;
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
