import type { FileChange, FileDiff } from '../../../../shared/model.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ChangeCounts {
  added: number;
  removed: number;
  changed: number;
}

/** What the tree says of a node: a change, or a file both builds share unchanged. */
export type NodeKind = ChangeKind | 'unchanged';

/** A folder, file or archive member on the way to a changed file, or an unchanged file when those are shown. */
export interface ChangeNode {
  name: string;
  /** Device path; members of an archive follow `!/`, e.g. `/system/app/A.apk!/res/xml`. */
  path: string;
  /** What happened to this file; null for a folder. */
  kind: NodeKind | null;
  /** Sizes and hashes, for a file listed in the file diff (the same on both sides when unchanged). */
  file: FileChange | null;
  /** Whether a line diff of this file is in the result. */
  hasTextDiff: boolean;
  /** Changed files at or under this node (files of the file diff only, not archive members). */
  counts: ChangeCounts;
  children: ChangeNode[];
}

const KINDS: readonly ChangeKind[] = ['changed', 'added', 'removed'];

/** `/a/b.apk!/c/d` → `['/a', '/a/b.apk', '/a/b.apk!/c', '/a/b.apk!/c/d']`: every node path on the way. */
export function nodePaths(devicePath: string): string[] {
  const paths: string[] = [];
  const [outer = '', ...members] = devicePath.split('!/');
  let prefix = '';
  for (const part of outer.split('/')) {
    if (part === '') continue;
    prefix = `${prefix}/${part}`;
    paths.push(prefix);
  }
  for (const member of members) {
    let joiner = '!/';
    for (const part of member.split('/')) {
      if (part === '') continue;
      prefix = `${prefix}${joiner}${part}`;
      joiner = '/';
      paths.push(prefix);
    }
  }
  return paths;
}

function nameOf(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('!/') + 1) + 1);
}

function emptyNode(path: string): ChangeNode {
  return { name: nameOf(path), path, kind: null, file: null, hasTextDiff: false, counts: { added: 0, removed: 0, changed: 0 }, children: [] };
}

/** The changed files as a tree from `/`, with counts per folder; archive members with a line diff hang under their archive. */
export function buildChangeTree(files: FileDiff, textDiffPaths: readonly string[], withUnchanged = false): ChangeNode {
  const root = emptyNode('');
  const byPath = new Map<string, ChangeNode>([['', root]]);
  const childrenOf = new Map<ChangeNode, Map<string, ChangeNode>>();

  const ensure = (devicePath: string): ChangeNode[] => {
    const chain: ChangeNode[] = [root];
    let parent = root;
    for (const path of nodePaths(devicePath)) {
      let node = byPath.get(path);
      if (node === undefined) {
        node = emptyNode(path);
        byPath.set(path, node);
        let siblings = childrenOf.get(parent);
        if (siblings === undefined) childrenOf.set(parent, (siblings = new Map()));
        siblings.set(path, node);
      }
      chain.push(node);
      parent = node;
    }
    return chain;
  };

  for (const kind of KINDS) {
    for (const file of files[kind]) {
      const chain = ensure(file.path);
      const leaf = chain.at(-1) ?? root;
      leaf.kind = kind;
      leaf.file = file;
      for (const node of chain) node.counts[kind]++;
    }
  }
  if (withUnchanged) {
    for (const { path, size, sha256, type, device } of files.unchanged) {
      const leaf = ensure(path).at(-1) ?? root;
      leaf.kind = 'unchanged';
      leaf.file = { path, oldSize: size, newSize: size, oldSha256: sha256, newSha256: sha256 };
      if (type !== undefined) Object.assign(leaf.file, { oldType: type, newType: type });
      if (device !== undefined) Object.assign(leaf.file, { oldDevice: device, newDevice: device });
    }
  }
  for (const path of textDiffPaths) {
    const leaf = ensure(path).at(-1) ?? root;
    leaf.hasTextDiff = true;
    leaf.kind ??= 'changed';
  }

  // Folders first, then by name, at every level.
  const stack: ChangeNode[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    node.children = [...(childrenOf.get(node)?.values() ?? [])].sort(
      (a, b) => Number(childrenOf.has(b)) - Number(childrenOf.has(a)) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    stack.push(...node.children);
  }
  return root;
}

export interface TreeRow {
  node: ChangeNode;
  depth: number;
}

/** The rows shown: children of open folders, depth first, in order. */
export function visibleRows(root: ChangeNode, expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const stack: TreeRow[] = root.children.map((node) => ({ node, depth: 0 })).reverse();
  for (let row = stack.pop(); row !== undefined; row = stack.pop()) {
    rows.push(row);
    if (row.node.children.length > 0 && expanded.has(row.node.path)) {
      for (let index = row.node.children.length - 1; index >= 0; index--) {
        const child = row.node.children[index];
        if (child !== undefined) stack.push({ node: child, depth: row.depth + 1 });
      }
    }
  }
  return rows;
}

/** Folders open at first: all of them when the tree is small, else the top level. */
export function initiallyExpanded(root: ChangeNode, smallTree = 200): Set<string> {
  const folders: ChangeNode[] = [];
  const stack = [...root.children];
  let nodes = 0;
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    nodes++;
    if (node.children.length > 0) {
      folders.push(node);
      stack.push(...node.children);
    }
  }
  if (nodes <= smallTree) return new Set(folders.map((folder) => folder.path));
  return new Set(root.children.filter((node) => node.children.length > 0).map((node) => node.path));
}
