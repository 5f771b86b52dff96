import { createHash } from 'node:crypto';
import type { FileEntry, Problem } from '../../shared/model.js';
import { sortByKey } from '../../shared/sort.js';
import { throwIfAborted } from './errors.js';
import type { DeviceTree } from './vfs/deviceTree.js';

const HASH_CONCURRENCY = 4;
/** While a large file is hashed, progress is reported every this many bytes too. */
const PROGRESS_BYTES_STEP = 8 << 20;

export interface InventoryProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
}

export interface InventoryOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: InventoryProgress) => void) | undefined;
}

export interface Inventory {
  /** Every entry of the device tree, sorted by path, files with their SHA-256. */
  files: FileEntry[];
  /** Files that could not be read; they stay listed with sha256 null. */
  problems: Problem[];
}

/** Lists the whole device tree and hashes every regular file, streaming its content. */
export async function inventoryFiles(tree: DeviceTree, options: InventoryOptions = {}): Promise<Inventory> {
  const files: FileEntry[] = [];
  const problems: Problem[] = [];
  for await (const entry of tree.walk('/', problems)) {
    throwIfAborted(options.signal);
    files.push({ ...entry, sha256: null });
  }
  const toHash = files.filter((entry) => entry.type === 'file');
  const progress: InventoryProgress = { filesDone: 0, filesTotal: toHash.length, bytesDone: 0 };
  options.onProgress?.({ ...progress });

  let nextReportAt = PROGRESS_BYTES_STEP;
  const countBytes = (bytes: number): void => {
    progress.bytesDone += bytes;
    if (progress.bytesDone >= nextReportAt) {
      nextReportAt = progress.bytesDone + PROGRESS_BYTES_STEP;
      options.onProgress?.({ ...progress });
    }
  };
  let next = 0;
  const hashNext = async (): Promise<void> => {
    while (next < toHash.length) {
      const entry = toHash[next++] as FileEntry;
      throwIfAborted(options.signal);
      try {
        entry.sha256 = await hashStream(await tree.openStream(entry.path), countBytes, options.signal);
      } catch (error) {
        problems.push({ path: entry.path, message: `not read: ${(error as Error).message}` });
      }
      progress.filesDone += 1;
      options.onProgress?.({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: HASH_CONCURRENCY }, hashNext));
  throwIfAborted(options.signal);

  return { files: sortByKey(files, (entry) => entry.path), problems: sortByKey(problems, (problem) => problem.path) };
}

export async function hashStream(stream: AsyncIterable<unknown>, onBytes?: (bytes: number) => void, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) {
    throwIfAborted(signal);
    const bytes = chunk as Buffer;
    hash.update(bytes);
    onBytes?.(bytes.length);
  }
  return hash.digest('hex');
}
