import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compiledWorkerUrl } from '../workerUrl.js';
import type { AppParseRequest, AppParseResponse } from './appParserWorker.js';
import type { AppParseResult } from './appParsing.js';

const MAX_WORKERS = 4;
/** One hostile APK may exhaust its worker's heap; it fails alone and the worker is replaced. */
const WORKER_HEAP_MB = 512;

interface Job {
  worker: Worker;
  resolve: (result: AppParseResult) => void;
  reject: (error: Error) => void;
}

/**
 * Worker threads that parse APKs in parallel. The caller reads each APK's bytes once (hashing them
 * on the way) and hands them over; the buffer moves to the worker without a copy. A worker that
 * dies fails only its own jobs and is replaced.
 */
export class AppParserPool {
  private readonly workers: Worker[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly size = Math.min(MAX_WORKERS, Math.max(1, availableParallelism()))) {
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  private spawn(): Worker {
    const worker = new Worker(compiledWorkerUrl(import.meta.url, './appParserWorker.js'), { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    worker.on('message', (response: AppParseResponse) => this.settle(response));
    worker.on('error', (error: Error & { code?: string }) => this.fail(worker, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the app parser ran out of memory (limit ${WORKER_HEAP_MB} MB)` : error.message));
    worker.on('exit', (code) => this.fail(worker, `the app parser stopped (exit code ${code})`));
    return worker;
  }

  parse(bytes: Buffer, path: string): Promise<AppParseResult> {
    if (this.closed) return Promise.reject(new Error('the app parser pool is closed'));
    const id = this.nextId++;
    const worker = this.leastLoaded();
    const buffer = ownedArrayBuffer(bytes);
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { worker, resolve, reject });
      worker.postMessage({ id, path, bytes: buffer } satisfies AppParseRequest, [buffer]);
    });
  }

  private leastLoaded(): Worker {
    const load = new Map<Worker, number>(this.workers.map((worker) => [worker, 0]));
    for (const job of this.jobs.values()) load.set(job.worker, (load.get(job.worker) ?? 0) + 1);
    return [...load].sort((a, b) => a[1] - b[1])[0]?.[0] as Worker;
  }

  private settle(response: AppParseResponse): void {
    const job = this.jobs.get(response.id);
    if (job === undefined) return;
    this.jobs.delete(response.id);
    if ('result' in response) job.resolve(response.result);
    else job.reject(new Error(response.failure));
  }

  private fail(worker: Worker, reason: string): void {
    for (const [id, job] of this.jobs) {
      if (job.worker !== worker) continue;
      this.jobs.delete(id);
      job.reject(new Error(reason));
    }
    const index = this.workers.indexOf(worker);
    if (index < 0 || this.closed) return;
    this.workers.splice(index, 1, this.spawn());
    void worker.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
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
