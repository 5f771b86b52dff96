import { parseArgs } from 'node:util';
import { toCanonicalJson } from '../../shared/canonicalJson.js';
import { timelineMarkdown, timelineText } from '../../shared/timelineSummary.js';
import { MIN_TIMELINE_BUILDS, timelineOfBuilds } from '../engine/timeline.js';
import { printProgress } from './compareCommand.js';
import { judgeOptions } from './judgeOptions.js';
import { writeOutputFile, writeStdout, writeText } from './output.js';
import { UsageError } from './usage.js';

/**
 * `otalens timeline A B C … [--keep-order] [--claim KIND:KEY=VALUE]… [--features FILE]…
 * [--json FILE|-] [--md FILE] [--html FILE] [--quiet]`: every feature and claimed key across builds.
 */
export async function timelineCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'string' },
      html: { type: 'string' },
      md: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      'keep-order': { type: 'boolean' },
      claim: { type: 'string', multiple: true },
      features: { type: 'string', multiple: true },
    },
  });
  if (positionals.length < MIN_TIMELINE_BUILDS) throw new UsageError(`timeline takes at least ${MIN_TIMELINE_BUILDS} packages or saved inventories: otalens timeline A B C …`);
  for (const option of ['html', 'md'] as const) {
    if (values[option] === '-') throw new UsageError(`--${option} needs a file name (only --json can write to stdout)`);
  }
  const judge = await judgeOptions(values.features ?? [], values.claim ?? []);
  if (judge.claims.length > 0) {
    throw new UsageError(`--claim: a timeline follows every feature already; name a key instead (pref:, setting:, prop:, flag:), not ${judge.claims[0]?.feature ?? 'a feature'}`);
  }
  const showProgress = !values.quiet && process.stderr.isTTY;
  const result = await timelineOfBuilds(positionals, { ...judge, keepOrder: values['keep-order'], onProgress: showProgress ? printProgress : undefined });
  if (showProgress) process.stderr.write('\r\x1b[K');
  if (values.json !== undefined) {
    const json = toCanonicalJson(result);
    if (values.json === '-') await writeStdout(json);
    else await writeOutputFile(values.json, json, positionals);
  }
  if (values.md !== undefined) await writeOutputFile(values.md, timelineMarkdown(result), positionals);
  if (values.html !== undefined) {
    const { renderHtmlReport } = await import('../report/htmlReport.js');
    await writeOutputFile(values.html, await renderHtmlReport(result), positionals);
  }
  if (values.json !== '-' && !values.quiet) await writeText(timelineText(result));
}
