import { createReadStream, type Stats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { FileType, Problem } from '../../../shared/model.js';
import { InputError } from '../errors.js';
import { FileByteSource, type ByteSource } from '../io/byteSource.js';
import { decodeDeviceNumber } from './deviceNumbers.js';
import { byName, joinTreePath, pathSegments, type FileTree, type TreeNode } from './fileTree.js';
import { ProblemLog } from './problemLog.js';
import { bytesFromName, linkTargetFromBytes, nameFromBytes } from './rawNames.js';

const SEPARATOR = Buffer.from('/');

/**
 * A folder on the user's disk seen as a firmware tree. Names are read as bytes and shown with the
 * escaping of rawNames.ts, so a name that is not UTF-8 is listed and can be addressed again.
 * Symlinks are firmware data (they point at device paths, not host paths): they are reported with
 * their target and never followed, so a tree can never lead outside its folder. Device nodes,
 * FIFOs and sockets are listed with their type and never opened. Nothing is ever written.
 */
export class DirectoryTree implements FileTree {
  private readonly rootPath: Buffer;
  private readonly problemLog = new ProblemLog();

  constructor(rootPath: string) {
    this.rootPath = Buffer.from(rootPath);
  }

  /** Entries left out of listings because the host could not read them, in path order. */
  get problems(): Problem[] {
    return this.problemLog.problems;
  }

  /** The host path for a tree path, or null if a component on the way is not a real directory or names nothing. */
  private async resolve(path: string): Promise<{ hostPath: Buffer; stats: Stats } | null> {
    let hostPath = this.rootPath;
    let stats = await lstatOrNull(hostPath, path);
    for (const segment of pathSegments(path)) {
      const name = bytesFromName(segment);
      if (stats === null || !stats.isDirectory() || name === null) return null;
      hostPath = Buffer.concat([hostPath, SEPARATOR, name]);
      stats = await lstatOrNull(hostPath, path);
    }
    return stats === null ? null : { hostPath, stats };
  }

  async list(path: string): Promise<TreeNode[] | null> {
    const resolved = await this.resolve(path);
    if (resolved === null || !resolved.stats.isDirectory()) return null;
    const names = await hostCall(() => readdir(resolved.hostPath, { encoding: 'buffer' }), path);
    const nodes: TreeNode[] = [];
    for (const nameBytes of names) {
      const name = nameFromBytes(nameBytes);
      try {
        const node = await this.describe(Buffer.concat([resolved.hostPath, SEPARATOR, nameBytes]), name, joinTreePath(path, name));
        if (node !== null) nodes.push(node);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        this.problemLog.record(joinTreePath(path, name), error.message);
      }
    }
    return nodes.sort(byName);
  }

  async stat(path: string): Promise<TreeNode | null> {
    const resolved = await this.resolve(path);
    if (resolved === null) return null;
    return this.describe(resolved.hostPath, pathSegments(path).at(-1) ?? '', path, resolved.stats);
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

  /** A node, or null when the entry vanished while the folder was read. */
  private async describe(hostPath: Buffer, name: string, path: string, known?: Stats): Promise<TreeNode | null> {
    const stats = known ?? (await lstatOrNull(hostPath, path));
    if (stats === null) return null;
    const type = fileTypeOf(stats);
    if (type === null) throw new InputError('not a file type a tree can hold', { file: path, format: 'folder', expected: 'a file, folder, symlink, device, FIFO or socket' });
    if (type === 'symlink') return { name, type, size: 0, target: linkTargetFromBytes(await hostCall(() => readlink(hostPath, { encoding: 'buffer' }), path)) };
    if (type === 'char-device' || type === 'block-device') return { name, type, size: 0, device: decodeDeviceNumber(stats.rdev) };
    return { name, type, size: type === 'file' ? stats.size : 0 };
  }
}

function fileTypeOf(stats: Stats): FileType | null {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'directory';
  if (stats.isFile()) return 'file';
  if (stats.isCharacterDevice()) return 'char-device';
  if (stats.isBlockDevice()) return 'block-device';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  return null;
}

async function lstatOrNull(hostPath: Buffer, path: string): Promise<Stats | null> {
  try {
    return await hostCall(() => lstat(hostPath), path);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/**
 * Runs a file system call; a refusal by the host (no permission, an I/O error) becomes an
 * InputError naming the tree path, so the entry is reported rather than ending the comparison.
 */
async function hostCall<T>(call: () => Promise<T>, path: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === undefined || isMissing(error)) throw error;
    throw new InputError(`the folder cannot be read here (${code}: ${(error as Error).message})`, { file: path === '' ? '/' : path, format: 'folder', cause: error });
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
