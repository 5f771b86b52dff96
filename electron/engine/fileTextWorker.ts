// Worker-thread entry: reads one file of one package as text, away from the Electron main process.
import { parentPort, workerData } from 'node:worker_threads';
import type { FileText } from '../../shared/api.js';
import { readFileText } from './fileText.js';
import { serializeError, type FileTextRequest, type WorkerMessage } from './workerProtocol.js';

const port = parentPort;
if (port === null) throw new Error('fileTextWorker must run in a worker thread');
const request = workerData as FileTextRequest;
const post = (message: WorkerMessage<FileText>): void => port.postMessage(message);

readFileText(request.packagePath, request.devicePath).then(
  (result) => post({ type: 'result', result }),
  (error: unknown) => post({ type: 'error', error: serializeError(error) }),
);
