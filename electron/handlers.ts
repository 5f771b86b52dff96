/**
 * The privileged side of the API: one function per InvokeApi channel. Free of Electron imports so
 * tests (and the Playwright bridge) can call exactly what the IPC layer calls.
 *
 * Every argument arrives as `unknown` from an untrusted renderer and is validated before use.
 *
 * One comparison runs at a time. A new `compare` supersedes the running one: the earlier call
 * resolves `{ok:false, error:{kind:'cancelled'}}` and its progress stops being forwarded. The user
 * who picks new packages and presses Compare again wants the new answer, not an error.
 */
import type { Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, readFile, realpath, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { exportFileName, type ApiError, type AppInfo, type CompareOutcome, type CompareRequest, type ExportFormat, type ExportOutcome, type FeatureRulesStatus, type FileText, type FileTextOutcome, type InvokeApi, type InvokeChannel, type PackageKind, type PackagePair, type PickedPackage, type RecentComparison, type Side, type TimelineOutcome, type TimelineRequest } from '../shared/api.js';
import { FeatureRulesError } from '../shared/featureRules.js';
import { parseClaims } from '../shared/keyClaims.js';
import type { ComparisonResult, Progress } from '../shared/model.js';
import { markdownSummary } from '../shared/summary.js';
import type { TimelineResult } from '../shared/timeline.js';
import { expectAtMostArgs, parseCompareRequest, parseDevicePath, parseExportRequest, parsePackageKind, parseRecentId, parseSide, parseTimelineRequest, UsageError } from '../shared/validate.js';
import { ClaimSyntaxError } from '../shared/verdicts.js';
import type { CompareOptions } from './engine/compare.js';
import { compareInWorker } from './engine/compareInWorker.js';
import type { TimelineRunOptions } from './engine/timeline.js';
import { timelineInWorker } from './engine/timelineInWorker.js';
import { FeatureRulesStore } from './featureRulesStore.js';
import { readFileTextInWorker } from './engine/fileTextInWorker.js';
import { CancelledError, describeFsError, InputError } from './engine/errors.js';
import { isSameFile } from './engine/io/sameFile.js';
import { renderHtmlReport } from './report/htmlReport.js';

export const APP_NAME = 'OTA Lens';

export interface HandlerContext {
  sendProgress(progress: Progress): void;
}

export type ComparisonRunner = (oldPath: string, newPath: string, options: CompareOptions) => Promise<ComparisonResult>;
export type TimelineRunner = (paths: readonly string[], options: TimelineRunOptions) => Promise<TimelineResult>;

export interface HandlerDeps {
  /** Shows the native open dialog; resolves the chosen absolute path, or null when cancelled. */
  choosePackagePath(side: Side, kind: PackageKind): Promise<string | null>;
  appVersion: string;
  /** Defaults to the worker-thread engine. */
  runComparison?: ComparisonRunner;
  /** Shows the native save dialog for an export; resolves the chosen absolute path, or null when cancelled. */
  chooseExportPath?: (defaultName: string, format: ExportFormat) => Promise<string | null>;
  /** Renders the self-contained HTML report; defaults to the built viewer next to this module. */
  renderHtml?: (result: ComparisonResult) => Promise<string>;
  /** Folder holding the bundled `sample-old.zip` and `sample-new.zip`; none when absent. */
  samplesDir?: string;
  /** JSON file the recent comparisons are kept in (under the app's user-data folder); none kept when absent. */
  recentFile?: string;
  /** Told after the recent comparisons changed (to rebuild File › Open Recent). */
  onRecentChanged?: () => void;
  /** Where unexpected errors are recorded; defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
  /** Reads one file of a package as text; defaults to a worker thread. */
  readText?: (packagePath: string, devicePath: string, signal: AbortSignal) => Promise<FileText>;
  /** Shows the native open dialog for a feature rules file; resolves its absolute path, or null when cancelled. */
  chooseRulesPath?: () => Promise<string | null>;
  /** JSON file the chosen rules file's path is kept in (under the app's user-data folder); none kept when absent. */
  rulesSettingsFile?: string;
  /** Shows the native open dialog for several builds; resolves their absolute paths ([] when cancelled). */
  chooseBuildPaths?: () => Promise<string[]>;
  /** Defaults to the worker-thread engine. */
  runTimeline?: TimelineRunner;
}

/** How long reading one file for the page may take before it is stopped. */
const FILE_TEXT_TIME_LIMIT_MS = 60_000;

export type Handlers = {
  [K in InvokeChannel]: (ctx: HandlerContext, ...args: unknown[]) => ReturnType<InvokeApi[K]>;
};

export const INTERNAL_ERROR_MESSAGE = 'OTA Lens hit an internal error while comparing; the details were written to its log.';

export function createHandlers(deps: HandlerDeps): Handlers {
  const runComparison = deps.runComparison ?? compareInWorker;
  const logError = deps.logError ?? ((message, error) => console.error(message, error));
  let running: AbortController | null = null;
  /** Every package compared in this session: an export must never be written over one. */
  const comparedPaths = new Set<string>();
  /** The pair the page shows: file texts are read only from these two packages, never from a path the page names. */
  let shown: CompareRequest | null = null;
  const readText = deps.readText ?? readFileTextInWorker;
  const rules = new FeatureRulesStore(deps.rulesSettingsFile);
  const runTimeline = deps.runTimeline ?? timelineInWorker;

  /**
   * Runs one comparison or timeline: it supersedes the one running (which then resolves cancelled),
   * its progress reaches the page until it is itself superseded or cancelled, and its packages can
   * never be overwritten by an export.
   */
  async function runExclusive<Result>(ctx: HandlerContext, paths: readonly string[], task: (signal: AbortSignal, onProgress: (progress: Progress) => void) => Promise<Result>): Promise<{ ok: true; result: Result } | { ok: false; error: ApiError }> {
    running?.abort();
    for (const path of paths) comparedPaths.add(path);
    const controller = new AbortController();
    running = controller;
    try {
      const result = await task(controller.signal, (progress) => {
        // Superseding aborts too, so a replaced run falls silent here.
        if (!controller.signal.aborted) ctx.sendProgress(progress);
      });
      // A cancel that raced with the last step still wins: the UI has already moved on.
      if (controller.signal.aborted) throw new CancelledError();
      return { ok: true, result };
    } catch (error) {
      return failure(controller.signal.aborted ? new CancelledError() : error, logError);
    } finally {
      if (running === controller) running = null;
    }
  }

  async function compare(ctx: HandlerContext, ...args: unknown[]): Promise<CompareOutcome> {
    let request: CompareRequest;
    try {
      expectAtMostArgs('compare', args, 1);
      request = parseCompareRequest(args[0]);
    } catch (error) {
      return failure(error, logError);
    }
    return runExclusive(ctx, [request.oldPath, request.newPath], async (signal, onProgress) => {
      await assertPackageExists(request.oldPath, 'old');
      await assertPackageExists(request.newPath, 'new');
      if (signal.aborted) throw new CancelledError();
      const result = await runComparison(request.oldPath, request.newPath, { ...(await rules.forRun()), signal, onProgress });
      if (signal.aborted) throw new CancelledError();
      shown = request;
      if (deps.recentFile !== undefined) {
        await rememberComparison(deps.recentFile, request, result).then(deps.onRecentChanged, (error: unknown) => logError('could not store the recent comparison:', error));
      }
      return result;
    });
  }

  async function timeline(ctx: HandlerContext, ...args: unknown[]): Promise<TimelineOutcome> {
    let request: TimelineRequest;
    try {
      expectAtMostArgs('timeline', args, 1);
      request = parseTimelineRequest(args[0]);
    } catch (error) {
      return failure(error, logError);
    }
    return runExclusive(ctx, request.paths, async (signal, onProgress) => {
      for (const [index, path] of request.paths.entries()) await assertPackageExists(path, `build ${index + 1}`);
      const judge = await rules.forRun();
      return runTimeline(request.paths, { ...judge, keyClaims: parseClaimTexts(request.claims, judge.features), keepOrder: request.keepOrder, signal, onProgress });
    });
  }

  return {
    timeline,

    featureRules: async (_ctx, ...args): Promise<FeatureRulesStatus> => {
      expectAtMostArgs('featureRules', args, 0);
      return rules.status();
    },
    chooseFeatureRules: async (_ctx, ...args): Promise<FeatureRulesStatus> => {
      expectAtMostArgs('chooseFeatureRules', args, 0);
      const path = deps.chooseRulesPath === undefined ? null : await deps.chooseRulesPath();
      return path === null ? rules.status() : rules.choose(path);
    },
    forgetFeatureRules: async (_ctx, ...args): Promise<FeatureRulesStatus> => {
      expectAtMostArgs('forgetFeatureRules', args, 0);
      return rules.forget();
    },
    chooseBuilds: async (_ctx, ...args): Promise<PickedPackage[]> => {
      expectAtMostArgs('chooseBuilds', args, 0);
      const paths = deps.chooseBuildPaths === undefined ? [] : await deps.chooseBuildPaths();
      return paths.map((path) => ({ path, name: basename(path) }));
    },

    appInfo: async (_ctx, ...args): Promise<AppInfo> => {
      expectAtMostArgs('appInfo', args, 0);
      return { name: APP_NAME, version: deps.appVersion };
    },

    choosePackage: async (_ctx, ...args): Promise<PickedPackage | null> => {
      expectAtMostArgs('choosePackage', args, 2);
      const side = parseSide(args[0]);
      const kind = parsePackageKind(args[1]);
      const path = await deps.choosePackagePath(side, kind);
      return path === null ? null : { path, name: basename(path) };
    },

    compare,

    readFileText: async (_ctx, ...args): Promise<FileTextOutcome> => {
      let side: Side;
      let devicePath: string;
      try {
        expectAtMostArgs('readFileText', args, 2);
        side = parseSide(args[0]);
        devicePath = parseDevicePath(args[1]);
      } catch (error) {
        return { ok: false, message: error instanceof Error ? error.message : String(error) };
      }
      if (shown === null) return { ok: false, message: 'Compare two packages first.' };
      const packagePath = side === 'old' ? shown.oldPath : shown.newPath;
      try {
        return { ok: true, file: await readText(packagePath, devicePath, AbortSignal.timeout(FILE_TEXT_TIME_LIMIT_MS)) };
      } catch (error) {
        if (error instanceof CancelledError) return { ok: false, message: `Reading ${devicePath} took longer than ${FILE_TEXT_TIME_LIMIT_MS / 1000} s and was stopped.` };
        if (error instanceof InputError || error instanceof UsageError) return { ok: false, message: error.message };
        logError('reading a file failed unexpectedly:', error);
        return { ok: false, message: `OTA Lens could not read ${devicePath}; the details were written to its log.` };
      }
    },

    cancelCompare: async (_ctx, ...args): Promise<void> => {
      expectAtMostArgs('cancelCompare', args, 0);
      running?.abort();
    },
    samplePackages: async (_ctx, ...args): Promise<PackagePair | null> => {
      expectAtMostArgs('samplePackages', args, 0);
      if (deps.samplesDir === undefined) return null;
      const pick = (name: string): PickedPackage => ({ path: join(deps.samplesDir ?? '', name), name });
      const pair = { old: pick('sample-old.zip'), new: pick('sample-new.zip') };
      for (const side of [pair.old, pair.new]) {
        if (!(await stat(side.path).then((stats) => stats.isFile(), () => false))) return null;
      }
      return pair;
    },
    recentComparisons: async (_ctx, ...args): Promise<RecentComparison[]> => {
      expectAtMostArgs('recentComparisons', args, 0);
      return deps.recentFile === undefined ? [] : readRecent(deps.recentFile);
    },
    forgetRecent: async (_ctx, ...args): Promise<RecentComparison[]> => {
      expectAtMostArgs('forgetRecent', args, 1);
      const id = parseRecentId(args[0]);
      if (deps.recentFile === undefined) return [];
      const left = (await readRecent(deps.recentFile)).filter((entry) => entry.id !== id);
      await writeRecent(deps.recentFile, left);
      deps.onRecentChanged?.();
      return left;
    },
    exportReport: async (_ctx, ...args): Promise<ExportOutcome> => {
      expectAtMostArgs('exportReport', args, 1);
      const { format, result } = parseExportRequest(args[0]);
      if (deps.chooseExportPath === undefined) return { status: 'failed', message: 'Exporting is not available here.' };
      const path = await deps.chooseExportPath(exportFileName(result.old.file, result.new.file, format), format);
      if (path === null) return { status: 'cancelled' };
      try {
        if (!isAbsolute(path)) throw new UsageError(`${path}: not an absolute path on this system`);
        if (await isOneOf(path, comparedPaths)) {
          return { status: 'failed', message: `${basename(path)} is one of the compared packages; choose another name so it is not overwritten.` };
        }
        const text = format === 'html' ? await (deps.renderHtml ?? renderHtmlReport)(result) : format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : markdownSummary(result);
        await writeFile(path, text, 'utf8');
        return { status: 'saved', path };
      } catch (error) {
        if (error instanceof UsageError) return { status: 'failed', message: error.message };
        if (isFsError(error)) return { status: 'failed', message: `Could not save ${basename(path)}: ${describeFsError(error)}` };
        logError('export failed unexpectedly:', error);
        return { status: 'failed', message: 'OTA Lens hit an internal error while exporting; the details were written to its log.' };
      }
    },
  };
}

/** How many recent comparisons are kept. */
export const RECENT_LIMIT = 10;

function recentId(oldPath: string, newPath: string): string {
  return createHash('sha256').update(oldPath).update('\0').update(newPath).digest('hex');
}

/** The recent list as stored; a missing, unreadable or edited file counts as empty rather than failing the app. */
export async function readRecent(file: string): Promise<RecentComparison[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  return data.filter(isRecentComparison).slice(0, RECENT_LIMIT);
}

function isRecentComparison(value: unknown): value is RecentComparison {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  const isPick = (pick: unknown) =>
    typeof pick === 'object' && pick !== null && typeof (pick as Record<string, unknown>)['path'] === 'string' && typeof (pick as Record<string, unknown>)['name'] === 'string';
  return typeof entry['id'] === 'string' && typeof entry['comparedAt'] === 'string' && typeof entry['headline'] === 'string' && isPick(entry['old']) && isPick(entry['new']);
}

/** Written to a temporary file and renamed, so a crash never leaves half a list. */
async function writeRecent(file: string, entries: readonly RecentComparison[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  await writeFile(temporary, `${JSON.stringify(entries, null, 2)}\n`, 'utf8');
  await rename(temporary, file);
}

async function rememberComparison(file: string, request: CompareRequest, result: ComparisonResult): Promise<void> {
  const id = recentId(request.oldPath, request.newPath);
  const changed = result.features.find((feature) => feature.change !== 'unchanged');
  const entry: RecentComparison = {
    id,
    old: { path: request.oldPath, name: basename(request.oldPath) },
    new: { path: request.newPath, name: basename(request.newPath) },
    comparedAt: new Date().toISOString(),
    headline: changed?.summary ?? `No change in the ${result.features.length} privacy defaults checked.`,
  };
  const others = (await readRecent(file)).filter((existing) => existing.id !== id);
  await writeRecent(file, [entry, ...others].slice(0, RECENT_LIMIT));
}

/** Whether `path` names the same file as one of `paths`, through symbolic and hard links and `..` alike. */
async function isOneOf(path: string, paths: ReadonlySet<string>): Promise<boolean> {
  const canonical = async (candidate: string) => {
    try {
      return await realpath(candidate);
    } catch {
      return resolve(candidate);
    }
  };
  const target = await canonical(path);
  for (const candidate of paths) {
    if ((await canonical(candidate)) === target || (await isSameFile(candidate, path))) return true;
  }
  return false;
}

function isFsError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/** A timeline follows keys only: each feature is followed anyway. */
function parseClaimTexts(texts: readonly string[], features: Parameters<typeof parseClaims>[1]): ReturnType<typeof parseClaims>['keys'] {
  try {
    const claims = parseClaims(texts, features);
    if (claims.features.length > 0) throw new UsageError(`a timeline follows every feature already; claim a key instead (pref:, setting:, prop:, flag:), not ${claims.features[0]?.feature ?? 'a feature'}`);
    return claims.keys;
  } catch (error) {
    if (error instanceof ClaimSyntaxError) throw new UsageError(error.message);
    throw error;
  }
}

/** Main-side checks the pure validator cannot make: the path is absolute here and names a file or folder. */
async function assertPackageExists(path: string, side: string): Promise<void> {
  const label = `${side} package ${path}`;
  if (!isAbsolute(path)) throw new UsageError(`${label}: not an absolute path on this system`);
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    throw new PackageAccessError(`${label}: ${describeFsError(error)}`);
  }
  if (!stats.isFile() && !stats.isDirectory()) {
    throw new PackageAccessError(`${label}: neither a regular file nor a folder`);
  }
}

/** The chosen package cannot be opened at all (missing, unreadable, a device…). */
class PackageAccessError extends Error {
  override readonly name = 'PackageAccessError';
}

function failure(error: unknown, logError: (message: string, error: unknown) => void): { ok: false; error: ApiError } {
  if (error instanceof UsageError) return { ok: false, error: { kind: 'usage', message: error.message } };
  if (error instanceof CancelledError) return { ok: false, error: { kind: 'cancelled', message: 'Comparison cancelled.' } };
  if (error instanceof InputError || error instanceof PackageAccessError || error instanceof FeatureRulesError) {
    return { ok: false, error: { kind: 'input', message: error.message } };
  }
  logError('compare failed unexpectedly:', error);
  return { ok: false, error: { kind: 'internal', message: INTERNAL_ERROR_MESSAGE } };
}
