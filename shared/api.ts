/**
 * The one contract between the renderer and the privileged side (Electron main, or a test bridge).
 * `electron/ipc.ts` registers exactly the channels named here; `electron/preload.ts` exposes
 * `createApiClient(...)` as `window.otalens`; Playwright tests bridge the same handler functions.
 */
import type { ComparisonResult, Progress } from './model.js';

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
}

export type InvokeChannel = keyof InvokeApi;

export const INVOKE_CHANNELS = [
  'appInfo',
  'choosePackage',
  'compare',
  'cancelCompare',
] as const satisfies readonly InvokeChannel[];

export type ProgressListener = (progress: Progress) => void;

/** What the renderer sees as `window.otalens`. */
export interface OtaLensApi extends InvokeApi {
  /** Subscribes to comparison progress; returns the unsubscribe function. */
  onProgress(listener: ProgressListener): () => void;
  /**
   * The absolute path of a file dropped on the window (Electron's `webUtils.getPathForFile`),
   * or '' when the file has no path (e.g. it came from another application's memory).
   */
  pathForFile(file: unknown): string;
}

export const IPC_CHANNEL_PREFIX = 'otalens:';
export const PROGRESS_EVENT = 'otalens:progress';

export function ipcChannel(channel: InvokeChannel): string {
  return IPC_CHANNEL_PREFIX + channel;
}

type Invoker = (channel: InvokeChannel, ...args: unknown[]) => Promise<unknown>;

/**
 * Builds the renderer-facing API from a raw `invoke` and a progress subscription. Used by the
 * preload script (over ipcRenderer) and by tests (over Playwright's exposeBinding), so both expose
 * exactly the same surface.
 */
export function createApiClient(
  invoke: Invoker,
  subscribeProgress: (listener: ProgressListener) => () => void,
  pathForFile: (file: unknown) => string,
): OtaLensApi {
  return {
    appInfo: () => invoke('appInfo') as Promise<AppInfo>,
    choosePackage: (side, kind) => invoke('choosePackage', side, kind) as Promise<PickedPackage | null>,
    compare: (request) => invoke('compare', request) as Promise<CompareOutcome>,
    cancelCompare: () => invoke('cancelCompare') as Promise<void>,
    onProgress: (listener) => subscribeProgress(listener),
    pathForFile,
  };
}
