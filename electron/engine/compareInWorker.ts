import type { ComparisonResult } from '../../shared/model.js';
import type { CompareOptions } from './compare.js';
import { runInWorker } from './runInWorker.js';
import { compiledWorkerUrl } from './workerUrl.js';
import type { WorkerJudgement, WorkerRequest } from './workerProtocol.js';

/** Heap cap for one comparison. */
const WORKER_HEAP_MB = 1536;

/**
 * Runs comparePackages in a worker thread so neither the Electron main process nor the window
 * waits on parsing. Aborting the signal terminates the worker and rejects with CancelledError.
 */
export function compareInWorker(oldPath: string, newPath: string, options: CompareOptions = {}): Promise<ComparisonResult> {
  const request: WorkerRequest = { oldPath, newPath, ...workerJudgement(options) };
  if (options.claims !== undefined) request.claims = [...options.claims];
  return runInWorker<ComparisonResult>(compiledWorkerUrl(import.meta.url, './compareWorker.js'), request, {
    signal: options.signal,
    onProgress: options.onProgress,
    heapMb: WORKER_HEAP_MB,
    label: 'the comparison',
  });
}

/** The rules and key claims of a run as plain data for a worker (feature claims are the caller's). */
export function workerJudgement(options: Pick<CompareOptions, 'keyClaims' | 'features' | 'ruleFiles'>): Omit<WorkerJudgement, 'claims'> {
  const judgement: Omit<WorkerJudgement, 'claims'> = {};
  if (options.keyClaims !== undefined) judgement.keyClaims = [...options.keyClaims];
  if (options.features !== undefined) judgement.features = [...options.features];
  if (options.ruleFiles !== undefined) judgement.ruleFiles = [...options.ruleFiles];
  return judgement;
}
