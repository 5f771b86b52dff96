/** Drives a parsed structure the way an inventory would, so fuzzing reaches the lazy decoders too. */
import type { ByteSource } from '../../electron/engine/io/byteSource.js';
import type { FileTree } from '../../electron/engine/vfs/fileTree.js';
import { joinTreePath } from '../../electron/engine/vfs/fileTree.js';

export interface ExerciseLimits {
  /** Stop after visiting this many nodes (a corrupt directory may list millions). */
  maxNodes: number;
  /** Read at most this many bytes of each regular file. */
  maxReadPerFile: number;
}

const DEFAULT_LIMITS: ExerciseLimits = { maxNodes: 400, maxReadPerFile: 256 << 10 };

/** Reads the first bytes of a source, in a few pieces (front, middle, end). */
export async function sampleSource(source: ByteSource, maxRead: number): Promise<void> {
  const piece = Math.min(source.size, Math.max(1, maxRead >> 2));
  if (source.size === 0) return;
  await source.read(0, piece);
  await source.read(Math.floor((source.size - piece) / 2), piece);
  await source.read(source.size - piece, piece);
}

/** Lists the tree breadth-first and reads every regular file met, within `limits`. */
export async function exerciseTree(tree: FileTree, limits: ExerciseLimits = DEFAULT_LIMITS): Promise<number> {
  const queue = [''];
  let visited = 0;
  while (queue.length > 0 && visited < limits.maxNodes) {
    const path = queue.shift()!;
    const children = await tree.list(path);
    if (children === null) continue;
    for (const child of children) {
      if (++visited >= limits.maxNodes) break;
      const childPath = joinTreePath(path, child.name);
      if (child.type === 'directory') queue.push(childPath);
      else if (child.type === 'file') {
        const source = await tree.openSource(childPath);
        try {
          await sampleSource(source, limits.maxReadPerFile);
        } finally {
          await source.close();
        }
      } else await tree.stat(childPath);
    }
  }
  return visited;
}
