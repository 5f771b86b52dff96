import type { Side } from '../../../shared/api.js';
import type { Progress, ProgressStage } from '../../../shared/model.js';
import { countOf, formatMegabytes } from '../text/format.js';

/** The stages a user sees, in order; `done` is not a step but the end of the last one. */
export const VISIBLE_STAGES = ['opening', 'reading', 'diffing'] as const satisfies readonly ProgressStage[];
export type VisibleStage = (typeof VISIBLE_STAGES)[number];

export const STAGE_LABELS: Record<VisibleStage, string> = {
  opening: 'Opening packages',
  reading: 'Reading files',
  diffing: 'Comparing',
};

export type StepStatus = 'done' | 'current' | 'waiting';

export interface StepView {
  stage: VisibleStage;
  label: string;
  status: StepStatus;
  /** Counts for the current step, one line per build, e.g. `New build: 120 of 340 files, 35.2 MB hashed, 3 of 12 apps read`. */
  details: string[];
}

const SIDES: readonly Side[] = ['old', 'new'];

/**
 * What the progress list shows, given the latest report (null before the first arrives) and the
 * latest report of each side, since both builds are read at once.
 */
export function describeSteps(latest: Progress | null, bySide: Partial<Record<Side, Progress>> = {}): StepView[] {
  const currentIndex = latest === null ? 0 : stageIndex(latest.stage);
  return VISIBLE_STAGES.map((stage, index) => {
    const status: StepStatus = index < currentIndex ? 'done' : index === currentIndex ? 'current' : 'waiting';
    return { stage, label: STAGE_LABELS[stage], status, details: status === 'current' ? describeDetails(stage, latest, bySide) : [] };
  });
}

function describeDetails(stage: VisibleStage, latest: Progress | null, bySide: Partial<Record<Side, Progress>>): string[] {
  const sameStage = SIDES.flatMap((side) => {
    const progress = bySide[side];
    return progress !== undefined && progress.stage === stage ? [progress] : [];
  });
  const reports = sameStage.length > 0 ? sameStage : latest === null ? [] : [latest];
  return reports.flatMap((progress) => {
    const detail = describeDetail(progress);
    return detail === null ? [] : [detail];
  });
}

function stageIndex(stage: ProgressStage): number {
  return stage === 'done' ? VISIBLE_STAGES.length : VISIBLE_STAGES.indexOf(stage);
}

function describeDetail(progress: Progress): string | null {
  const parts: string[] = [];
  if (progress.done !== undefined && progress.total !== undefined) {
    parts.push(`${progress.done.toLocaleString('en-US')} of ${countOf(progress.total, 'file')}`);
  } else if (progress.done !== undefined) {
    parts.push(progress.done === 0 ? 'listing files' : `${countOf(progress.done, 'file')} read`);
  }
  if (progress.bytes !== undefined) parts.push(`${formatMegabytes(progress.bytes)} hashed`);
  if (progress.appsDone !== undefined && progress.appsTotal !== undefined && progress.appsTotal > 0) {
    parts.push(`${progress.appsDone.toLocaleString('en-US')} of ${countOf(progress.appsTotal, 'app')} read`);
  }
  const counts = parts.join(', ');
  const side = progress.side === undefined ? '' : `${progress.side === 'old' ? 'Old' : 'New'} build`;
  if (side && counts) return `${side}: ${counts}`;
  return side || counts || null;
}

/** Whole seconds since the comparison started: `0 s`, `75 s`. */
export function formatElapsed(milliseconds: number): string {
  return `${Math.max(0, Math.floor(milliseconds / 1000))} s`;
}
