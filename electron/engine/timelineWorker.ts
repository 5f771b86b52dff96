// Worker-thread entry: makes one timeline and reports progress, the result or a typed error.
import { parentPort, workerData } from 'node:worker_threads';
import type { TimelineResult } from '../../shared/timeline.js';
import { throttleProgress } from './progressThrottle.js';
import { timelineOfBuilds } from './timeline.js';
import { serializeError, type TimelineWorkerRequest, type WorkerMessage } from './workerProtocol.js';

const PROGRESS_INTERVAL_MS = 50;

const port = parentPort;
if (port === null) throw new Error('timelineWorker must run in a worker thread');
const request = workerData as TimelineWorkerRequest;
const post = (message: WorkerMessage<TimelineResult>): void => port.postMessage(message);

const onProgress = throttleProgress((progress) => post({ type: 'progress', progress }), PROGRESS_INTERVAL_MS);

timelineOfBuilds(request.paths, { onProgress, keepOrder: request.keepOrder, keyClaims: request.keyClaims, features: request.features, ruleFiles: request.ruleFiles }).then(
  (result) => post({ type: 'result', result }),
  (error: unknown) => post({ type: 'error', error: serializeError(error) }),
);
