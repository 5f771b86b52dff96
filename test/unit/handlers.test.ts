/**
 * The privileged handlers, driven exactly as the IPC layer drives them. The compare tests run the
 * real worker-thread engine (its worker is the compiled dist/electron/engine/compareWorker.js, so
 * run `npm run build` first; `npm test` does).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

describe('readFileText', () => {
  it('reads only from the packages of the last comparison, after one', async () => {
    const h = handlers();
    await expect(h.readFileText(recordingContext(), 'new', '/system/build.prop')).resolves.toEqual({ ok: false, message: 'Compare two packages first.' });
    const outcome = await h.compare(recordingContext(), { oldPath: oldSample, newPath: newSample });
    expect(outcome.ok).toBe(true);
    for (const [side, zip] of [['old', oldSample], ['new', newSample]] as const) {
      const expected = execFileSync('unzip', ['-p', zip, 'system/build.prop'], { encoding: 'utf8' });
      await expect(h.readFileText(recordingContext(), side, '/system/build.prop')).resolves.toEqual({ ok: true, file: { text: expected, decoded: false } });
    }
    const binary = await h.readFileText(recordingContext(), 'new', '/system/bin/toolbox');
    expect(binary).toMatchObject({ ok: false, message: expect.stringMatching(/binary file/) });
  });

  it('refuses a side or device path it does not accept, naming it', async () => {
    const h = handlers();
    const message = async (...args: unknown[]) => {
      const outcome = await h.readFileText(recordingContext(), ...args);
      if (outcome.ok) throw new Error('expected a refusal');
      return outcome.message;
    };
    expect(await message('both', '/system/build.prop')).toMatch(/side must be 'old' or 'new'/);
    expect(await message('old', 'system/build.prop')).toMatch(/must start with \//);
    expect(await message('old', '/system/../../etc/passwd')).toMatch(/may not contain/);
    expect(await message('old', '/system/app/A.apk!/../../x')).toMatch(/may not contain/);
    expect(await message('old', 42)).toMatch(/must be a string/);
    expect(await message('old', '/a', 'extra')).toMatch(/readFileText takes 2 arguments, got 3/);
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

describe('exportReport', () => {
  async function sampleResult() {
    const outcome = await handlers().compare(recordingContext(), { oldPath: oldSample, newPath: newSample });
    if (!outcome.ok) throw new Error(`the sample comparison failed: ${outcome.error.message}`);
    return outcome.result;
  }

  it('writes JSON and Markdown where the save dialog says, offering a name from both packages', async () => {
    const result = await sampleResult();
    const offered: string[] = [];
    const h = handlers({
      chooseExportPath: (name) => {
        offered.push(name);
        return Promise.resolve(join(scratch, name));
      },
    });
    const json = await h.exportReport(recordingContext(), { format: 'json', result });
    expect(json).toEqual({ status: 'saved', path: join(scratch, 'otalens-sample-old-vs-sample-new.json') });
    const saved = JSON.parse(readFileSync(join(scratch, 'otalens-sample-old-vs-sample-new.json'), 'utf8')) as typeof result;
    // The fingerprint, read from the zip by unzip, survives the round trip.
    expect(saved.new.fingerprint).toBe(fingerprintOf(newSample));
    const markdown = await h.exportReport(recordingContext(), { format: 'markdown', result });
    expect(markdown.status).toBe('saved');
    expect(readFileSync(join(scratch, 'otalens-sample-old-vs-sample-new.md'), 'utf8')).toMatch(/^# OTA Lens: `sample-old\.zip` → `sample-new\.zip`/);
    expect(offered).toEqual(['otalens-sample-old-vs-sample-new.json', 'otalens-sample-old-vs-sample-new.md']);
  });

  it('renders HTML with the given renderer, and resolves cancelled when the dialog is dismissed', async () => {
    const result = await sampleResult();
    const target = join(scratch, 'report.html');
    const h = handlers({ chooseExportPath: () => Promise.resolve(target), renderHtml: (r) => Promise.resolve(`<p>${r.old.file}</p>`) });
    await expect(h.exportReport(recordingContext(), { format: 'html', result })).resolves.toEqual({ status: 'saved', path: target });
    expect(readFileSync(target, 'utf8')).toBe('<p>sample-old.zip</p>');
    const dismissed = handlers({ chooseExportPath: () => Promise.resolve(null) });
    await expect(dismissed.exportReport(recordingContext(), { format: 'html', result })).resolves.toEqual({ status: 'cancelled' });
  });

  it('never writes over a compared package, even through a symbolic link, and says why', async () => {
    const copy = join(scratch, 'compared-old.zip');
    copyFileSync(oldSample, copy);
    const link = join(scratch, 'link-to-old.zip');
    symlinkSync(copy, link);
    const before = readFileSync(copy);
    let target = copy;
    const h = handlers({ chooseExportPath: () => Promise.resolve(target) });
    const outcome = await h.compare(recordingContext(), { oldPath: copy, newPath: newSample });
    if (!outcome.ok) throw new Error(outcome.error.message);
    for (const chosen of [copy, link, newSample]) {
      target = chosen;
      const refused = await h.exportReport(recordingContext(), { format: 'json', result: outcome.result });
      expect(refused.status, chosen).toBe('failed');
      if (refused.status === 'failed') expect(refused.message).toMatch(/is one of the compared packages/);
    }
    expect(readFileSync(copy).equals(before)).toBe(true);
  });

  it('reports a folder it cannot write to in words, and rejects malformed requests', async () => {
    const result = await sampleResult();
    const h = handlers({ chooseExportPath: () => Promise.resolve(join(scratch, 'missing-folder', 'x.json')) });
    await expect(h.exportReport(recordingContext(), { format: 'json', result })).resolves.toEqual({
      status: 'failed',
      message: 'Could not save x.json: no such file or folder',
    });
    await expect(h.exportReport(recordingContext(), { format: 'pdf', result })).rejects.toThrow(/format must be one of html, json, markdown/);
    await expect(h.exportReport(recordingContext(), { format: 'json', result: { schemaVersion: 99 } })).rejects.toThrow(/schema version 3/);
    await expect(h.exportReport(recordingContext(), { format: 'json', result, extra: 1 })).rejects.toThrow(/exactly the fields format, result/);
    await expect(h.exportReport(recordingContext(), { format: 'json', result }, 'x')).rejects.toThrow('exportReport takes 1 argument, got 2');
    await expect(handlers().exportReport(recordingContext(), { format: 'json', result })).resolves.toEqual({ status: 'failed', message: 'Exporting is not available here.' });
  });
});

describe('samplePackages and recent comparisons', () => {
  it('offers the sample pair from its folder, and none when the folder lacks it', async () => {
    await expect(handlers({ samplesDir: samplesDir }).samplePackages(recordingContext())).resolves.toEqual({
      old: { path: oldSample, name: 'sample-old.zip' },
      new: { path: newSample, name: 'sample-new.zip' },
    });
    await expect(handlers({ samplesDir: scratch }).samplePackages(recordingContext())).resolves.toBeNull();
    await expect(handlers().samplePackages(recordingContext())).resolves.toBeNull();
  });

  it('remembers each finished comparison, newest first and once per pair, and forgets one on request', async () => {
    const recentFile = join(scratch, 'user-data', 'recent-comparisons.json');
    const h = handlers({ recentFile });
    await expect(h.recentComparisons(recordingContext())).resolves.toEqual([]);
    for (const request of [{ oldPath: oldSample, newPath: newSample }, { oldPath: newSample, newPath: oldSample }, { oldPath: oldSample, newPath: newSample }]) {
      const outcome = await h.compare(recordingContext(), request);
      expect(outcome.ok).toBe(true);
    }
    const recent = await h.recentComparisons(recordingContext());
    expect(recent.map((entry) => [entry.old.name, entry.new.name])).toEqual([
      ['sample-old.zip', 'sample-new.zip'],
      ['sample-new.zip', 'sample-old.zip'],
    ]);
    expect(recent[0]?.headline).toMatch(/^Mi Cloud Messaging was on by default.*opt-in/);
    expect(JSON.parse(readFileSync(recentFile, 'utf8'))).toEqual(recent);
    const left = await h.forgetRecent(recordingContext(), recent[0]?.id);
    expect(left).toEqual([recent[1]]);
    await expect(handlers({ recentFile }).recentComparisons(recordingContext())).resolves.toEqual(left);
    await expect(h.forgetRecent(recordingContext(), '../etc/passwd')).rejects.toThrow(/hex string/);
    await expect(h.forgetRecent(recordingContext(), 'a'.repeat(129))).rejects.toThrow(/hex string/);
  });

  it('treats a damaged recent file as empty rather than failing', async () => {
    const recentFile = join(scratch, 'damaged-recent.json');
    writeFileSync(recentFile, '{"not": "a list"');
    await expect(handlers({ recentFile }).recentComparisons(recordingContext())).resolves.toEqual([]);
    writeFileSync(recentFile, JSON.stringify([{ id: 'ab', old: { path: '/x' } }, 42]));
    await expect(handlers({ recentFile }).recentComparisons(recordingContext())).resolves.toEqual([]);
  });
});
