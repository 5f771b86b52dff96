/**
 * A feature (and any claimed key) across many builds: its state in each, where it changed, and one
 * sentence a journalist can quote ("opt-in since build 3 (4.7.11); back to on by default in build
 * 5 (4.7.18)"). Pure logic over the builds' inventories; electron/engine/timeline.ts loads them.
 */
import type { FeatureDefinition } from './featureRules.js';
import { FEATURES } from './features.js';
import type { PackageInventory } from './inventory.js';
import { checkKeyClaim, keyFacts, type KeyClaim } from './keyClaims.js';
import { SCHEMA_VERSION, type PackageSide, type Problem } from './model.js';
import type { ClaimVerdict, Evidence, FeatureChange, FeatureState } from './verdict.js';
import { changeOf, evaluateFeature, type InventoryView } from './verdicts.js';

/** Build-date properties, in the order they are trusted. */
export const BUILD_DATE_PROPERTIES = ['ro.build.date.utc', 'ro.system.build.date.utc', 'ro.vendor.build.date.utc'] as const;

/** One build of a timeline: its package facts and when it was built. */
export interface TimelineBuild extends PackageSide {
  /** A short name for sentences: `ro.build.version.incremental`, else the file name. */
  label: string;
  /** Seconds since 1970 (UTC) from `ro.build.date.utc`; null when the build does not say. */
  builtAt: number | null;
  /** `ro.build.date` as written, e.g. `Fri Jul 11 10:12:03 CST 2014`. */
  buildDate: string | null;
}

/** A feature's (or key's) state in one build, with the evidence for it. */
export interface TimelineCell {
  state: FeatureState;
  evidence: Evidence[];
}

/** Where a state changed: from build `build - 1` to build `build` (0-based indices). */
export interface TimelineStep {
  build: number;
  from: FeatureState;
  to: FeatureState;
  change: FeatureChange;
}

export interface FeatureTimeline {
  id: string;
  title: string;
  whyItMatters: string;
  /** One cell per build, in the timeline's order. */
  cells: TimelineCell[];
  steps: TimelineStep[];
  /** One sentence: "Mi Cloud Messaging: on by default in builds 1–2 (…); opt-in since build 3 (…)." */
  summary: string;
}

/** A claimed key in one build: the claim's verdict there and the values found. */
export interface KeyTimelineCell {
  verdict: ClaimVerdict;
  found: (string | null)[];
  evidence: Evidence[];
}

/** Where a key's value or the claim's verdict changed. */
export interface KeyTimelineStep {
  build: number;
  from: (string | null)[];
  to: (string | null)[];
}

export interface KeyTimeline {
  /** The claim as written, e.g. `prop:persist.sys.usage_stats=0`. */
  text: string;
  claim: KeyClaim;
  cells: KeyTimelineCell[];
  steps: KeyTimelineStep[];
  summary: string;
}

/** `otalens timeline --json`: features and claimed keys across builds. */
export interface TimelineResult {
  schemaVersion: typeof SCHEMA_VERSION;
  kind: 'timeline';
  /** `build-date`: ordered by `ro.build.date.utc`; `as-given`: in the order given (`--keep-order`). */
  order: 'build-date' | 'as-given';
  builds: TimelineBuild[];
  features: FeatureTimeline[];
  keys: KeyTimeline[];
  /** Base names of the feature rule files applied over the built-in knowledge base; absent when none. */
  ruleFiles?: string[];
  /** What could not be read in each build (same order as `builds`). */
  problems: Problem[][];
}

export interface TimelineOptions {
  features?: readonly FeatureDefinition[] | undefined;
  keyClaims?: readonly KeyClaim[] | undefined;
  ruleFiles?: readonly string[] | undefined;
  order: TimelineResult['order'];
}

/** What a timeline reads from one build: its package facts and the parts the verdicts read. */
export type TimelineInput = Pick<PackageInventory, 'package' | 'problems'> & InventoryView;

function propertyValue(input: InventoryView, name: string): string | null {
  return input.properties.find((property) => property.name === name)?.value ?? null;
}

/** When a build was made, from its properties: seconds since 1970, or null. */
export function buildTimeOf(input: InventoryView): number | null {
  for (const name of BUILD_DATE_PROPERTIES) {
    const value = Number.parseInt(propertyValue(input, name) ?? '', 10);
    if (Number.isSafeInteger(value) && value > 0) return value;
  }
  return null;
}

export function timelineBuild(input: TimelineInput): TimelineBuild {
  return {
    ...input.package,
    label: propertyValue(input, 'ro.build.version.incremental') ?? input.package.file,
    builtAt: buildTimeOf(input),
    buildDate: propertyValue(input, 'ro.build.date'),
  };
}

const TIMELINE_WORDS: Readonly<Record<FeatureState, string>> = {
  'default-on': 'on by default',
  'opt-in': 'opt-in',
  absent: 'not present',
  unknown: 'undecidable from the firmware',
};

