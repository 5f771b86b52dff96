/**
 * The privileged handlers, driven exactly as the IPC layer drives them. The compare tests run the
 * real worker-thread engine (its worker is the compiled dist/electron/engine/compareWorker.js, so
 * run `npm run build` first; `npm test` does).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareOutcome } from '../../shared/api.js';
import type { Progress } from '../../shared/model.js';
import { createHandlers, INTERNAL_ERROR_MESSAGE, type HandlerContext, type HandlerDeps } from '../../electron/handlers.js';

const samplesDir = resolve(import.meta.dirname, '../../samples');
const oldSample = join(samplesDir, 'sample-old.zip');
const newSample = join(samplesDir, 'sample-new.zip');

/** The fingerprint read straight from the zip with Info-ZIP, independently of the engine. */
function fingerprintOf(zipPath: string): string {
  const buildProp = execFileSync('unzip', ['-p', zipPath, 'system/build.prop'], { encoding: 'utf8' });
  const line = buildProp.split(/\r?\n/).find((l) => l.startsWith('ro.build.fingerprint='));
  if (line === undefined) throw new Error(`${zipPath}: system/build.prop has no ro.build.fingerprint`);
  return line.slice('ro.build.fingerprint='.length);
}

function recordingContext(): HandlerContext & { progress: Progress[] } {
  const progress: Progress[] = [];
  return { progress, sendProgress: (p) => progress.push(p) };
}

function handlers(overrides: Partial<HandlerDeps> = {}) {
  return createHandlers({ choosePackagePath: () => Promise.resolve(null), appVersion: '9.8.7', ...overrides });
}

function expectFailure(outcome: CompareOutcome, kind: string): string {
  if (outcome.ok) throw new Error(`expected a ${kind} failure, got a result`);
  expect(outcome.error.kind).toBe(kind);
  return outcome.error.message;
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'otalens-handlers-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('appInfo', () => {
  it('names the app and reports the version it was given', async () => {
    await expect(handlers().appInfo(recordingContext())).resolves.toEqual({ name: 'OTA Lens', version: '9.8.7' });
  });

  it('rejects arguments it does not take', async () => {
    await expect(handlers().appInfo(recordingContext(), 'extra')).rejects.toThrow('appInfo takes 0 arguments, got 1');
  });
});

describe('choosePackage', () => {
  it('passes the validated side and kind to the dialog and returns path and base name', async () => {
    const calls: unknown[][] = [];
    const h = handlers({
      choosePackagePath: (side, kind) => {
        calls.push([side, kind]);
        return Promise.resolve('/firmware/builds/miui-8.22.zip');
      },
    });
    await expect(h.choosePackage(recordingContext(), 'new', 'folder')).resolves.toEqual({
      path: '/firmware/builds/miui-8.22.zip',
      name: 'miui-8.22.zip',
    });
    expect(calls).toEqual([['new', 'folder']]);
  });

  it('returns null when the user cancels the dialog', async () => {
    await expect(handlers().choosePackage(recordingContext(), 'old', 'file')).resolves.toBeNull();
  });

  it.each([
    [['left', 'file'], /side must be 'old' or 'new'/],
    [['old', 'dir'], /kind must be 'file' or 'folder'/],
    [[], /side must be/],
    [['old', 'file', 'extra'], /choosePackage takes 2 arguments, got 3/],
  ])('rejects %j without opening a dialog', async (args, message) => {
    let opened = false;
    const h = handlers({ choosePackagePath: () => { opened = true; return Promise.resolve(null); } });
    await expect(h.choosePackage(recordingContext(), ...args)).rejects.toThrow(message);
    expect(opened).toBe(false);
  });
});

