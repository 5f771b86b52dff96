import type { ApiError, CompareOutcome, PickedPackage, Side } from '../../../shared/api.js';
import type { ComparisonResult, Progress } from '../../../shared/model.js';

export type Picks = Record<Side, PickedPackage | null>;

/** Shown on the start screen: a failed comparison, or a drop that gave no usable path. */
export interface Notice {
  title: string;
  message: string;
  nextStep: string;
}

export type LiveState =
  | { screen: 'start'; picks: Picks; notice: Notice | null }
  | {
      screen: 'comparing';
      run: number;
      picks: Picks;
      progress: ProgressView;
      startedAt: number;
      cancelling: boolean;
    }
  | { screen: 'report'; picks: Picks; result: ComparisonResult };

/** The latest report, plus the latest one per side: both packages are read at the same time. */
export interface ProgressView {
  latest: Progress | null;
  bySide: Partial<Record<Side, Progress>>;
}

export type LiveAction =
  | { type: 'picked'; side: Side; pick: PickedPackage }
  | { type: 'pickFailed'; notice: Notice }
  | { type: 'compareStarted'; run: number; startedAt: number }
  | { type: 'progress'; progress: Progress }
  | { type: 'cancelRequested' }
  /** `run` identifies the compare() call, so a late answer to an abandoned run is ignored. */
  | { type: 'compareFinished'; run: number; outcome: CompareOutcome }
  | { type: 'compareCrashed'; run: number; message: string }
  | { type: 'newComparison' };

export const INITIAL_STATE: LiveState = { screen: 'start', picks: { old: null, new: null }, notice: null };

export function canCompare(picks: Picks): boolean {
  return picks.old !== null && picks.new !== null;
}

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  switch (action.type) {
    case 'picked':
      if (state.screen !== 'start') return state;
      return { screen: 'start', picks: { ...state.picks, [action.side]: action.pick }, notice: null };
    case 'pickFailed':
      if (state.screen !== 'start') return state;
      return { ...state, notice: action.notice };
    case 'compareStarted':
      if (state.screen !== 'start' || !canCompare(state.picks)) return state;
      return {
        screen: 'comparing',
        run: action.run,
        picks: state.picks,
        progress: { latest: null, bySide: {} },
        startedAt: action.startedAt,
        cancelling: false,
      };
    case 'progress':
      if (state.screen !== 'comparing' || state.cancelling) return state;
      return { ...state, progress: withProgress(state.progress, action.progress) };
    case 'cancelRequested':
      if (state.screen !== 'comparing') return state;
      return { ...state, cancelling: true };
    case 'compareFinished':
      if (state.screen !== 'comparing' || state.run !== action.run) return state;
      return finish(state, action.outcome);
    case 'compareCrashed':
      if (state.screen !== 'comparing' || state.run !== action.run) return state;
      return { screen: 'start', picks: state.picks, notice: crashNotice(action.message) };
    case 'newComparison':
      return { screen: 'start', picks: state.picks, notice: null };
  }
}

function withProgress(view: ProgressView, progress: Progress): ProgressView {
  const bySide = progress.side === undefined ? view.bySide : { ...view.bySide, [progress.side]: progress };
  return { latest: progress, bySide };
}

/** A cancelled run goes back quietly, even when its result raced the cancel: the user asked to stop. */
function finish(state: Extract<LiveState, { screen: 'comparing' }>, outcome: CompareOutcome): LiveState {
  if (state.cancelling || (!outcome.ok && outcome.error.kind === 'cancelled')) {
    return { screen: 'start', picks: state.picks, notice: null };
  }
  if (outcome.ok) return { screen: 'report', picks: state.picks, result: outcome.result };
  return { screen: 'start', picks: state.picks, notice: errorNotice(outcome.error) };
}

const NEXT_STEPS: Record<Exclude<ApiError['kind'], 'cancelled'>, string> = {
  input:
    'Check that each package is a complete Android OTA or ROM zip, or a folder unpacked from one. ' +
    'If it was downloaded, download it again; then choose it again and compare.',
  usage: 'Choose both packages again, then press Compare.',
  internal: 'Try again. If it happens again, this is a fault in OTA Lens: please report it with the message above.',
};

export function errorNotice(error: ApiError): Notice {
  const nextStep = error.kind === 'cancelled' ? NEXT_STEPS.usage : NEXT_STEPS[error.kind];
  return { title: 'These packages could not be compared', message: error.message, nextStep };
}

function crashNotice(message: string): Notice {
  return { title: 'The comparison stopped unexpectedly', message, nextStep: NEXT_STEPS.internal };
}

export const NO_PATH_NOTICE: Notice = {
  title: 'This file cannot be opened by dropping it',
  message: 'The dropped item has no location on disk that OTA Lens can read (it may come from another app or an archive).',
  nextStep: 'Save it to a folder first, or use "Open file…" to choose it.',
};
