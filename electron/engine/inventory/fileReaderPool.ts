import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CancelledError, InputError } from '../errors.js';
import { DecodeCache } from '../io/decodeCache.js';
import { compiledWorkerUrl } from '../workerUrl.js';
import { deserializeError, type SerializedError } from '../workerProtocol.js';
import type { FileRead, ReadMode } from './fileReading.js';

const MAX_WORKERS = 4;
/** Reads kept in flight per worker: while one waits for an operation being decoded, another hashes. */
export const READS_PER_WORKER = 3;
/** A worker holds decoded bytes in the shared cache and the files it reads whole (at most 128 MiB each). */
const WORKER_HEAP_MB = 1024;
/** How long closing waits for workers to close their packages (and delete temporary files). */
const CLOSE_WAIT_MS = 5_000;

export type FileReaderRequest =
  | { type: 'read'; id: number; packagePath: string; path: string; mode: ReadMode }
  | { type: 'cancel'; id: number }
  | { type: 'close' };

export type FileReaderResponse =
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; sha256: string; bytes: ArrayBuffer | null; unreportedBytes: number }
  | { type: 'failed'; id: number; error: SerializedError }
  | { type: 'closed' };

interface Job {
  id: number;
  size: number;
  onBytes: (count: number) => void;
  resolve: (read: FileRead) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  thread: number;
  jobs: Map<number, Job>;
  /** Bytes of the files it is reading: the next file goes to the least loaded worker. */
  bytesInFlight: number;
  closed: Promise<void>;
}

/**
 * Packages from this size on have their files read by worker threads. Below it, the workers' start
 * (each loads the engine) and the bytes sent between threads cost more than they save: comparing two
 * 90 MB file OTAs of 1,000 apps took 6.8 s with them and 5.4–5.8 s without.
 */
export const READER_WORKERS_FROM_BYTES = 512 * 2 ** 20;

/** Whether reading a package in worker threads pays off: a large file, or a folder (of images, maybe). */
export function readerWorkersPayOff(stats: Stats): boolean {
  return stats.isDirectory() || stats.size >= READER_WORKERS_FROM_BYTES;
}

/** readerWorkersPayOff for the package at `path` (false when it cannot be found: opening it will say why). */
export async function readerWorkersPayOffAt(path: string): Promise<boolean> {
  const stats = await stat(path).catch(() => null);
  return stats !== null && readerWorkersPayOff(stats);
}

export interface FileReaderPoolOptions {
  /** Worker threads (default: one per core, at most 4). */
  size?: number;
}

/**
 * Worker threads that read the files of packages where the bytes are: each worker opens a package
 * itself (on its first file of it) and decodes, hashes, and for apps and texts hands back the
 * file's bytes, transferred rather than copied. The workers share this thread's decode cache
 * (io/decodeCache.ts), so an operation or cluster one of them decoded, or this thread decoded while
 * listing, is not decoded again by another. One pool may serve several packages (a comparison).
 * A worker that dies fails the reads it had (as input problems naming the file) and is replaced.
 */
export class FileReaderPool {
  private readonly slots: Slot[] = [];
  private readonly cache = DecodeCache.shared();
  private readonly workerUrl = compiledWorkerUrl(import.meta.url, './fileReaderWorker.js');
  private nextId = 0;
  private closed = false;

  constructor(options: FileReaderPoolOptions = {}) {
    const size = options.size ?? Math.min(MAX_WORKERS, Math.max(1, availableParallelism()));
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  /** Reads one file of the package at `packagePath`: its SHA-256, and its bytes for mode `bytes`. */
  read(packagePath: string, path: string, size: number, mode: ReadMode, signal: AbortSignal, onBytes: (count: number) => void): Promise<FileRead> {
    if (this.closed) return Promise.reject(new Error('the file reader pool is closed'));
    if (signal.aborted) return Promise.reject(new CancelledError());
    const slot = this.slots.reduce((best, candidate) => (candidate.bytesInFlight < best.bytesInFlight ? candidate : best));
    const id = this.nextId++;
    return new Promise<FileRead>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.settle(slot, id)) return;
        slot.worker.postMessage({ type: 'cancel', id } satisfies FileReaderRequest);
        reject(new CancelledError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done = <T>(settle: (value: T) => void) => (value: T): void => {
        signal.removeEventListener('abort', onAbort);
        settle(value);
      };
      slot.jobs.set(id, { id, size, onBytes, resolve: done(resolve), reject: done(reject) });
      slot.bytesInFlight += size;
      slot.worker.postMessage({ type: 'read', id, packagePath, path, mode } satisfies FileReaderRequest);
    });
  }

  /** Lets the workers close their packages (deleting their temporary files), then ends them. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        for (const job of slot.jobs.values()) job.reject(new Error('the file reader pool is closed'));
        slot.jobs.clear();
        slot.worker.postMessage({ type: 'close' } satisfies FileReaderRequest);
        await Promise.race([slot.closed, new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
        await slot.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const handle = this.cache.handleForWorker();
    const worker = new Worker(this.workerUrl, { workerData: { cache: handle }, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    let markClosed = (): void => {};
    const slot: Slot = { worker, thread: handle.thread, jobs: new Map(), bytesInFlight: 0, closed: new Promise((resolve) => (markClosed = resolve)) };
    worker.on('message', (response: FileReaderResponse) => {
      if (response.type === 'closed') {
        markClosed();
        return;
      }
      const job = slot.jobs.get(response.id);
      if (job === undefined) return;
      if (response.type === 'progress') {
        job.onBytes(response.bytes);
        return;
      }
      this.settle(slot, response.id);
      if (response.type === 'done') {
        job.onBytes(response.unreportedBytes);
        job.resolve({ sha256: response.sha256, bytes: response.bytes === null ? null : Buffer.from(response.bytes) });
      } else {
        job.reject(deserializeError(response.error));
      }
    });
    worker.on('error', (error: Error & { code?: string }) => this.replace(slot, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the file reader ran out of memory (limit ${WORKER_HEAP_MB} MB)` : error.message));
    worker.on('exit', (code) => this.replace(slot, `the file reader stopped (exit code ${code})`));
    return slot;
  }

  /** Forgets a job of the slot; false when it was already settled. */
  private settle(slot: Slot, id: number): boolean {
    const job = slot.jobs.get(id);
    if (job === undefined) return false;
    slot.jobs.delete(id);
    slot.bytesInFlight -= job.size;
    return true;
  }

  /** Fails the reads of a worker that died, as problems of their files, and puts a fresh worker in its place. */
  private replace(slot: Slot, reason: string): void {
    this.cache.threadEnded(slot.thread);
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    for (const job of slot.jobs.values()) job.reject(new InputError(reason, { file: 'OTA Lens', format: 'file reader thread' }));
    slot.jobs.clear();
    slot.bytesInFlight = 0;
    if (this.closed) return;
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => {});
    this.slots.splice(index, 1, this.spawn());
  }
}
