// Tree nodes without their metadata, for tests about a tree's structure (names, types, sizes,
// targets); the metadata tests (test/unit/fileMetadata*.test.ts) hold mode, owner, label and
// capabilities to their own oracles.
import type { TreeNode } from '../../electron/engine/vfs/fileTree.js';

export function withoutMetadata<T extends TreeNode | null>(node: T): T {
  if (node === null) return node;
  const { metadata: _metadata, ...rest } = node;
  return rest as T;
}

export function allWithoutMetadata(nodes: readonly TreeNode[] | null): TreeNode[] | null {
  return nodes === null ? null : nodes.map((node) => withoutMetadata(node));
}
