// Worker-thread entry: runs one comparison and reports progress, the result or a typed error.
import { parentPort, workerData } from 'node:worker_threads';
import type { Progress } from '../../shared/model.js';
import { comparePackages } from './compare.js';
import { serializeError, type WorkerMessage, type WorkerRequest } from './workerProtocol.js';

const PROGRESS_INTERVAL_MS = 50;

const port = parentPort;
if (port === null) throw new Error('compareWorker must run in a worker thread');
const request = workerData as WorkerRequest;
const post = (message: WorkerMessage): void => port.postMessage(message);

let lastStage: Progress['stage'] | null = null;
let lastSent = 0;
function onProgress(progress: Progress): void {
  const now = performance.now();
  const finishedSide = progress.total !== undefined && progress.done === progress.total;
  if (progress.stage === lastStage && !finishedSide && now - lastSent < PROGRESS_INTERVAL_MS) return;
  lastStage = progress.stage;
  lastSent = now;
  post({ type: 'progress', progress });
}

comparePackages(request.oldPath, request.newPath, { onProgress }).then(
  (result) => post({ type: 'result', result }),
  (error: unknown) => post({ type: 'error', error: serializeError(error) }),
);
