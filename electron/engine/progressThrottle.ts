import type { Progress } from '../../shared/model.js';

interface Lane {
  lastSentAt: number;
  held: Progress | null;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * Limits progress messages to one per interval for each side, without losing the latest state:
 * a new stage (or a side's first update) goes out at once; updates within the interval are held and
 * the last one is sent when the interval ends, so the display never freezes on a stale count.
 */
export function throttleProgress(send: (progress: Progress) => void, intervalMs: number): (progress: Progress) => void {
  const lanes = new Map<string, Lane>();
  let stage: Progress['stage'] | null = null;

  const flush = (lane: Lane): void => {
    if (lane.timer !== null) clearTimeout(lane.timer);
    lane.timer = null;
    if (lane.held === null) return;
    const progress = lane.held;
    lane.held = null;
    lane.lastSentAt = performance.now();
    send(progress);
  };

  return (progress) => {
    if (progress.stage !== stage) {
      for (const lane of lanes.values()) flush(lane);
      lanes.clear();
      stage = progress.stage;
    }
    const key = progress.side ?? '';
    const lane = lanes.get(key);
    if (lane === undefined) {
      lanes.set(key, { lastSentAt: performance.now(), held: null, timer: null });
      send(progress);
      return;
    }
    lane.held = progress;
    const waited = performance.now() - lane.lastSentAt;
    if (waited >= intervalMs) flush(lane);
    else lane.timer ??= setTimeout(() => flush(lane), intervalMs - waited);
  };
}
