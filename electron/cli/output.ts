import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { UsageError } from './usage.js';

/** Writes text to stdout, waiting for the pipe to drain so large output is not cut off. */
export function writeStdout(text: string | Buffer): Promise<void> {
  return writeAll(process.stdout, text);
}

export function writeAll(stream: Writable, data: string | Buffer): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    stream.write(data, (error) => (error ? reject(error) : resolvePromise()));
  });
}

/**
 * Writes an output file the user asked for. Refuses to write over any of the input packages:
 * OTA Lens never modifies what it inspects.
 */
export async function writeOutputFile(path: string, data: string, inputs: readonly string[]): Promise<void> {
  const target = resolve(path);
  if (inputs.some((input) => resolve(input) === target)) {
    throw new UsageError(`refusing to write ${path}: it is one of the input packages`);
  }
  await writeFile(target, data);
}
