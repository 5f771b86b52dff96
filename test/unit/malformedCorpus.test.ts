/**
 * Every file of the malformed corpus (scripts/fixtures/build-malformed.mjs) through the real CLI:
 * exit code 2, exactly one readable stderr line naming the file, no stack trace, within a time
 * limit and a memory bound (V8 heap capped; peak RSS measured by GNU time).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/oracles.js';

const CORPUS = join(REPO_ROOT, 'test/fixtures/malformed/corpus');
const BIN = join(REPO_ROOT, 'bin', 'otalens');
const GNU_TIME = '/usr/bin/time';
const TIME_LIMIT_MS = 20_000;
const HEAP_LIMIT_MB = 256;
const RSS_LIMIT_KB = 600 << 10;

interface CorpusEntry {
  file: string;
  command: string[];
  why: string;
}

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  elapsedMs: number;
  maxRssKb: number;
}

const entries = (JSON.parse(readFileSync(join(CORPUS, 'corpus.json'), 'utf8')) as { files: CorpusEntry[] }).files;
const temp = mkdtempSync(join(tmpdir(), 'otalens-malformed-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function runCli(entry: CorpusEntry): Promise<Run> {
  const args = entry.command.map((part) => (part === '{}' ? join(CORPUS, entry.file) : part));
  const rssFile = join(temp, `${entry.file}.rss`);
  const started = Date.now();
  const child = spawn(GNU_TIME, ['-o', rssFile, '-f', '%M', process.execPath, `--max-old-space-size=${HEAP_LIMIT_MB}`, BIN, ...args], {
    cwd: temp,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const timer = setTimeout(() => child.kill('SIGKILL'), TIME_LIMIT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      const maxRssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : Number.NaN;
      resolve({ status, signal, stderr, elapsedMs: Date.now() - started, maxRssKb });
    });
  });
}

describe('the malformed corpus through the CLI', () => {
  it('runs the built CLI (npm test builds dist/ first)', () => {
    expect(existsSync(join(REPO_ROOT, 'dist/electron/cli/main.js')), 'dist/ is not built: run `node scripts/build.mjs`').toBe(true);
  });

  it('has GNU time to measure peak memory (Debian package `time`)', () => {
    expect(existsSync(GNU_TIME), `${GNU_TIME} is missing: install the Debian package "time"`).toBe(true);
  });

  it('covers every kind of breakage the issue names', () => {
    const names = entries.map((entry) => entry.file).join(' ');
    for (const kind of ['truncated', 'flipped', 'wrong-magic', 'overlapping-entries', 'wrong-hash', 'chunk-overflow', 'bomb']) expect(names).toContain(kind);
    expect(entries.length).toBeGreaterThanOrEqual(30);
  });

  it.each(entries.map((entry) => [entry.file, entry] as const))('%s: exit 2 and one readable line', async (_name, entry) => {
    const run = await runCli(entry);
    const context = `${entry.why}\nstderr: ${run.stderr}`;
    expect(run.signal, context).toBeNull();
    expect(run.status, context).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines, context).toHaveLength(1);
    expect(lines[0], context).toMatch(/^otalens: \S/);
    expect(lines[0], context).toContain(entry.file);
    expect(run.stderr, context).not.toMatch(/\n\s+at |\bTypeError\b|\bRangeError\b|undefined|\[object /);
    expect(run.elapsedMs, context).toBeLessThan(TIME_LIMIT_MS);
    expect(run.maxRssKb, context).toBeLessThan(RSS_LIMIT_KB);
  });
});
