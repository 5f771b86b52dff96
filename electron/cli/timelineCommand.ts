import { parseArgs } from 'node:util';
import { toCanonicalJson } from '../../shared/canonicalJson.js';
import type { Progress } from '../../shared/model.js';
import { timelineMarkdown, timelineText } from '../../shared/timelineSummary.js';
import { MIN_TIMELINE_BUILDS, timelineOfBuilds } from '../engine/timeline.js';
import { judgeOptions, RESULT_OPTIONS } from './judgeOptions.js';
import { checkResultOutputs, writeResultOutputs, writeText } from './output.js';
import { UsageError } from './usage.js';

/**
 * `otalens timeline A B C … [--keep-order] [--claim KIND:KEY=VALUE]… [--features FILE]…
 * [--json FILE|-] [--md FILE] [--html FILE] [--quiet]`: every feature and claimed key across builds.
 */
export async function timelineCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...RESULT_OPTIONS, 'keep-order': { type: 'boolean' } },
  });
  if (positionals.length < MIN_TIMELINE_BUILDS) throw new UsageError(`timeline takes at least ${MIN_TIMELINE_BUILDS} packages or saved inventories: otalens timeline A B C …`);
  checkResultOutputs(values);
  const judge = await judgeOptions(values.features ?? [], values.claim ?? []);
  if (judge.claims.length > 0) {
    throw new UsageError(`--claim: a timeline follows every feature already; name a key instead (pref:, setting:, prop:, flag:), not ${judge.claims[0]?.feature ?? 'a feature'}`);
  }
  const showProgress = !values.quiet && process.stderr.isTTY;
  const result = await timelineOfBuilds(positionals, { ...judge, keepOrder: values['keep-order'], onProgress: showProgress ? (progress) => printTimelineProgress(progress, positionals.length) : undefined });
  if (showProgress) process.stderr.write('\r\x1b[K');
  await writeResultOutputs(values, positionals, {
    json: () => toCanonicalJson(result),
    markdown: () => timelineMarkdown(result),
    html: async () => (await import('../report/htmlReport.js')).renderHtmlReport(result),
  });
  if (values.json !== '-' && !values.quiet) await writeText(timelineText(result));
}

function printTimelineProgress(progress: Progress, builds: number): void {
  const text = progress.stage === 'reading' && progress.done !== undefined ? `reading build ${progress.done + 1} of ${builds}` : progress.stage;
  process.stderr.write(`\r\x1b[K${text}`);
}
