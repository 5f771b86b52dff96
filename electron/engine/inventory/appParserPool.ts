import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compiledWorkerUrl } from '../workerUrl.js';
import type { AppParseRequest, AppParseResponse } from './appParserWorker.js';
import type { AppParseOptions, AppParseResult } from './appParsing.js';

const MAX_WORKERS = 4;
/** One hostile APK may exhaust its worker's heap; it fails alone and the worker is replaced. */
const WORKER_HEAP_MB = 512;
/** No real APK takes this long to parse; a hostile one that does is stopped and reported. */
const APP_TIME_BUDGET_MS = 120_000;

export interface AppParserPoolOptions {
  /** Worker threads (default: one per core, at most 4). */
  size?: number;
  /** The worker script (default: the compiled appParserWorker.js). */
  workerUrl?: URL;
  /** Heap limit of each worker. */
  heapMb?: number;
  /** Time one app may take before its worker is terminated. */
  timeBudgetMs?: number;
}

interface Job {
  id: number;
  path: string;
  bytes: Buffer;
  options: AppParseOptions;
  resolve: (result: AppParseResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Worker threads that parse APKs in parallel. The caller reads each APK's bytes once (hashing them
 * on the way) and hands them over; each worker parses one app at a time, and the buffer moves to it
 * without a copy. A worker that dies, runs out of memory or exceeds the time budget fails only the
 * app it was parsing, and is replaced.
 */
export class AppParserPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;
  private readonly workerUrl: URL;
  private readonly heapMb: number;
  private readonly timeBudgetMs: number;

  constructor(options: AppParserPoolOptions = {}) {
    this.workerUrl = options.workerUrl ?? compiledWorkerUrl(import.meta.url, './appParserWorker.js');
    this.heapMb = options.heapMb ?? WORKER_HEAP_MB;
    this.timeBudgetMs = options.timeBudgetMs ?? APP_TIME_BUDGET_MS;
    // One core stays with the thread that reads, inflates and hashes the package.
    const size = options.size ?? Math.min(MAX_WORKERS, Math.max(1, availableParallelism() - 1));
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  parse(bytes: Buffer, path: string, options: AppParseOptions = {}): Promise<AppParseResult> {
    if (this.closed) return Promise.reject(new Error('the app parser pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, path, bytes, options, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the app parser pool is closed'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerUrl, { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
    const slot: Slot = { worker, job: null, timer: undefined };
    worker.on('message', (response: AppParseResponse) => this.settle(slot, response));
    worker.on('error', (error: Error & { code?: string }) =>
      this.replace(slot, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the app parser ran out of memory (limit ${this.heapMb} MB)` : error.message),
    );
    worker.on('exit', (code) => this.replace(slot, `the app parser stopped (exit code ${code})`));
    return slot;
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job !== null) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => this.replace(slot, `the app parser took longer than ${Math.round(this.timeBudgetMs / 1000)} s and was stopped`), this.timeBudgetMs);
      const buffer = ownedArrayBuffer(job.bytes);
      slot.worker.postMessage({ id: job.id, path: job.path, bytes: buffer, options: job.options } satisfies AppParseRequest, [buffer]);
    }
  }

  private settle(slot: Slot, response: AppParseResponse): void {
    const job = slot.job;
    if (job === null || job.id !== response.id) return;
    this.release(slot);
    if ('result' in response) job.resolve(response.result);
    else job.reject(new Error(response.failure));
    this.pump();
  }

  /** Fails the slot's app with `reason` and puts a fresh worker in its place. */
  private replace(slot: Slot, reason: string): void {
    const job = slot.job;
    this.release(slot);
    job?.reject(new Error(reason));
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    this.slots.splice(index, 1, this.spawn());
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => {}); // the replaced worker's last words are already reported
    void slot.worker.terminate();
    this.pump();
  }

  private release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = null;
  }
}

/**
 * An ArrayBuffer holding exactly `bytes`, safe to transfer: small Buffers are slices of Node's
 * shared allocation pool, and transferring that would take the pool (and other Buffers) away.
 */
function ownedArrayBuffer(bytes: Buffer): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}
