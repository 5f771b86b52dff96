import type { ClaimVerdict, FeatureChange, FeatureState } from '../../../shared/verdict.js';

/** The words for a state, short enough for "old → new". */
export const STATE_LABELS: Readonly<Record<FeatureState, string>> = {
  'default-on': 'On by default',
  'opt-in': 'Opt-in',
  absent: 'Not found',
  unknown: 'Cannot tell',
};

/** What each state means, for a tooltip or a reader who wants the long form. */
export const STATE_EXPLANATIONS: Readonly<Record<FeatureState, string>> = {
  'default-on': 'On unless the user turns it off',
  'opt-in': 'Off until the user turns it on',
  absent: 'Nothing for it was found in this build',
  unknown: 'The firmware alone does not decide it',
};

/** How a badge looks: `good` and `bad` only add colour to what the icon and words already say. */
export type Tone = 'good' | 'bad' | 'neutral' | 'unsure';

export interface Badge {
  icon: string;
  text: string;
  tone: Tone;
}

export const CHANGE_BADGES: Readonly<Record<FeatureChange, Badge>> = {
  'now-opt-in': { icon: '✓', text: 'Now opt-in', tone: 'good' },
  'now-default-on': { icon: '✗', text: 'Now on by default (regression)', tone: 'bad' },
  unchanged: { icon: '=', text: 'Unchanged', tone: 'neutral' },
  removed: { icon: '−', text: 'Removed', tone: 'neutral' },
  added: { icon: '+', text: 'Added', tone: 'neutral' },
  unknown: { icon: '?', text: 'Cannot tell', tone: 'unsure' },
};

export const CLAIM_BADGES: Readonly<Record<ClaimVerdict, Badge>> = {
  confirmed: { icon: '✓', text: 'Confirmed', tone: 'good' },
  contradicted: { icon: '✗', text: 'Contradicted', tone: 'bad' },
  'cannot tell': { icon: '?', text: 'Cannot tell', tone: 'unsure' },
};

/** A claim badge for a verdict this viewer does not know (a newer report) says so rather than guessing. */
export function claimBadge(verdict: string): Badge {
  return Object.hasOwn(CLAIM_BADGES, verdict) ? CLAIM_BADGES[verdict as ClaimVerdict] : { icon: '?', text: verdict, tone: 'unsure' };
}

export function changeBadge(change: string): Badge {
  return Object.hasOwn(CHANGE_BADGES, change) ? CHANGE_BADGES[change as FeatureChange] : { icon: '?', text: change, tone: 'unsure' };
}

export function stateLabel(state: string): string {
  return Object.hasOwn(STATE_LABELS, state) ? STATE_LABELS[state as FeatureState] : state;
}

export function stateExplanation(state: string): string {
  return Object.hasOwn(STATE_EXPLANATIONS, state) ? STATE_EXPLANATIONS[state as FeatureState] : '';
}

/** Changes that answer the question come first: regressions, then fixes, then everything else. */
const CHANGE_ORDER: readonly FeatureChange[] = ['now-default-on', 'now-opt-in', 'added', 'removed', 'unknown', 'unchanged'];

export function changeRank(change: string): number {
  const index = CHANGE_ORDER.indexOf(change as FeatureChange);
  return index < 0 ? CHANGE_ORDER.length : index;
}

/** `path:line` as a reviewer would type it into a viewer; the line only when there is one. */
export function pathWithLine(path: string, line: number | undefined): string {
  return line === undefined ? path : `${path}:${line}`;
}

/** `2 in the old build, 1 in the new`: how much evidence each side has. */
export function countSides(old: number, current: number): string {
  const items = (count: number) => `${count.toLocaleString('en-US')} ${count === 1 ? 'item' : 'items'}`;
  return `${items(old)} in the old build, ${items(current)} in the new`;
}
