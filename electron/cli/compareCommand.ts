import { parseArgs } from 'node:util';
import { toCanonicalJson } from '../../shared/canonicalJson.js';
import type { Progress } from '../../shared/model.js';
import { markdownSummary, textSummary } from '../../shared/summary.js';
import { comparePackages } from '../engine/compare.js';
import { judgeOptions, RESULT_OPTIONS } from './judgeOptions.js';
import { checkResultOutputs, writeResultOutputs, writeText } from './output.js';
import { UsageError } from './usage.js';

export async function compareCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...RESULT_OPTIONS },
  });
  const [oldPath, newPath, ...extra] = positionals;
  if (oldPath === undefined || newPath === undefined || extra.length > 0) {
    throw new UsageError('compare takes exactly two packages: otalens compare OLD NEW');
  }
  checkResultOutputs(values);
  const inputs = [oldPath, newPath];
  const judge = await judgeOptions(values.features ?? [], values.claim ?? []);
  const showProgress = !values.quiet && process.stderr.isTTY;
  const result = await comparePackages(oldPath, newPath, { ...judge, onProgress: showProgress ? printProgress : undefined });
  if (showProgress) process.stderr.write('\r\x1b[K');

  await writeResultOutputs(values, inputs, {
    json: () => toCanonicalJson(result),
    markdown: () => markdownSummary(result),
    html: async () => (await import('../report/htmlReport.js')).renderHtmlReport(result),
  });
  if (values.json !== '-' && !values.quiet) await writeText(textSummary(result));
}

function printProgress(progress: Progress): void {
  const parts: string[] = [progress.stage];
  if (progress.side) parts.push(progress.side);
  if (progress.total !== undefined) parts.push(`${progress.done ?? 0}/${progress.total} files`);
  if (progress.bytes !== undefined) parts.push(`${(progress.bytes / 1e6).toFixed(1)} MB`);
  if (progress.appsTotal !== undefined && progress.appsTotal > 0) parts.push(`${progress.appsDone ?? 0}/${progress.appsTotal} apps`);
  process.stderr.write(`\r\x1b[K${parts.join(' · ')}`);
}
