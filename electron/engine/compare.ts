import type { TextDiff } from '../../shared/appDiff.js';
import { diffFiles, diffGrants, diffInitServices, diffProperties, diffSettings, diffSysconfig } from '../../shared/diff.js';
import { diffApps } from '../../shared/diffApps.js';
import type { FeatureDefinition } from '../../shared/featureRules.js';
import { FEATURES } from '../../shared/features.js';
import { diffFlags } from '../../shared/flags.js';
import { checkKeyClaim, keyFacts, type KeyClaim } from '../../shared/keyClaims.js';
import { diffSecurity } from '../../shared/securityDiff.js';
import { SCHEMA_VERSION, type ComparisonResult, type Progress } from '../../shared/model.js';
import { compareStrings } from '../../shared/sort.js';
import { textDiff } from '../../shared/textDiff.js';
import type { FeatureState } from '../../shared/verdict.js';
import { checkClaim, featureVerdicts, otherDefaultChanges } from '../../shared/verdicts.js';
import { throwIfAborted } from './errors.js';
import { AppParserPool } from './inventory/appParserPool.js';
import type { InventoryResult } from './inventory/buildInventory.js';
import { FileReaderPool, readerWorkersPayOffAt } from './inventory/fileReaderPool.js';
import { ParsedApps } from './inventory/parsedApps.js';
import { loadBuild } from './inventory/savedInventory.js';
import { ARCHIVE_SEPARATOR } from './vfs/deviceTree.js';

/** What a comparison judges by: the feature rules, and the claims about the new build to check. */
export interface JudgeOptions {
  /** Claims about the new build to check, e.g. `{ feature: 'cloud-messaging', claimed: 'opt-in' }`. */
  claims?: readonly { feature: string; claimed: FeatureState }[] | undefined;
  /** Claims about single keys of the new build, e.g. `setting:def_backup_enabled=off`. */
  keyClaims?: readonly KeyClaim[] | undefined;
  /** The feature rules to apply (default: the built-in knowledge base). */
  features?: readonly FeatureDefinition[] | undefined;
  /** Base names of the rule files merged into `features`, recorded in the result. */
  ruleFiles?: readonly string[] | undefined;
}

export interface CompareOptions extends JudgeOptions {
  onProgress?: ((progress: Progress) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Parse apps in worker threads (default true); false parses them on this thread. */
  parallel?: boolean | undefined;
  /**
   * Read files in worker threads: by default only when a package is large enough for it to pay off
   * (readerWorkersPayOff); true always (tests), false never. Ignored when `parallel` is false.
   */
  readerWorkers?: boolean | undefined;
  /** Read the apps' code layer: SDKs and servers (default true; false to measure without it). */
  codeAnalysis?: boolean | undefined;
}

/**
 * Compares two packages (or saved inventories) given by path: inventories both, diffs apps, properties, settings,
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
  const readerWorkers = options.readerWorkers ?? (await Promise.all([oldPath, newPath].map(readerWorkersPayOffAt))).some(Boolean);
  const readers = options.parallel === false || !readerWorkers ? null : new FileReaderPool();
  const parsedApps = new ParsedApps();
  const inventory = (path: string, side: 'old' | 'new'): Promise<InventoryResult> =>
    loadBuild(path, {
      signal,
      pool,
      readers,
      codeAnalysis: options.codeAnalysis,
      parsedApps,
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
  const result = compareInventories(before, after, options);
  report({ stage: 'done' });
  return result;
}

export function compareInventories(before: InventoryResult, after: InventoryResult, judge: JudgeOptions = {}): ComparisonResult {
  const old = before.inventory;
  const current = after.inventory;
  const apps = diffApps(old.apps, current.apps);
  const properties = diffProperties(old.properties, current.properties);
  const settings = diffSettings(old.settings, current.settings);
  const files = diffFiles(old.files, current.files);
  const features = featureVerdicts(old, current, judge.features ?? FEATURES);
  const claimableKeys = keyFacts(current);
  const keyClaims = (judge.keyClaims ?? []).map((claim) => checkKeyClaim(claim, claimableKeys));
  const security = diffSecurity(old, current);
  const cited = (side: 'old' | 'new'): string[] => [
    ...features.flatMap((feature) => feature[side].evidence.map((evidence) => evidence.path)),
    ...(side === 'new' ? keyClaims.flatMap((check) => check.evidence.map((evidence) => evidence.path)) : []),
    ...security.findings.flatMap((finding) => finding.evidence.filter((evidence) => evidence.side === side).map((evidence) => evidence.path)),
  ];
  const result: ComparisonResult = {
    schemaVersion: SCHEMA_VERSION,
    old: old.package,
    new: current.package,
    features,
    otherDefaultChanges: otherDefaultChanges({ apps, settings, properties }, features),
    claimableKeys,
    apps,
    properties,
    settings,
    permissionGrants: diffGrants(old.permissionGrants, current.permissionGrants),
    sysconfig: diffSysconfig(old.sysconfig, current.sysconfig),
    initServices: diffInitServices(old.initServices, current.initServices),
    flags: diffFlags(old.flags, current.flags),
    files,
    textDiffs: textDiffs(before.texts, after.texts, files.changed.map((change) => change.path), apps.changed.map((app) => app.path)),
    evidenceFiles: {
      old: citedTexts(cited('old'), before),
      new: citedTexts(cited('new'), after),
    },
    security,
    problems: { old: old.problems, new: current.problems },
  };
  if (judge.claims !== undefined && judge.claims.length > 0) result.claims = judge.claims.map((claim) => checkClaim(claim, features));
  if (keyClaims.length > 0) result.keyClaims = keyClaims;
  if (judge.ruleFiles !== undefined && judge.ruleFiles.length > 0) result.ruleFiles = [...judge.ruleFiles];
  return result;
}

/** The texts of the files that evidence cites, keyed by path, in path order. */
function citedTexts(cited: readonly string[], inventory: InventoryResult): Record<string, string> {
  const paths = [...new Set(cited)].sort(compareStrings);
  return Object.fromEntries(paths.flatMap((path) => {
    const text = inventory.texts.get(path) ?? inventory.evidenceTexts?.get(path);
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
  const membersBefore = membersByArchive(before.keys());
  const membersAfter = membersByArchive(after.keys());
  for (const app of movedApps) {
    const members = new Set([...(membersBefore.get(app.old) ?? []), ...(membersAfter.get(app.new) ?? [])]);
    for (const member of members) add(`${app.old}${ARCHIVE_SEPARATOR}${member}`, `${app.new}${ARCHIVE_SEPARATOR}${member}`);
  }
  return diffs.sort((a, b) => compareStrings(a.path, b.path));
}

/** `apk!/member` text keys grouped by archive (the path before the last `!/`): each APK's members, found once rather than per app. */
function membersByArchive(paths: Iterable<string>): Map<string, string[]> {
  const members = new Map<string, string[]>();
  for (const path of paths) {
    const at = path.lastIndexOf(ARCHIVE_SEPARATOR);
    if (at < 0) continue;
    const archive = path.slice(0, at);
    const list = members.get(archive) ?? [];
    list.push(path.slice(at + ARCHIVE_SEPARATOR.length));
    members.set(archive, list);
  }
  return members;
}
