import type { TextDiff } from '../../shared/appDiff.js';
import { diffFiles, diffGrants, diffInitServices, diffProperties, diffSettings, diffSysconfig } from '../../shared/diff.js';
import { diffApps } from '../../shared/diffApps.js';
import { SCHEMA_VERSION, type ComparisonResult, type Progress } from '../../shared/model.js';
import { compareStrings } from '../../shared/sort.js';
import { textDiff } from '../../shared/textDiff.js';
import type { Evidence, FeatureState } from '../../shared/verdict.js';
import { checkClaim, featureVerdicts, otherDefaultChanges } from '../../shared/verdicts.js';
import { throwIfAborted } from './errors.js';
import { AppParserPool } from './inventory/appParserPool.js';
import { buildInventory, type InventoryResult } from './inventory/buildInventory.js';
import { FileReaderPool } from './inventory/fileReaderPool.js';
import { ARCHIVE_SEPARATOR } from './vfs/deviceTree.js';

export interface CompareOptions {
  onProgress?: ((progress: Progress) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Claims about the new build to check, e.g. `{ feature: 'cloud-messaging', claimed: 'opt-in' }`. */
  claims?: readonly { feature: string; claimed: FeatureState }[] | undefined;
  /** Parse apps in worker threads (default true); false parses them on this thread. */
  parallel?: boolean | undefined;
}

/**
 * Compares two packages given by path: inventories both, diffs apps, properties, settings,
 * grants, services and files, and gives the feature verdicts. The result depends only on the
 * packages' contents (no times, no host paths), every list sorted: the same inputs give
 * byte-identical JSON. Throws InputError for unreadable input, CancelledError on abort.
 */
export async function comparePackages(oldPath: string, newPath: string, options: CompareOptions = {}): Promise<ComparisonResult> {
  const report = options.onProgress ?? (() => {});
  const { signal } = options;
  report({ stage: 'opening' });
  // One pool of each for both sides: two would put twice as many threads (and their heaps) on the
  // same cores.
  const pool = options.parallel === false ? null : new AppParserPool();
  const readers = options.parallel === false ? null : new FileReaderPool();
  const inventory = (path: string, side: 'old' | 'new'): Promise<InventoryResult> =>
    buildInventory(path, {
      signal,
      pool,
      readers,
      onOpened: () => report({ stage: 'reading', side, done: 0 }),
      onProgress: ({ filesDone, filesTotal, bytesDone, appsDone, appsTotal }) =>
        report({ stage: 'reading', side, done: filesDone, total: filesTotal, bytes: bytesDone, appsDone, appsTotal }),
    });
  let before: InventoryResult;
  let after: InventoryResult;
  try {
    [before, after] = await Promise.all([inventory(oldPath, 'old'), inventory(newPath, 'new')]);
  } finally {
    await Promise.all([pool?.close(), readers?.close()]);
  }
  throwIfAborted(signal);
  report({ stage: 'diffing' });
  const result = compareInventories(before, after, options.claims);
  report({ stage: 'done' });
  return result;
}

export function compareInventories(before: InventoryResult, after: InventoryResult, claims?: CompareOptions['claims']): ComparisonResult {
  const old = before.inventory;
  const current = after.inventory;
  const apps = diffApps(old.apps, current.apps);
  const properties = diffProperties(old.properties, current.properties);
  const settings = diffSettings(old.settings, current.settings);
  const files = diffFiles(old.files, current.files);
  const features = featureVerdicts(old, current);
  const result: ComparisonResult = {
    schemaVersion: SCHEMA_VERSION,
    old: old.package,
    new: current.package,
    features,
    otherDefaultChanges: otherDefaultChanges({ apps, settings, properties }, features),
    apps,
    properties,
    settings,
    permissionGrants: diffGrants(old.permissionGrants, current.permissionGrants),
    sysconfig: diffSysconfig(old.sysconfig, current.sysconfig),
    initServices: diffInitServices(old.initServices, current.initServices),
    files,
    textDiffs: textDiffs(before.texts, after.texts, files.changed.map((change) => change.path), apps.changed.map((app) => app.path)),
    evidenceFiles: {
      old: citedTexts(features.flatMap((feature) => feature.old.evidence), before.texts),
      new: citedTexts(features.flatMap((feature) => feature.new.evidence), after.texts),
    },
    problems: { old: old.problems, new: current.problems },
  };
  if (claims !== undefined && claims.length > 0) result.claims = claims.map((claim) => checkClaim(claim, features));
  return result;
}

/** The texts of the files that evidence cites, keyed by path, in path order. */
function citedTexts(evidence: readonly Evidence[], texts: ReadonlyMap<string, string>): Record<string, string> {
  const paths = [...new Set(evidence.map((item) => item.path))].sort(compareStrings);
  return Object.fromEntries(paths.flatMap((path) => {
    const text = texts.get(path);
    return text === undefined ? [] : [[path, text]];
  }));
}

/**
 * Line diffs of changed text-like files, and of the decoded manifest and preference XML of changed
 * apps (matched by package, so an APK that moved is diffed against its old self).
 */
function textDiffs(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, changedFiles: readonly string[], movedApps: readonly { old: string; new: string }[]): TextDiff[] {
  const diffs: TextDiff[] = [];
  const add = (oldPath: string, newPath: string): void => {
    const oldText = before.get(oldPath);
    const newText = after.get(newPath);
    if (oldText === undefined || newText === undefined) return;
    const diff = textDiff(oldPath, newPath, oldText, newText);
    if (diff !== null) diffs.push(diff);
  };
  for (const path of changedFiles) add(path, path);
  for (const app of movedApps) {
    const members = new Set<string>();
    for (const key of [...before.keys()].filter((key) => key.startsWith(`${app.old}${ARCHIVE_SEPARATOR}`))) members.add(key.slice(app.old.length + ARCHIVE_SEPARATOR.length));
    for (const key of [...after.keys()].filter((key) => key.startsWith(`${app.new}${ARCHIVE_SEPARATOR}`))) members.add(key.slice(app.new.length + ARCHIVE_SEPARATOR.length));
    for (const member of members) add(`${app.old}${ARCHIVE_SEPARATOR}${member}`, `${app.new}${ARCHIVE_SEPARATOR}${member}`);
  }
  return diffs.sort((a, b) => compareStrings(a.path, b.path));
}
