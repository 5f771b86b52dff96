/**
 * The one contract between the renderer and the privileged side (Electron main, or a test bridge).
 * `electron/ipc.ts` registers exactly the channels named here; `electron/preload.ts` exposes
 * `createApiClient(...)` as `window.otalens`; Playwright tests bridge the same handler functions.
 */
import type { ComparisonResult, Progress } from './model.js';
import type { TimelineResult } from './timeline.js';

export type Side = 'old' | 'new';
export type PackageKind = 'file' | 'folder';

export interface PickedPackage {
  /** Absolute path on the user's machine. */
  path: string;
  /** Base name to show. */
  name: string;
}

export interface CompareRequest {
  oldPath: string;
  newPath: string;
}

export interface ApiError {
  /** One readable sentence, e.g. `old.zip: not a zip file (no end of central directory record)`. */
  message: string;
  /** Machine-readable kind: `usage`, `input` (unreadable/unsupported/corrupt), `cancelled`, `internal`. */
  kind: 'usage' | 'input' | 'cancelled' | 'internal';
}

export type CompareOutcome =
  | { ok: true; result: ComparisonResult }
  | { ok: false; error: ApiError };

/** What a comparison can be saved as. */
export type ExportFormat = 'html' | 'json' | 'markdown';

export const EXPORT_FORMAT_NAMES: readonly ExportFormat[] = ['html', 'json', 'markdown'];

const EXPORT_EXTENSIONS: { readonly [F in ExportFormat]: string } = { html: 'html', json: 'json', markdown: 'md' };

/** The name an export is offered under, `otalens-<old>-vs-<new>.<ext>`, safe on every file system. */
export function exportFileName(oldFile: string, newFile: string, format: ExportFormat): string {
  const stem = (name: string) =>
    name
      .replace(/\.(zip|img|tgz|tar\.gz|tar)$/i, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .slice(0, 60) || 'package';
  return `otalens-${stem(oldFile)}-vs-${stem(newFile)}.${EXPORT_EXTENSIONS[format]}`;
}

export interface ExportRequest {
  format: ExportFormat;
  /** The comparison the window shows; it lives in the page, so the page sends it back to be saved. */
  result: ComparisonResult;
}

export type ExportOutcome =
  | { status: 'saved'; path: string }
  | { status: 'cancelled' }
  | { status: 'failed'; message: string };

/** Both packages of a comparison, e.g. the bundled sample pair. */
export interface PackagePair {
  old: PickedPackage;
  new: PickedPackage;
}

/** A comparison made earlier on this machine, kept so it can be run again in one click. */
export interface RecentComparison extends PackagePair {
  /** Stable for the pair: removing uses it. */
  id: string;
  /** ISO 8601 time of the last run. */
  comparedAt: string;
  /** The first changed verdict, e.g. "Mi Cloud Messaging was on by default and is now opt-in." */
  headline: string;
}

/** One file of a compared package as text: binary XML decoded to XML. */
export interface FileText {
  text: string;
  /** Whether the file was binary XML, decoded. */
  decoded: boolean;
}

export type FileTextOutcome = { ok: true; file: FileText } | { ok: false; message: string };

/** The feature rules the app applies: the built-in ones, and the rules file it remembers, if any. */
export interface FeatureRulesStatus {
  /** The remembered rules file (File › Load feature rules…); null when only the built-in rules apply. */
  file: PickedPackage | null;
  /** The features that file adds or overrides, when it reads. */
  features: { id: string; title: string }[];
  /** Why the file cannot be used: one sentence naming the file, the rule and the field. */
  error: string | null;
}

/** Several builds (packages or saved inventories) to follow feature by feature. */
export interface TimelineRequest {
  /** Absolute paths, at least two. */
  paths: string[];
  /** Keep the builds in this order instead of ordering them by build date. */
  keepOrder: boolean;
  /** Claims about keys to follow too, e.g. `prop:persist.sys.usage_stats=0`. */
  claims: string[];
}

export type TimelineOutcome = { ok: true; result: TimelineResult } | { ok: false; error: ApiError };

export interface AppInfo {
  name: string;
  version: string;
}

/** Request/response calls: each becomes one IPC channel `otalens:<name>`. */
export interface InvokeApi {
  appInfo(): Promise<AppInfo>;
  /** Opens the native open dialog; resolves null when the user cancels. */
  choosePackage(side: Side, kind: PackageKind): Promise<PickedPackage | null>;
  /** Compares two packages given by absolute path. Progress arrives through `onProgress`. */
  compare(request: CompareRequest): Promise<CompareOutcome>;
  /** Stops the running comparison (its worker is terminated); the pending `compare` resolves cancelled. */
  cancelCompare(): Promise<void>;
  /** Asks where to save (native save dialog) and writes the comparison there; never over a compared package. */
  exportReport(request: ExportRequest): Promise<ExportOutcome>;
  /** The sample pair shipped with the app; null when this installation has none. */
  samplePackages(): Promise<PackagePair | null>;
  /** Comparisons made on this machine, newest first (stored locally, never sent anywhere). */
  recentComparisons(): Promise<RecentComparison[]>;
  /** Forgets one recent comparison; resolves the list left. */
  forgetRecent(id: string): Promise<RecentComparison[]>;
  /**
   * The text of one file (by device path, `!/` entering archives) of a package of the last
   * comparison, read again from that package; binary and very large files are refused.
   */
  readFileText(side: Side, devicePath: string): Promise<FileTextOutcome>;
  /** The feature rules in use: the built-in ones and the remembered rules file (read again, and checked). */
  featureRules(): Promise<FeatureRulesStatus>;
  /** Asks for a rules file (native open dialog), checks it and remembers it; resolves the rules now in use. */
  chooseFeatureRules(): Promise<FeatureRulesStatus>;
  /** Forgets the rules file: only the built-in rules apply again. */
  forgetFeatureRules(): Promise<FeatureRulesStatus>;
  /** Asks for several builds (packages or saved inventories) at once; resolves [] when the user cancels. */
  chooseBuilds(): Promise<PickedPackage[]>;
  /** Follows every feature (and the claimed keys) across builds. Progress arrives through `onProgress`; cancelCompare stops it. */
  timeline(request: TimelineRequest): Promise<TimelineOutcome>;
}

export type InvokeChannel = keyof InvokeApi;

export const INVOKE_CHANNELS = [
  'appInfo',
  'choosePackage',
  'compare',
  'cancelCompare',
  'exportReport',
  'samplePackages',
  'recentComparisons',
  'forgetRecent',
  'readFileText',
  'featureRules',
  'chooseFeatureRules',
  'forgetFeatureRules',
  'chooseBuilds',
  'timeline',
] as const satisfies readonly InvokeChannel[];

/** A package chosen outside the page (File › Open old/new… in the app menu). */
export interface PackageChosen {
  side: Side;
  package: PickedPackage;
}

/** Push messages from the privileged side to the page, each on its own IPC channel. */
export interface ApiEvents {
  progress: Progress;
  packageChosen: PackageChosen;
  /** File › Export › … in the app menu: the page exports what it shows, as from its own buttons. */
  exportRequested: ExportFormat;
  /** File › Load feature rules… in the app menu loaded (or failed to load) a rules file. */
  featureRulesChanged: FeatureRulesStatus;
}

export type ApiEventName = keyof ApiEvents;

export const EVENT_CHANNELS: { readonly [E in ApiEventName]: string } = {
  progress: 'otalens:progress',
  packageChosen: 'otalens:package-chosen',
  exportRequested: 'otalens:export-requested',
  featureRulesChanged: 'otalens:feature-rules-changed',
};

export const PROGRESS_EVENT = EVENT_CHANNELS.progress;
export const PACKAGE_CHOSEN_EVENT = EVENT_CHANNELS.packageChosen;

export type ProgressListener = (progress: Progress) => void;

/** Subscribes a listener to one event; returns the unsubscribe function. */
export type Subscribe = <E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void) => () => void;

