// A stand-in for appParserWorker.js in tests: behaves like a parser hit by a hostile APK for some
// device paths (runs out of heap, never answers, dies), and parses every other app with the real,
// built parser. Which path does what is fixed here, so the test knows.
import { parentPort } from 'node:worker_threads';

const built = new URL('../../../dist/electron/engine/', import.meta.url);
const { parseApp } = await import(new URL('inventory/appParsing.js', built).href);
const { BufferByteSource } = await import(new URL('io/byteSource.js', built).href);

export const HOSTILE = { oom: '/Calendar/', hang: '/Weather/', exit: '/FindDevice/' };

function exhaustHeap() {
  const hoard = [];
  for (;;) hoard.push(new Array(1 << 20).fill(hoard.length));
}

parentPort.on('message', (request) => {
  if (request.path.includes(HOSTILE.oom)) exhaustHeap();
  if (request.path.includes(HOSTILE.hang)) for (;;);
  if (request.path.includes(HOSTILE.exit)) process.exit(9);
  parseApp(new BufferByteSource(request.path, Buffer.from(request.bytes)), request.path).then(
    (result) => parentPort.postMessage({ id: request.id, result }),
    (error) => parentPort.postMessage({ id: request.id, failure: error instanceof Error ? error.message : String(error) }),
  );
});
