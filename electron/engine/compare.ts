import { diffFiles, diffProperties } from '../../shared/diff.js';
import { SCHEMA_VERSION, type ComparisonResult, type Progress } from '../../shared/model.js';
import { throwIfAborted } from './errors.js';
import { snapshotPackage, type PackageSnapshot } from './snapshot.js';

export interface CompareOptions {
  onProgress?: ((progress: Progress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Compares two packages given by path. The result depends only on the packages' contents (no
 * times, no host paths), with every list sorted: the same inputs give byte-identical JSON.
 * Throws InputError for unreadable input, CancelledError when the signal aborts.
 */
export async function comparePackages(oldPath: string, newPath: string, options: CompareOptions = {}): Promise<ComparisonResult> {
  const report = options.onProgress ?? (() => {});
  const { signal } = options;
  report({ stage: 'opening' });
  const snapshot = (path: string, side: 'old' | 'new'): Promise<PackageSnapshot> =>
    snapshotPackage(path, {
      signal,
      onOpened: () => report({ stage: 'reading', side, done: 0 }),
      onInventoryProgress: ({ filesDone, filesTotal, bytesDone }) =>
        report({ stage: 'reading', side, done: filesDone, total: filesTotal, bytes: bytesDone }),
    });
  const [before, after] = await Promise.all([snapshot(oldPath, 'old'), snapshot(newPath, 'new')]);
  throwIfAborted(signal);
  report({ stage: 'diffing' });
  const result: ComparisonResult = {
    schemaVersion: SCHEMA_VERSION,
    old: before.info,
    new: after.info,
    properties: diffProperties(before.properties, after.properties),
    files: diffFiles(before.files, after.files),
    problems: { old: before.problems, new: after.problems },
  };
  report({ stage: 'done' });
  return result;
}
