// Worker-thread entry: hashes a package file (SHA-256, and the digests it states) off the thread
// that lists and hashes its files, so the two passes run on two cores.
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError, type WorkerMessage } from '../workerProtocol.js';
import { hashPackage, type PackageDigests, type PackageDigestsRequest } from './packageDigests.js';

const port = parentPort;
if (port === null) throw new Error('packageDigestsWorker must run in a worker thread');
const request = workerData as PackageDigestsRequest;
const post = (message: WorkerMessage<PackageDigests>): void => port.postMessage(message);

hashPackage(request.packagePath, request.isFile, request.checks).then(
  (result) => post({ type: 'result', result }),
  (error: unknown) => post({ type: 'error', error: serializeError(error) }),
);
