// Worker-thread entry: opens packages itself (sharing the parent's decode cache) and reads the
// files it is sent, hashing them where their bytes are; only hashes, and the bytes of the files
// asked for whole (apps, texts), go back, the bytes transferred rather than copied.
import { parentPort, workerData } from 'node:worker_threads';
import { CancelledError } from '../errors.js';
import { closePackage, openPackage, type PackageHandle } from '../formats/registry.js';
import { DecodeCache, type DecodeCacheHandle } from '../io/decodeCache.js';
import { serializeError } from '../workerProtocol.js';
import { readTreeFile } from './fileReading.js';
import type { FileReaderRequest, FileReaderResponse } from './fileReaderPool.js';

/** Bytes read between progress messages. */
const PROGRESS_BYTES = 8 << 20;

const port = parentPort;
if (port === null) throw new Error('fileReaderWorker must run in a worker thread');
DecodeCache.adopt((workerData as { cache: DecodeCacheHandle }).cache);

const packages = new Map<string, Promise<PackageHandle>>();
const running = new Map<number, AbortController>();
const post = (message: FileReaderResponse, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

function packageAt(path: string): Promise<PackageHandle> {
  let opened = packages.get(path);
  if (opened === undefined) {
    opened = openPackage(path);
    packages.set(path, opened);
    // A package that failed to open fails each file asked of it, and is tried again for the next.
    opened.catch(() => packages.delete(path));
  }
  return opened;
}

async function read(request: Extract<FileReaderRequest, { type: 'read' }>): Promise<void> {
  const controller = new AbortController();
  running.set(request.id, controller);
  let unreported = 0;
  try {
    const { opened } = await packageAt(request.packagePath);
    const result = await readTreeFile(opened.tree, request.path, request.mode, controller.signal, (count) => {
      unreported += count;
      if (unreported < PROGRESS_BYTES) return;
      post({ type: 'progress', id: request.id, bytes: unreported });
      unreported = 0;
    });
    const bytes = result.bytes === null ? null : (result.bytes.buffer as ArrayBuffer);
    post({ type: 'done', id: request.id, sha256: result.sha256, bytes, unreportedBytes: unreported }, bytes === null ? [] : [bytes]);
  } catch (error) {
    post({ type: 'failed', id: request.id, error: serializeError(error) });
  } finally {
    running.delete(request.id);
  }
}

async function close(): Promise<void> {
  for (const controller of running.values()) controller.abort(new CancelledError());
  for (const opened of packages.values()) {
    const handle = await opened.catch(() => null);
    if (handle !== null) await closePackage(handle).catch(() => undefined);
  }
  packages.clear();
  post({ type: 'closed' });
}

port.on('message', (request: FileReaderRequest) => {
  if (request.type === 'read') void read(request);
  else if (request.type === 'cancel') running.get(request.id)?.abort(new CancelledError());
  else void close();
});
