import type { TimelineResult } from '../../shared/timeline.js';
import { workerJudgement } from './compareInWorker.js';
import { runInWorker } from './runInWorker.js';
import type { TimelineRunOptions } from './timeline.js';
import { compiledWorkerUrl } from './workerUrl.js';
import type { TimelineWorkerRequest } from './workerProtocol.js';

/** Heap cap for one timeline: it reads its builds one after the other, keeping only what verdicts read. */
const WORKER_HEAP_MB = 2048;

/** Runs timelineOfBuilds in a worker thread; aborting the signal terminates it and rejects with CancelledError. */
export function timelineInWorker(paths: readonly string[], options: TimelineRunOptions = {}): Promise<TimelineResult> {
  const request: TimelineWorkerRequest = { paths: [...paths], keepOrder: options.keepOrder ?? false, ...workerJudgement(options) };
  return runInWorker<TimelineResult>(compiledWorkerUrl(import.meta.url, './timelineWorker.js'), request, {
    signal: options.signal,
    onProgress: options.onProgress,
    heapMb: WORKER_HEAP_MB,
    label: 'the timeline',
  });
}
