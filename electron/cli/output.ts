import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { isSameFile } from '../engine/io/sameFile.js';
import { UsageError } from './usage.js';

/**
 * Firmware names can hold control characters (ESC, BEL, bidi overrides) that would drive the
 * reader's terminal; they are shown escaped (`\u001b`). Newlines are escaped too: one fact, one line.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Human-readable output for the terminal: every line made terminal-safe, the line breaks kept. */
export function writeText(text: string): Promise<void> {
  return writeStdout(text.split('\n').map(terminalSafe).join('\n'));
}

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
export async function writeOutputFile(path: string, data: string | Buffer, inputs: readonly string[]): Promise<void> {
  const target = resolve(path);
  for (const input of inputs) {
    if (resolve(input) === target || (await isSameFile(input, target))) throw new UsageError(`refusing to write ${path}: it is one of the input packages`);
  }
  await writeFile(target, data);
}

/** The output options of compare and timeline: `--json FILE|-`, `--md FILE`, `--html FILE`. */
export interface ResultOutputs {
  json?: string | undefined;
  md?: string | undefined;
  html?: string | undefined;
}

/** Only --json may name stdout (`-`): the Markdown and the HTML report go to files. */
export function checkResultOutputs(outputs: ResultOutputs): void {
  for (const option of ['html', 'md'] as const) {
    if (outputs[option] === '-') throw new UsageError(`--${option} needs a file name (only --json can write to stdout)`);
  }
}

/** Writes each output asked for, never over one of the inputs; the HTML report is rendered only when asked for. */
export async function writeResultOutputs(outputs: ResultOutputs, inputs: readonly string[], render: { json: () => string; markdown: () => string; html: () => Promise<string> }): Promise<void> {
  if (outputs.json !== undefined) {
    if (outputs.json === '-') await writeStdout(render.json());
    else await writeOutputFile(outputs.json, render.json(), inputs);
  }
  if (outputs.md !== undefined) await writeOutputFile(outputs.md, render.markdown(), inputs);
  if (outputs.html !== undefined) await writeOutputFile(outputs.html, await render.html(), inputs);
}
