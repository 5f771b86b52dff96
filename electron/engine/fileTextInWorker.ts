import type { FileText } from '../../shared/api.js';
import { runInWorker } from './runInWorker.js';
import { compiledWorkerUrl } from './workerUrl.js';
import type { FileTextRequest } from './workerProtocol.js';

const FILE_TEXT_HEAP_MB = 512;

/** readFileText in a worker thread; the signal (e.g. a time limit) terminates it. */
export function readFileTextInWorker(packagePath: string, devicePath: string, signal?: AbortSignal): Promise<FileText> {
  const request: FileTextRequest = { packagePath, devicePath };
  return runInWorker<FileText>(compiledWorkerUrl(import.meta.url, './fileTextWorker.js'), request, { signal, heapMb: FILE_TEXT_HEAP_MB, label: 'reading the file' });
}
