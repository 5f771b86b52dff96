import { createHash } from 'node:crypto';
import { throwIfAborted } from '../errors.js';
import { visitBytes } from '../io/byteSource.js';
import type { DeviceTree } from '../vfs/deviceTree.js';

/** What a file is read for: its SHA-256 only, or its SHA-256 and its bytes (apps, texts). */
export type ReadMode = 'hash' | 'bytes';

export interface FileRead {
  sha256: string;
  /** The file's bytes (mode `bytes`), in an ArrayBuffer of their own that can be transferred. */
  bytes: Buffer | null;
}

/**
 * Reads one regular file of a package front to back, where the bytes are: each piece the readers
 * below hand over (a view of a decoded operation or cluster, see ByteSource.visit) is hashed in
 * place and, for `bytes`, copied once into the result. `onBytes` counts them as they pass.
 */
export async function readTreeFile(tree: DeviceTree, path: string, mode: ReadMode, signal: AbortSignal | undefined, onBytes: (count: number) => void): Promise<FileRead> {
  const source = await tree.openSource(path);
  try {
    const hash = createHash('sha256');
    const bytes = mode === 'bytes' ? Buffer.from(new ArrayBuffer(source.size)) : null;
    let filled = 0;
    await visitBytes(source, 0, source.size, (piece) => {
      throwIfAborted(signal);
      hash.update(piece);
      bytes?.set(piece, filled);
      filled += piece.length;
      onBytes(piece.length);
    });
    return { sha256: hash.digest('hex'), bytes };
  } finally {
    await source.close();
  }
}
