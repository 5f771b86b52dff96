import type { Readable } from 'node:stream';
import { describeFileType } from '../../../shared/fileTypes.js';
import type { DeviceNumbers, FileMetadata, FileType, Problem } from '../../../shared/model.js';
import type { ByteSource } from '../io/byteSource.js';
import { byName, joinTreePath, pathSegments, type FileTree, type TreeNode } from './fileTree.js';
import { ProblemLog } from './problemLog.js';

/** A node known up front (from an archive's directory), with a way to read its content. */
export interface IndexedEntry {
  /** Relative path inside the tree, without leading or trailing slash. */
  path: string;
  type: FileType;
  size: number;
  target?: string;
  device?: DeviceNumbers;
  metadata?: FileMetadata;
  open?: () => Promise<Readable>;
  openSource?: () => Promise<ByteSource>;
}

interface DirectoryNode {
  node: TreeNode;
  children: Map<string, IndexedNode>;
}

interface FileNode {
  node: TreeNode;
  open?: () => Promise<Readable>;
  openSource?: () => Promise<ByteSource>;
}

type IndexedNode = DirectoryNode | FileNode;

function isDirectory(node: IndexedNode): node is DirectoryNode {
  return 'children' in node;
}

/**
 * A file tree held as an in-memory index of names and sizes (never contents): the shape of an
 * archive's listing. Parent directories are implied by the paths that need them. Where a malformed
 * archive names one path twice, the folder (or the later entry) wins and what was left out is
 * reported in `problems`.
 */
export class IndexedTree implements FileTree {
  private readonly root: DirectoryNode = { node: { name: '', type: 'directory', size: 0 }, children: new Map() };
  private readonly problemLog = new ProblemLog();

  constructor(entries: Iterable<IndexedEntry>) {
    for (const entry of entries) this.add(entry);
  }

  /** Entries of the listing left out because another one took their path, in path order. */
  get problems(): Problem[] {
    return this.problemLog.problems;
  }

  private add(entry: IndexedEntry): void {
    const segments = pathSegments(entry.path);
    const name = segments.pop();
    if (name === undefined) return;
    let parent = this.root;
    let parentPath = '';
    for (const segment of segments) {
      parentPath = joinTreePath(parentPath, segment);
      let child = parent.children.get(segment);
      if (child === undefined || !isDirectory(child)) {
        if (child !== undefined) this.leftOut(parentPath, child.node.type, 'a folder of the same name holds other entries');
        child = { node: { name: segment, type: 'directory', size: 0 }, children: new Map() };
        parent.children.set(segment, child);
      }
      parent = child;
    }
    const path = joinTreePath(parentPath, name);
    const existing = parent.children.get(name);
    if (entry.type === 'directory') {
      let folder = existing;
      if (folder === undefined || !isDirectory(folder)) {
        if (folder !== undefined) this.leftOut(path, folder.node.type, 'a folder of the same name holds other entries');
        folder = { node: { name, type: 'directory', size: 0 }, children: new Map() };
        parent.children.set(name, folder);
      }
      if (entry.metadata !== undefined) folder.node.metadata = entry.metadata;
      return;
    }
    if (existing !== undefined) {
      if (isDirectory(existing)) {
        this.leftOut(path, entry.type, 'a folder of the same name holds other entries');
        return;
      }
      this.leftOut(path, existing.node.type, `a later ${describeFileType(entry.type)} of the same path replaced it`);
    }
    const node: TreeNode = { name, type: entry.type, size: entry.size };
    if (entry.target !== undefined) node.target = entry.target;
    if (entry.device !== undefined) node.device = entry.device;
    if (entry.metadata !== undefined) node.metadata = entry.metadata;
    const fileNode: FileNode = { node };
    if (entry.open !== undefined) fileNode.open = entry.open;
    if (entry.openSource !== undefined) fileNode.openSource = entry.openSource;
    parent.children.set(name, fileNode);
  }

  private leftOut(path: string, type: FileType, why: string): void {
    this.problemLog.record(path, `${describeFileType(type)} left out: ${why}`);
  }

  private find(path: string): IndexedNode | null {
    let current: IndexedNode = this.root;
    for (const segment of pathSegments(path)) {
      if (!isDirectory(current)) return null;
      const next = current.children.get(segment);
      if (next === undefined) return null;
      current = next;
    }
    return current;
  }

  async list(path: string): Promise<TreeNode[] | null> {
    const found = this.find(path);
    if (found === null || !isDirectory(found)) return null;
    return [...found.children.values()].map((child) => ({ ...child.node })).sort(byName);
  }

  async stat(path: string): Promise<TreeNode | null> {
    const found = this.find(path);
    return found === null ? null : { ...found.node };
  }

  async openStream(path: string): Promise<Readable> {
    const open = this.fileNode(path).open;
    if (open === undefined) throw new Error(`no content reader for ${path}`);
    return open();
  }

  async openSource(path: string): Promise<ByteSource> {
    const openSource = this.fileNode(path).openSource;
    if (openSource === undefined) throw new Error(`no random-access reader for ${path}`);
    return openSource();
  }

  private fileNode(path: string): FileNode {
    const found = this.find(path);
    if (found === null || isDirectory(found) || found.node.type !== 'file') {
      // Callers check the node type first (DeviceTree.openStream); reaching here is a programming error.
      throw new Error(`not a regular file: ${path}`);
    }
    return found;
  }
}