describe('compare with the real engine', () => {
  it('compares the sample pair, forwarding progress, with the fingerprints in the zips', async () => {
    const ctx = recordingContext();
    const outcome = await handlers().compare(ctx, { oldPath: oldSample, newPath: newSample });
    if (!outcome.ok) throw new Error(`compare failed: ${outcome.error.kind}: ${outcome.error.message}`);

    expect(outcome.result.old.fingerprint).toBe(fingerprintOf(oldSample));
    expect(outcome.result.new.fingerprint).toBe(fingerprintOf(newSample));
    expect(outcome.result.old.fingerprint).not.toBe(outcome.result.new.fingerprint);
    expect(outcome.result.old.file).toBe('sample-old.zip');
    expect(outcome.result.new.file).toBe('sample-new.zip');

    const stages = ctx.progress.map((p) => p.stage);
    expect(stages.length).toBeGreaterThan(0);
    expect(stages).toContain('reading');
    expect(ctx.progress.some((p) => p.side === 'old')).toBe(true);
    expect(ctx.progress.some((p) => p.side === 'new')).toBe(true);
  });

  it('reports a missing old package as an input error naming the file, without running the engine', async () => {
    const missing = join(scratch, 'no-such-update.zip');
    const ctx = recordingContext();
    const message = expectFailure(await handlers().compare(ctx, { oldPath: missing, newPath: newSample }), 'input');
    expect(message).toBe(`old package ${missing}: no such file or folder`);
    expect(ctx.progress).toEqual([]);
  });

  it('reports a missing new package the same way', async () => {
    const missing = join(scratch, 'gone', 'new.zip');
    const message = expectFailure(await handlers().compare(recordingContext(), { oldPath: oldSample, newPath: missing }), 'input');
    expect(message).toBe(`new package ${missing}: no such file or folder`);
  });

  it('passes on the engine\'s input error for a file that is not a package', async () => {
    const notAZip = join(scratch, 'notes.zip');
    writeFileSync(notAZip, 'these are release notes, not a zip\n');
    const message = expectFailure(await handlers().compare(recordingContext(), { oldPath: notAZip, newPath: newSample }), 'input');
    expect(message).toMatch(/^notes\.zip: /);
  });

  it('refuses a relative path as a usage error', async () => {
    const message = expectFailure(await handlers().compare(recordingContext(), { oldPath: 'samples/sample-old.zip', newPath: newSample }), 'usage');
    expect(message).toBe('oldPath must be an absolute path, got "samples/sample-old.zip"');
  });

  it.each([
    ['no request', []],
    ['a string request', ['/a.zip']],
    ['two requests', [{ oldPath: oldSample, newPath: newSample }, {}]],
    ['a request with an extra key', [{ oldPath: oldSample, newPath: newSample, html: '/tmp/x.html' }]],
  ])('answers %s with a usage error instead of throwing', async (_label, args) => {
    expectFailure(await handlers().compare(recordingContext(), ...args), 'usage');
  });

  it('resolves cancelled when cancelCompare arrives during the comparison, and forwards no progress after it', async () => {
    const h = handlers();
    const progressAfterCancel: Progress[] = [];
    let cancelled = false;
    const ctx: HandlerContext = {
      sendProgress: (p) => {
        if (cancelled) progressAfterCancel.push(p);
        else {
          cancelled = true;
          void h.cancelCompare(ctx);
        }
      },
    };
    const message = expectFailure(await h.compare(ctx, { oldPath: oldSample, newPath: newSample }), 'cancelled');
    expect(message).toBe('Comparison cancelled.');
    expect(cancelled).toBe(true);
    expect(progressAfterCancel).toEqual([]);
  });

  it('runs normally again after a cancelled comparison', async () => {
    const h = handlers();
    const first = h.compare(recordingContext(), { oldPath: oldSample, newPath: newSample });
    await h.cancelCompare(recordingContext());
    expectFailure(await first, 'cancelled');
    const second = await h.compare(recordingContext(), { oldPath: oldSample, newPath: newSample });
    expect(second.ok).toBe(true);
  });
});

describe('compare bookkeeping (stand-in engine)', () => {
  /** A comparison that reports one progress step and then waits until it is aborted. */
  function hangingRunner(started: Array<() => void>) {
    return (_old: string, _new: string, options: { signal?: AbortSignal; onProgress?: (p: Progress) => void }) =>
      new Promise<never>((_resolve, reject) => {
        options.onProgress?.({ stage: 'opening' });
        started.shift()?.();
        options.signal?.addEventListener('abort', () => {
          options.onProgress?.({ stage: 'reading', side: 'old', done: 1 });
          reject(new Error('aborted'));
        });
      });
  }

  it('a second compare supersedes the first: the first resolves cancelled and stops forwarding progress', async () => {
    let resolveFirstStarted!: () => void;
    const firstStarted = new Promise<void>((r) => { resolveFirstStarted = r; });
    const realRunner = hangingRunner([resolveFirstStarted]);
    let calls = 0;
    const h = handlers({
      runComparison: (oldPath, newPath, options) => {
        calls += 1;
        if (calls === 1) return realRunner(oldPath, newPath, options);
        options.onProgress?.({ stage: 'done' });
        return Promise.reject(new Error('second run finished differently'));
      },
      logError: () => {},
    });
    const firstCtx = recordingContext();
    const first = h.compare(firstCtx, { oldPath: oldSample, newPath: newSample });
    await firstStarted;
    const secondCtx = recordingContext();
    const second = await h.compare(secondCtx, { oldPath: oldSample, newPath: newSample });

    expectFailure(await first, 'cancelled');
    expect(firstCtx.progress).toEqual([{ stage: 'opening' }]);
    expect(secondCtx.progress).toEqual([{ stage: 'done' }]);
    expectFailure(second, 'internal');
  });

  it('maps an unexpected error to a generic internal error and logs the original', async () => {
    const logged: unknown[] = [];
    const boom = new TypeError('Cannot read properties of undefined (reading \'entries\')');
    const h = handlers({
      runComparison: () => Promise.reject(boom),
      logError: (_message, error) => logged.push(error),
    });
    const message = expectFailure(await h.compare(recordingContext(), { oldPath: oldSample, newPath: newSample }), 'internal');
    expect(message).toBe(INTERNAL_ERROR_MESSAGE);
    expect(message).not.toContain('entries');
    expect(logged).toEqual([boom]);
  });

  it('cancelCompare with nothing running resolves and changes nothing', async () => {
    const h = handlers({ runComparison: () => Promise.reject(new Error('unused')), logError: () => {} });
    await expect(h.cancelCompare(recordingContext())).resolves.toBeUndefined();
    await expect(h.cancelCompare(recordingContext(), 'x')).rejects.toThrow('cancelCompare takes 0 arguments, got 1');
  });
});
