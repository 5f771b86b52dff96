import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Problem } from '../../../shared/model.js';
import { runInWorker } from '../runInWorker.js';
import { compiledWorkerUrl } from '../workerUrl.js';

/**
 * A digest a package states for part of a file (an Odin tar's MD5 trailer), checked when that
 * file is read whole anyway: in the same pass as the package's SHA-256.
 */
export interface DigestCheck {
  /** The file on disk: the package itself, or a file in a package folder. */
  path: string;
  /** The bytes [start, end) of that file the digest covers. */
  start: number;
  end: number;
  algorithm: 'md5';
  /** Lower-case hex. */
  expected: string;
  /** The problem's path when the digest does not match, e.g. `AP_….tar.md5`. */
  subject: string;
}

export interface PackageDigests {
  /** SHA-256 of the package file; null for a folder. */
  sha256: string | null;
  /** One per check that failed: the download is damaged. */
  problems: Problem[];
}

/**
 * Reads the package file once (when it is a file) for its SHA-256, hashing the ranges the checks
 * on that file cover in the same pass; files of a folder that have checks are read for those
 * alone. Returns the SHA-256 and a problem per digest that does not match.
 */
export async function hashPackage(packagePath: string, isFile: boolean, checks: readonly DigestCheck[]): Promise<PackageDigests> {
  const results = new Map<DigestCheck, string>();
  let sha256: string | null = null;
  if (isFile) sha256 = await hashFile(packagePath, checks.filter((check) => check.path === packagePath), results, true);
  const others = new Map<string, DigestCheck[]>();
  for (const check of checks) if (!isFile || check.path !== packagePath) others.set(check.path, [...(others.get(check.path) ?? []), check]);
  for (const [path, fileChecks] of others) await hashFile(path, fileChecks, results, false);
  const problems: Problem[] = [];
  for (const check of checks) {
    const actual = results.get(check);
    if (actual !== undefined && actual !== check.expected) {
      problems.push({
        path: check.subject,
        message: `${check.algorithm.toUpperCase()} mismatch: the file states ${check.expected}, its bytes hash to ${actual}: the download is damaged (get it again)`,
      });
    }
  }
  return { sha256, problems };
}

/** One pass over a file: its SHA-256 (when `whole`), and each check's digest over its range. */
async function hashFile(path: string, checks: readonly DigestCheck[], results: Map<DigestCheck, string>, whole: boolean): Promise<string | null> {
  const sha256 = whole ? createHash('sha256') : null;
  const running = checks.map((check) => ({ check, hash: createHash(check.algorithm) as Hash }));
  const end = whole ? undefined : Math.max(...checks.map((check) => check.end)) - 1;
  let position = whole ? 0 : Math.min(...checks.map((check) => check.start));
  for await (const chunk of createReadStream(path, { start: position, ...(end === undefined ? {} : { end }), highWaterMark: 1 << 20 })) {
    const bytes = chunk as Buffer;
    sha256?.update(bytes);
    for (const { check, hash } of running) {
      const from = Math.max(check.start, position);
      const to = Math.min(check.end, position + bytes.length);
      if (from < to) hash.update(bytes.subarray(from - position, to - position));
    }
    position += bytes.length;
  }
  for (const { check, hash } of running) results.set(check, hash.digest('hex'));
  return sha256?.digest('hex') ?? null;
}

export interface PackageDigestsRequest {
  packagePath: string;
  isFile: boolean;
  checks: DigestCheck[];
}

const DIGEST_WORKER_HEAP_MB = 64;

/**
 * hashPackage in a worker thread (the package file can be GBs: hashing it would otherwise take the
 * main thread's time from listing and hashing the files); in this thread when no worker can start.
 */
export async function hashPackageInWorker(packagePath: string, isFile: boolean, checks: readonly DigestCheck[]): Promise<PackageDigests> {
  if (!isFile && checks.length === 0) return { sha256: null, problems: [] };
  const request: PackageDigestsRequest = { packagePath, isFile, checks: [...checks] };
  try {
    return await runInWorker<PackageDigests>(compiledWorkerUrl(import.meta.url, './packageDigestsWorker.js'), request, { heapMb: DIGEST_WORKER_HEAP_MB, label: 'hashing the package' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException | undefined)?.code !== 'ERR_WORKER_PATH' && !(error instanceof Error && /Cannot find module|ERR_MODULE_NOT_FOUND/.test(error.message))) throw error;
    return hashPackage(packagePath, isFile, checks);
  }
}