/** What the renderer sees as `window.otalens`. */
export interface OtaLensApi extends InvokeApi {
  /** Subscribes to comparison progress; returns the unsubscribe function. */
  onProgress(listener: ProgressListener): () => void;
  /** Subscribes to packages chosen from the app menu; returns the unsubscribe function. */
  onPackageChosen(listener: (chosen: PackageChosen) => void): () => void;
  /** Subscribes to File › Export requests from the app menu; returns the unsubscribe function. */
  onExportRequested(listener: (format: ExportFormat) => void): () => void;
  /** Subscribes to rules files loaded from the app menu; returns the unsubscribe function. */
  onFeatureRulesChanged(listener: (status: FeatureRulesStatus) => void): () => void;
  /**
   * The absolute path of a file dropped on the window (Electron's `webUtils.getPathForFile`),
   * or '' when the file has no path (e.g. it came from another application's memory).
   */
  pathForFile(file: unknown): string;
}

export const IPC_CHANNEL_PREFIX = 'otalens:';

export function ipcChannel(channel: InvokeChannel): string {
  return IPC_CHANNEL_PREFIX + channel;
}

type Invoker = (channel: InvokeChannel, ...args: unknown[]) => Promise<unknown>;

/**
 * Builds the renderer-facing API from a raw `invoke` and an event subscription. Used by the
 * preload script (over ipcRenderer); the Playwright bridge mirrors it, so both expose exactly the
 * same surface.
 */
export function createApiClient(invoke: Invoker, subscribe: Subscribe, pathForFile: (file: unknown) => string): OtaLensApi {
  return {
    appInfo: () => invoke('appInfo') as Promise<AppInfo>,
    choosePackage: (side, kind) => invoke('choosePackage', side, kind) as Promise<PickedPackage | null>,
    compare: (request) => invoke('compare', request) as Promise<CompareOutcome>,
    cancelCompare: () => invoke('cancelCompare') as Promise<void>,
    exportReport: (request) => invoke('exportReport', request) as Promise<ExportOutcome>,
    samplePackages: () => invoke('samplePackages') as Promise<PackagePair | null>,
    recentComparisons: () => invoke('recentComparisons') as Promise<RecentComparison[]>,
    forgetRecent: (id) => invoke('forgetRecent', id) as Promise<RecentComparison[]>,
    readFileText: (side, devicePath) => invoke('readFileText', side, devicePath) as Promise<FileTextOutcome>,
    featureRules: () => invoke('featureRules') as Promise<FeatureRulesStatus>,
    chooseFeatureRules: () => invoke('chooseFeatureRules') as Promise<FeatureRulesStatus>,
    forgetFeatureRules: () => invoke('forgetFeatureRules') as Promise<FeatureRulesStatus>,
    chooseBuilds: () => invoke('chooseBuilds') as Promise<PickedPackage[]>,
    timeline: (request) => invoke('timeline', request) as Promise<TimelineOutcome>,
    onProgress: (listener) => subscribe('progress', listener),
    onPackageChosen: (listener) => subscribe('packageChosen', listener),
    onExportRequested: (listener) => subscribe('exportRequested', listener),
    onFeatureRulesChanged: (listener) => subscribe('featureRulesChanged', listener),
    pathForFile,
  };
}
