import { createHash } from 'node:crypto';
import { throwIfAborted } from '../errors.js';

/** SHA-256 of a stream's bytes, counting them as they pass. */
export async function hashStream(stream: AsyncIterable<unknown>, onBytes?: (bytes: number) => void, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) {
    throwIfAborted(signal);
    const bytes = chunk as Buffer;
    hash.update(bytes);
    onBytes?.(bytes.length);
  }
  return hash.digest('hex');
}
