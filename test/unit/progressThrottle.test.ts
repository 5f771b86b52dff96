import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Progress } from '../../shared/model.js';
import { throttleProgress } from '../../electron/engine/progressThrottle.js';

describe('throttleProgress', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends stage changes at once, holds bursts, and always delivers the latest state per side', () => {
    const sent: Progress[] = [];
    const report = throttleProgress((progress) => sent.push(progress), 50);
    report({ stage: 'opening' });
    report({ stage: 'reading', side: 'old', done: 0, total: 10 });
    report({ stage: 'reading', side: 'new', done: 0, total: 5 });
    for (let done = 1; done <= 10; done++) report({ stage: 'reading', side: 'old', done, total: 10 });
    report({ stage: 'reading', side: 'new', done: 3, total: 5 });
    expect(sent.map((p) => `${p.stage}:${p.side ?? ''}:${p.done ?? ''}`)).toEqual(['opening::', 'reading:old:0', 'reading:new:0']);

    vi.advanceTimersByTime(50);
    expect(sent.slice(3).map((p) => `${p.side}:${p.done}`).sort()).toEqual(['new:3', 'old:10']);

    report({ stage: 'reading', side: 'old', done: 10, total: 10, bytes: 99 });
    report({ stage: 'diffing' });
    expect(sent.slice(-2)).toEqual([{ stage: 'reading', side: 'old', done: 10, total: 10, bytes: 99 }, { stage: 'diffing' }]);
    vi.advanceTimersByTime(200);
    expect(sent.at(-1)).toEqual({ stage: 'diffing' });
  });
});
