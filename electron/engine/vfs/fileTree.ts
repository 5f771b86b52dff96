import type { Readable } from 'node:stream';
import type { DeviceNumbers, FileMetadata, FileType, Problem } from '../../../shared/model.js';
import type { ByteSource } from '../io/byteSource.js';
import { compareStrings } from '../../../shared/sort.js';

/** One node of a file tree, named relative to its parent. */
export interface TreeNode {
  name: string;
  type: FileType;
  size: number;
  target?: string;
  /** Numbers of a character or block device, when the format records them. */
  device?: DeviceNumbers;
  /** Mode, owner, SELinux label and capabilities, read with the node (from its inode) where the format records them. */
  metadata?: FileMetadata;
}

/**
 * A read-only tree of files: a partition, a folder, the `system/` part of a zip. Paths are relative
 * to the tree's root, `/`-separated, without leading slash; '' is the root itself.
 */
export interface FileTree {
  /** Children of a directory, sorted by name; null when the path is not a directory. */
  list(path: string): Promise<TreeNode[] | null>;
  /**
   * Optional: the children of a directory in name order, read one by one as they are asked for
   * (null when the path is not a directory). A walk that reads each file as it is listed uses it
   * to read a file system where its inodes lie next to their data in one pass.
   */
  listLazily?(path: string): Promise<AsyncIterable<TreeNode> | TreeNode[] | null>;
  /** The node at a path, or null when there is none. */
  stat(path: string): Promise<TreeNode | null>;
  /** The content of a regular file, front to back. */
  openStream(path: string): Promise<Readable>;
  /** The content of a regular file by random access (an APK inside an image, an image inside a zip). */
  openSource(path: string): Promise<ByteSource>;
  /** Entries a reader skipped so far (loops, unreadable inodes), with paths relative to the tree. */
  readonly problems?: readonly Problem[];
}

/** Splits a relative tree path into names; `.`, empty and `..` segments are refused by callers first. */
export function pathSegments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

export function joinTreePath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

export function byName(a: { name: string }, b: { name: string }): number {
  return compareStrings(a.name, b.name);
}
