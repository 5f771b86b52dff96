import type { Readable } from 'node:stream';
import type { Problem } from '../../../shared/model.js';
import type { ByteSource } from '../io/byteSource.js';
import { joinTreePath, type FileTree, type TreeNode } from './fileTree.js';

/** A folder of another tree seen as a tree of its own: a system-as-root image's `system/`. */
export class SubTree implements FileTree {
  constructor(
    private readonly parent: FileTree,
    private readonly folder: string,
  ) {}

  private inParent(path: string): string {
    return joinTreePath(this.folder, path);
  }

  get problems(): readonly Problem[] | undefined {
    return this.parent.problems;
  }

  list(path: string): Promise<TreeNode[] | null> {
    return this.parent.list(this.inParent(path));
  }

  listLazily(path: string): Promise<AsyncIterable<TreeNode> | TreeNode[] | null> {
    return this.parent.listLazily !== undefined ? this.parent.listLazily(this.inParent(path)) : this.parent.list(this.inParent(path));
  }

  async stat(path: string): Promise<TreeNode | null> {
    const node = await this.parent.stat(this.inParent(path));
    return node !== null && path === '' ? { ...node, name: '' } : node;
  }

  openStream(path: string): Promise<Readable> {
    return this.parent.openStream(this.inParent(path));
  }

  openSource(path: string): Promise<ByteSource> {
    return this.parent.openSource(this.inParent(path));
  }
}
