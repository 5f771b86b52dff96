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
import { stat } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import type { AppInfo, CompareOutcome, CompareRequest, InvokeApi, InvokeChannel, PackageKind, PickedPackage, Side } from '../shared/api.js';
import type { ComparisonResult, Progress } from '../shared/model.js';
import { expectAtMostArgs, parseCompareRequest, parsePackageKind, parseSide, UsageError } from '../shared/validate.js';
import type { CompareOptions } from './engine/compare.js';
import { compareInWorker } from './engine/compareInWorker.js';
import { CancelledError, describeFsError, InputError } from './engine/errors.js';

export const APP_NAME = 'OTA Lens';

export interface HandlerContext {
  sendProgress(progress: Progress): void;
}

export type ComparisonRunner = (oldPath: string, newPath: string, options: CompareOptions) => Promise<ComparisonResult>;

export interface HandlerDeps {
  /** Shows the native open dialog; resolves the chosen absolute path, or null when cancelled. */
  choosePackagePath(side: Side, kind: PackageKind): Promise<string | null>;
  appVersion: string;
  /** Defaults to the worker-thread engine. */
  runComparison?: ComparisonRunner;
  /** Where unexpected errors are recorded; defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
}

export type Handlers = {
  [K in InvokeChannel]: (ctx: HandlerContext, ...args: unknown[]) => ReturnType<InvokeApi[K]>;
};

export const INTERNAL_ERROR_MESSAGE = 'OTA Lens hit an internal error while comparing; the details were written to its log.';

export function createHandlers(deps: HandlerDeps): Handlers {
  const runComparison = deps.runComparison ?? compareInWorker;
  const logError = deps.logError ?? ((message, error) => console.error(message, error));
  let running: AbortController | null = null;

  async function compare(ctx: HandlerContext, ...args: unknown[]): Promise<CompareOutcome> {
    let request: CompareRequest;
    try {
      expectAtMostArgs('compare', args, 1);
      request = parseCompareRequest(args[0]);
    } catch (error) {
      return failure(error, logError);
    }

    running?.abort();
    const controller = new AbortController();
    running = controller;
    try {
      await assertPackageExists(request.oldPath, 'old');
      await assertPackageExists(request.newPath, 'new');
      if (controller.signal.aborted) throw new CancelledError();
      const result = await runComparison(request.oldPath, request.newPath, {
        signal: controller.signal,
        onProgress: (progress) => {
          // Superseding aborts too, so a replaced run falls silent here.
          if (!controller.signal.aborted) ctx.sendProgress(progress);
        },
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

  return {
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

    cancelCompare: async (_ctx, ...args): Promise<void> => {
      expectAtMostArgs('cancelCompare', args, 0);
      running?.abort();
    },
  };
}

/** Main-side checks the pure validator cannot make: the path is absolute here and names a file or folder. */
async function assertPackageExists(path: string, side: Side): Promise<void> {
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

function failure(error: unknown, logError: (message: string, error: unknown) => void): CompareOutcome {
  if (error instanceof UsageError) return { ok: false, error: { kind: 'usage', message: error.message } };
  if (error instanceof CancelledError) return { ok: false, error: { kind: 'cancelled', message: 'Comparison cancelled.' } };
  if (error instanceof InputError || error instanceof PackageAccessError) {
    return { ok: false, error: { kind: 'input', message: error.message } };
  }
  logError('compare failed unexpectedly:', error);
  return { ok: false, error: { kind: 'internal', message: INTERNAL_ERROR_MESSAGE } };
}
