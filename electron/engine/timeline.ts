import type { Progress } from '../../shared/model.js';
import { BUILD_DATE_PROPERTIES, buildTimeline, buildTimeOf, type TimelineInput, type TimelineResult } from '../../shared/timeline.js';
import type { JudgeOptions } from './compare.js';
import { InputError, throwIfAborted } from './errors.js';
import { AppParserPool } from './inventory/appParserPool.js';
import { loadBuild } from './inventory/savedInventory.js';

export interface TimelineRunOptions extends Omit<JudgeOptions, 'claims'> {
  /** Keep the builds in the order given instead of ordering them by build date. */
  keepOrder?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /** Progress per build: `done` builds read of `total`. */
  onProgress?: ((progress: Progress) => void) | undefined;
  parallel?: boolean | undefined;
}

/** A timeline follows at least this many builds. */
export const MIN_TIMELINE_BUILDS = 2;

/**
 * Reads each build (a package, or a saved inventory) one after the other, keeping only what the
 * verdicts read, and makes the timeline: ordered by `ro.build.date.utc` unless `keepOrder`. A build
 * without a build date cannot be placed: that is an InputError naming it.
 */
export async function timelineOfBuilds(paths: readonly string[], options: TimelineRunOptions = {}): Promise<TimelineResult> {
  const report = options.onProgress ?? (() => {});
  const pool = options.parallel === false ? null : new AppParserPool();
  const inputs: { input: TimelineInput; given: number }[] = [];
  try {
    for (const [index, path] of paths.entries()) {
      throwIfAborted(options.signal);
      report({ stage: 'reading', done: index, total: paths.length });
      const { inventory } = await loadBuild(path, { signal: options.signal, pool });
      // Files and texts are the bulk of an inventory and a timeline reads neither.
      const { package: info, apps, properties, settings, permissionGrants, flags, problems } = inventory;
      inputs.push({ input: { package: info, apps, properties, settings, permissionGrants, flags, problems }, given: index });
    }
  } finally {
    await pool?.close();
  }
  report({ stage: 'diffing' });
  if (!options.keepOrder) {
    const undated = inputs.find(({ input }) => buildTimeOf(input) === null);
    if (undated !== undefined) {
      throw new InputError(`no build date (none of ${BUILD_DATE_PROPERTIES.join(', ')}), so the builds cannot be put in order`, {
        file: undated.input.package.file,
        format: 'timeline',
        expected: 'a build date in every build, or --keep-order to keep the order given',
      });
    }
    inputs.sort((a, b) => (buildTimeOf(a.input) ?? 0) - (buildTimeOf(b.input) ?? 0) || a.given - b.given);
  }
  const result = buildTimeline(
    inputs.map(({ input }) => input),
    { features: options.features, keyClaims: options.keyClaims, ruleFiles: options.ruleFiles, order: options.keepOrder ? 'as-given' : 'build-date' },
  );
  report({ stage: 'done' });
  return result;
}
