import type { Readable } from 'node:stream';
import type { FileType } from '../../../shared/model.js';
import type { ByteSource } from '../io/byteSource.js';
import { byName, pathSegments, type FileTree, type TreeNode } from './fileTree.js';

/** A node known up front (from an archive's directory), with a way to read its content. */
export interface IndexedEntry {
  /** Relative path inside the tree, without leading or trailing slash. */
  path: string;
  type: FileType;
  size: number;
  target?: string;
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
 * archive's listing. Parent directories are implied by the paths that need them.
 */
export class IndexedTree implements FileTree {
  private readonly root: DirectoryNode = { node: { name: '', type: 'directory', size: 0 }, children: new Map() };

  constructor(entries: Iterable<IndexedEntry>) {
    for (const entry of entries) this.add(entry);
  }

  private add(entry: IndexedEntry): void {
    const segments = pathSegments(entry.path);
    const name = segments.pop();
    if (name === undefined) return;
    let parent = this.root;
    for (const segment of segments) {
      let child = parent.children.get(segment);
      if (child === undefined || !isDirectory(child)) {
        // A directory implied by a deeper path wins over a same-named file entry (a malformed archive).
        child = { node: { name: segment, type: 'directory', size: 0 }, children: new Map() };
        parent.children.set(segment, child);
      }
      parent = child;
    }
    const existing = parent.children.get(name);
    if (entry.type === 'directory') {
      if (existing === undefined || !isDirectory(existing)) {
        parent.children.set(name, { node: { name, type: 'directory', size: 0 }, children: existing && isDirectory(existing) ? existing.children : new Map() });
      }
      return;
    }
    if (existing !== undefined && isDirectory(existing)) return;
    const node: TreeNode = { name, type: entry.type, size: entry.size };
    if (entry.target !== undefined) node.target = entry.target;
    const fileNode: FileNode = { node };
    if (entry.open !== undefined) fileNode.open = entry.open;
    if (entry.openSource !== undefined) fileNode.openSource = entry.openSource;
    parent.children.set(name, fileNode);
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