/** `build 3 (4.7.11)`, or `builds 2–3 (4.7.11 to 4.7.12)`. */
export function buildRange(builds: readonly TimelineBuild[], first: number, last: number): string {
  const label = (index: number) => builds[index]?.label ?? String(index + 1);
  return first === last ? `build ${first + 1} (${label(first)})` : `builds ${first + 1}–${last + 1} (${label(first)} to ${label(last)})`;
}

/** Runs of equal values: [start, end, value] with inclusive indices. */
function runs<T>(values: readonly T[], same: (a: T, b: T) => boolean): [number, number, T][] {
  const result: [number, number, T][] = [];
  values.forEach((value, index) => {
    const last = result.at(-1);
    if (last !== undefined && same(last[2], value)) last[1] = index;
    else result.push([index, index, value]);
  });
  return result;
}

/**
 * The sentence for one feature across builds: the first state with its builds, then each change
 * ("opt-in since build 3 (…)", or "back to on by default in build 5 (…)" for a state seen before).
 */
export function timelineSentence(title: string, states: readonly FeatureState[], builds: readonly TimelineBuild[]): string {
  const segments = runs(states, (a, b) => a === b);
  const [first, ...rest] = segments;
  if (first === undefined) return `${title}: no builds.`;
  if (rest.length === 0) {
    if (builds.length === 1) return `${title} is ${TIMELINE_WORDS[first[2]]} in the one build.`;
    return first[2] === 'absent' ? `${title} is in none of the ${builds.length} builds.` : `${title} is ${TIMELINE_WORDS[first[2]]} in all ${builds.length} builds.`;
  }
  const seen = new Set<FeatureState>([first[2]]);
  const parts = [`${TIMELINE_WORDS[first[2]]} in ${buildRange(builds, first[0], first[1])}`];
  for (const [start, , state] of rest) {
    parts.push(seen.has(state) ? `back to ${TIMELINE_WORDS[state]} in ${buildRange(builds, start, start)}` : `${TIMELINE_WORDS[state]} since ${buildRange(builds, start, start)}`);
    seen.add(state);
  }
  return `${title}: ${parts.join('; ')}.`;
}

function featureTimeline(feature: FeatureDefinition, inputs: readonly TimelineInput[], builds: readonly TimelineBuild[]): FeatureTimeline {
  const cells = inputs.map((input) => evaluateFeature(feature, input));
  const steps: TimelineStep[] = [];
  cells.forEach((cell, index) => {
    const previous = cells[index - 1];
    if (previous !== undefined && previous.state !== cell.state) steps.push({ build: index, from: previous.state, to: cell.state, change: changeOf(previous.state, cell.state) });
  });
  return { id: feature.id, title: feature.title, whyItMatters: feature.whyItMatters, cells, steps, summary: timelineSentence(feature.title, cells.map((cell) => cell.state), builds) };
}

const sameValues = (a: readonly (string | null)[], b: readonly (string | null)[]): boolean => a.length === b.length && a.every((value, index) => value === b[index]);

function valuesText(values: readonly (string | null)[]): string {
  if (values.length === 0) return 'not set';
  return values.map((value) => (value === null ? 'unresolved' : value === '' ? '(empty)' : value)).join(' / ');
}

function keyTimeline(claim: KeyClaim, inputs: readonly TimelineInput[], builds: readonly TimelineBuild[]): KeyTimeline {
  const checks = inputs.map((input) => checkKeyClaim(claim, keyFacts(input)));
  const cells = checks.map((check) => ({ verdict: check.verdict, found: check.found, evidence: check.evidence }));
  const steps: KeyTimelineStep[] = [];
  cells.forEach((cell, index) => {
    const previous = cells[index - 1];
    if (previous !== undefined && !sameValues(previous.found, cell.found)) steps.push({ build: index, from: previous.found, to: cell.found });
  });
  const text = checks[0]?.text ?? '';
  const segments = runs(cells, (a, b) => sameValues(a.found, b.found) && a.verdict === b.verdict);
  const parts = segments.map(([start, end, cell]) => `${valuesText(cell.found)} in ${buildRange(builds, start, end)} (${cell.verdict})`);
  return { text, claim, cells, steps, summary: `${text}: ${parts.join('; ')}.` };
}

/** The timeline of builds already in order. */
export function buildTimeline(inputs: readonly TimelineInput[], options: TimelineOptions): TimelineResult {
  const builds = inputs.map(timelineBuild);
  const result: TimelineResult = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'timeline',
    order: options.order,
    builds,
    features: (options.features ?? FEATURES).map((feature) => featureTimeline(feature, inputs, builds)),
    keys: (options.keyClaims ?? []).map((claim) => keyTimeline(claim, inputs, builds)),
    problems: inputs.map((input) => input.problems),
  };
  if (options.ruleFiles !== undefined && options.ruleFiles.length > 0) result.ruleFiles = [...options.ruleFiles];
  return result;
}
