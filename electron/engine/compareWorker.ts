// Worker-thread entry: runs one comparison and reports progress, the result or a typed error.
import { parentPort, workerData } from 'node:worker_threads';
import { comparePackages } from './compare.js';
import { throttleProgress } from './progressThrottle.js';
import { serializeError, type WorkerMessage, type WorkerRequest } from './workerProtocol.js';

const PROGRESS_INTERVAL_MS = 50;

const port = parentPort;
if (port === null) throw new Error('compareWorker must run in a worker thread');
const request = workerData as WorkerRequest;
const post = (message: WorkerMessage): void => port.postMessage(message);

const onProgress = throttleProgress((progress) => post({ type: 'progress', progress }), PROGRESS_INTERVAL_MS);

comparePackages(request.oldPath, request.newPath, { onProgress, claims: request.claims, keyClaims: request.keyClaims, features: request.features, ruleFiles: request.ruleFiles }).then(
  (result) => post({ type: 'result', result }),
  (error: unknown) => post({ type: 'error', error: serializeError(error) }),
);
