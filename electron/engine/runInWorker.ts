import { Worker } from 'node:worker_threads';
import type { Progress } from '../../shared/model.js';
import { CancelledError } from './errors.js';
import { deserializeError, type WorkerMessage } from './workerProtocol.js';

export interface WorkerRunOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: Progress) => void) | undefined;
  /** Heap cap: a hostile or huge package fails alone instead of taking the app down. */
  heapMb: number;
  /** What runs, for messages: `the comparison` ran out of memory. */
  label: string;
}

/**
 * Runs a worker script to its one result. Aborting the signal terminates the worker (freeing its
 * memory) and rejects with CancelledError; input errors are re-thrown as InputError with the same
 * message; running out of memory or dying is an Error that says so.
 */
export function runInWorker<Result>(script: URL, workerData: unknown, options: WorkerRunOptions): Promise<Result> {
  const { signal, onProgress, heapMb, label } = options;
  if (signal?.aborted) return Promise.reject(new CancelledError());
  const worker = new Worker(script, { workerData, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: heapMb } });

  return new Promise<Result>((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      finish();
      void worker.terminate();
    };
    const onAbort = (): void => settle(() => reject(new CancelledError()));
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (message: WorkerMessage<Result>) => {
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'result') settle(() => resolve(message.result));
      else settle(() => reject(deserializeError(message.error)));
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const reason = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `${label} ran out of memory (limit ${heapMb} MB)` : error.message;
      settle(() => reject(new Error(reason)));
    });
    worker.on('exit', (code) => settle(() => reject(new Error(`${label} worker stopped unexpectedly (exit code ${code})`))));
  });
}
