import { describe, expect, it } from 'vitest';
import type { CompareOutcome, PickedPackage } from '../../shared/api.js';
import { INITIAL_STATE, liveReducer, NO_PATH_NOTICE, type LiveAction, type LiveState } from '../../renderer/src/live/liveState.js';
import { handmadeResult } from '../e2e/handmadeResult.js';

const OLD: PickedPackage = { path: '/builds/old.zip', name: 'old.zip' };
const NEW: PickedPackage = { path: '/builds/new.zip', name: 'new.zip' };

function run(...actions: LiveAction[]): LiveState {
  return actions.reduce(liveReducer, INITIAL_STATE);
}

const pickBoth: LiveAction[] = [
  { type: 'picked', side: 'old', pick: OLD },
  { type: 'picked', side: 'new', pick: NEW },
];
const start: LiveAction = { type: 'compareStarted', run: 1, startedAt: 1000 };
const succeeded: CompareOutcome = { ok: true, result: handmadeResult() };
const cancelled: CompareOutcome = { ok: false, error: { kind: 'cancelled', message: 'Comparison cancelled.' } };

describe('liveReducer', () => {
  it('does not start a comparison until both packages are chosen', () => {
    expect(run({ type: 'picked', side: 'old', pick: OLD }, start).screen).toBe('start');
    expect(run(...pickBoth, start).screen).toBe('comparing');
  });

  it('shows the result of a finished comparison', () => {
    const state = run(...pickBoth, start, { type: 'compareFinished', run: 1, outcome: succeeded });
    expect(state).toEqual({ screen: 'report', picks: { old: OLD, new: NEW }, result: handmadeResult() });
  });

  it('keeps the latest progress while comparing', () => {
    const oldProgress = { stage: 'reading', side: 'old', done: 3, total: 9 } as const;
    const newProgress = { stage: 'reading', side: 'new', done: 1, total: 4 } as const;
    const state = run(...pickBoth, start, { type: 'progress', progress: oldProgress }, { type: 'progress', progress: newProgress });
    expect(state.screen === 'comparing' && state.progress).toEqual({
      latest: newProgress,
      bySide: { old: oldProgress, new: newProgress },
    });
  });

  it('returns quietly to the start screen, keeping the choices, when cancelled', () => {
    const state = run(...pickBoth, start, { type: 'cancelRequested' }, { type: 'compareFinished', run: 1, outcome: cancelled });
    expect(state).toEqual({ screen: 'start', picks: { old: OLD, new: NEW }, notice: null });
  });

  it('honours a cancel even when the result arrives first', () => {
    const state = run(...pickBoth, start, { type: 'cancelRequested' }, { type: 'compareFinished', run: 1, outcome: succeeded });
    expect(state.screen).toBe('start');
  });

  it('turns an input error into a notice with the message and a next step', () => {
    const outcome: CompareOutcome = { ok: false, error: { kind: 'input', message: 'old.zip: zip: not a zip file' } };
    const state = run(...pickBoth, start, { type: 'compareFinished', run: 1, outcome });
    expect(state.screen).toBe('start');
    if (state.screen !== 'start' || state.notice === null) throw new Error('expected a notice');
    expect(state.notice.message).toBe('old.zip: zip: not a zip file');
    expect(state.notice.nextStep).toMatch(/download it again/);
  });

  it('ignores the answer of an earlier run', () => {
    const state = run(...pickBoth, start, { type: 'compareFinished', run: 0, outcome: succeeded });
    expect(state.screen).toBe('comparing');
  });

  it('explains a dropped file without a path, without losing the choices', () => {
    const state = run(...pickBoth, { type: 'pickFailed', notice: NO_PATH_NOTICE });
    expect(state).toEqual({ screen: 'start', picks: { old: OLD, new: NEW }, notice: NO_PATH_NOTICE });
  });
});
