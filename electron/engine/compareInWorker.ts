import { Worker } from 'node:worker_threads';
import type { ComparisonResult } from '../../shared/model.js';
import type { CompareOptions } from './compare.js';
import { CancelledError } from './errors.js';
import { compiledWorkerUrl } from './workerUrl.js';
import { deserializeError, type WorkerMessage, type WorkerRequest } from './workerProtocol.js';

/** Heap cap for one comparison: a hostile or huge package fails alone instead of taking the app down. */
const WORKER_HEAP_MB = 1536;


/**
 * Runs comparePackages in a worker thread so neither the Electron main process nor the window
 * waits on parsing. Aborting the signal terminates the worker (freeing its memory) and rejects
 * with CancelledError; input errors are re-thrown as InputError with the same message.
 */
export function compareInWorker(oldPath: string, newPath: string, options: CompareOptions = {}): Promise<ComparisonResult> {
  const { signal, onProgress } = options;
  if (signal?.aborted) return Promise.reject(new CancelledError());
  const request: WorkerRequest = { oldPath, newPath };
  if (options.claims !== undefined) request.claims = [...options.claims];
  const worker = new Worker(compiledWorkerUrl(import.meta.url, './compareWorker.js'), { workerData: request, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });

  return new Promise<ComparisonResult>((resolve, reject) => {
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

    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'result') settle(() => resolve(message.result));
      else settle(() => reject(deserializeError(message.error)));
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const reason = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the comparison ran out of memory (limit ${WORKER_HEAP_MB} MB)` : error.message;
      settle(() => reject(new Error(reason)));
    });
    worker.on('exit', (code) => settle(() => reject(new Error(`the comparison worker stopped unexpectedly (exit code ${code})`))));
  });
}
