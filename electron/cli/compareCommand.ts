import { parseArgs } from 'node:util';
import { toCanonicalJson } from '../../shared/canonicalJson.js';
import type { Progress } from '../../shared/model.js';
import { markdownSummary, textSummary } from '../../shared/summary.js';
import { comparePackages } from '../engine/compare.js';
import { judgeOptions } from './judgeOptions.js';
import { writeOutputFile, writeStdout, writeText } from './output.js';
import { UsageError } from './usage.js';

export async function compareCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'string' },
      html: { type: 'string' },
      md: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      claim: { type: 'string', multiple: true },
      features: { type: 'string', multiple: true },
    },
  });
  const [oldPath, newPath, ...extra] = positionals;
  if (oldPath === undefined || newPath === undefined || extra.length > 0) {
    throw new UsageError('compare takes exactly two packages: otalens compare OLD NEW');
  }
  for (const option of ['html', 'md'] as const) {
    if (values[option] === '-') throw new UsageError(`--${option} needs a file name (only --json can write to stdout)`);
  }
  const inputs = [oldPath, newPath];
  const judge = await judgeOptions(values.features ?? [], values.claim ?? []);
  const showProgress = !values.quiet && process.stderr.isTTY;
  const result = await comparePackages(oldPath, newPath, { ...judge, onProgress: showProgress ? printProgress : undefined });
  if (showProgress) process.stderr.write('\r\x1b[K');

  if (values.json !== undefined) {
    const json = toCanonicalJson(result);
    if (values.json === '-') await writeStdout(json);
    else await writeOutputFile(values.json, json, inputs);
  }
  if (values.md !== undefined) await writeOutputFile(values.md, markdownSummary(result), inputs);
  if (values.html !== undefined) {
    const { renderHtmlReport } = await import('../report/htmlReport.js');
    await writeOutputFile(values.html, await renderHtmlReport(result), inputs);
  }
  if (values.json !== '-' && !values.quiet) await writeText(textSummary(result));
}

export function printProgress(progress: Progress): void {
  const parts: string[] = [progress.stage];
  if (progress.side) parts.push(progress.side);
  if (progress.total !== undefined) parts.push(`${progress.done ?? 0}/${progress.total} files`);
  if (progress.bytes !== undefined) parts.push(`${(progress.bytes / 1e6).toFixed(1)} MB`);
  if (progress.appsTotal !== undefined && progress.appsTotal > 0) parts.push(`${progress.appsDone ?? 0}/${progress.appsTotal} apps`);
  process.stderr.write(`\r\x1b[K${parts.join(' · ')}`);
}
