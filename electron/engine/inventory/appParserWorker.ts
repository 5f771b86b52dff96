// Worker-thread entry: parses APKs sent as bytes, one message each.
import { parentPort } from 'node:worker_threads';
import { BufferByteSource } from '../io/byteSource.js';
import { parseApp, type AppParseOptions, type AppParseResult } from './appParsing.js';

export interface AppParseRequest {
  id: number;
  path: string;
  bytes: ArrayBuffer;
  options: AppParseOptions;
}

export type AppParseResponse = { id: number; result: AppParseResult } | { id: number; failure: string };

const port = parentPort;
if (port === null) throw new Error('appParserWorker must run in a worker thread');
port.on('message', (request: AppParseRequest) => {
  parseApp(new BufferByteSource(request.path, Buffer.from(request.bytes)), request.path, request.options).then(
    (result) => port.postMessage({ id: request.id, result } satisfies AppParseResponse),
    (error: unknown) => port.postMessage({ id: request.id, failure: error instanceof Error ? error.message : String(error) } satisfies AppParseResponse),
  );
});
