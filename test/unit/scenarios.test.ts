// Every scenario in every container format gives the verdicts, evidence and changes its ground truth
// says. The ground truth (test/fixtures/scenarios/scenarios.json) is what the generator built, and
// scenarioFixtures.test.ts re-derives it from the packages with aapt, debugfs and fsck.erofs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toCanonicalJson } from '../../shared/canonicalJson.js';
import { PRIVACY_WORDS } from '../../shared/features.js';
import { summariseCode } from '../../shared/codeDiff.js';
import { flagAddress, type FeatureFlag } from '../../shared/flags.js';
import type { ComparisonResult } from '../../shared/model.js';
import { isTrackerCategory, SDKS } from '../../shared/sdks.js';
import { markdownSummary, textSummary } from '../../shared/summary.js';
import type { Evidence, FeatureVerdict } from '../../shared/verdict.js';
import { comparePackages } from '../../electron/engine/compare.js';
import { REPO_ROOT } from '../support/oracles.js';

const SCENARIOS = join(REPO_ROOT, 'test/fixtures/scenarios');

interface PreferenceEvidence {
  path: string;
  package: string;
  key: string;
  type: string;
  title: string;
  defaultValue: string | null;
  defaultSource: 'literal' | 'resource' | 'implicit';
  defaultResource?: string;
}
interface Side {
  state: string;
  evidence: PreferenceEvidence | null;
}
interface Expected {
  fingerprint: { old: string; new: string };
  cloudMessaging: { old: Side; new: Side; change: string };
  apps: {
    added: { package: string; path: string }[];
    removed: { package: string; path: string }[];
    changed: {
      package: string;
      path: { old: string; new: string };
      versionCode?: { old: number; new: number };
      versionName?: { old: string; new: string };
      usesPermissions?: { added: string[]; removed: string[] };
      preferences?: { added: string[]; removed: string[]; defaultChanged: { key: string; old: { defaultValue: string | null; defaultSource: string }; new: { defaultValue: string | null; defaultSource: string } }[] };
      /** SDK ids and hosts added and removed, when both builds' app has code. */
      code?: { sdks: { added: string[]; removed: string[] }; hosts: { added: string[]; removed: string[] } };
    }[];
    unreadable: { old: string[]; new: string[] };
  };
  properties: Record<'added' | 'removed' | 'changed', { name: string; old?: string; new?: string; layer?: { old?: string; new?: string } }[]>;
  settings: Record<'added' | 'removed' | 'changed', { name: string; old?: string; new?: string; source?: { old?: string; new?: string } }[]>;
  permissionGrants: Record<'added' | 'removed', { kind: string; package: string; permission: string; fixed?: boolean; file: string }[]>;
  booleanDefaultFlips: { kind: string; path: string; name: string; old: string; new: string }[];
  files: Record<'added' | 'removed' | 'changed', string[]>;
  signingFindings: { kind: string; package: string; path: string; builds: string; testKeys?: string[] }[];
  security: { setuidAdded: string[]; permissiveAdded: { domain: string; path: string; line: number }[] };
  /** Only for builds with aconfig flags: by address (`package.name`, `namespace/name`). */
  flags?: { added: string[]; removed: string[]; changed: { name: string; old: Record<string, unknown>; new: Record<string, unknown> }[] };
}
interface Scenario {
  id: string;
  story: string;
  packages: Record<string, { old: string; new: string }>;
  expected: Record<string, Expected>;
}

const { scenarios } = JSON.parse(readFileSync(join(SCENARIOS, 'scenarios.json'), 'utf8')) as { scenarios: Scenario[] };

function cloudVerdict(result: ComparisonResult): FeatureVerdict {
  const verdict = result.features.find((feature) => feature.id === 'cloud-messaging');
  if (verdict === undefined) throw new Error('no cloud-messaging verdict');
  return verdict;
}

/** The evidence, the decoded XML line it points at, and what its detail must say. */
function expectEvidence(result: ComparisonResult, side: 'old' | 'new', evidence: Evidence[], expected: PreferenceEvidence): void {
  const found = evidence.find((item) => item.subject === expected.key);
  expect(found, `${side} evidence for ${expected.key}`).toBeDefined();
  const item = found as Evidence;
  expect(item.path).toBe(expected.path);
  expect(item.detail).toContain(`${expected.type} "${expected.key}" titled “${expected.title}” in ${expected.package}`);
  expect(item.detail).toContain(`default ${expected.defaultValue ?? 'none'}`);
  const source = { literal: '(written in the XML)', resource: `(from ${expected.defaultResource})`, implicit: '(no defaultValue' }[expected.defaultSource];
  expect(item.detail).toContain(source);
  const text = result.evidenceFiles[side][item.path];
  expect(text, `${side} evidence file ${item.path}`).toBeDefined();
  const line = (text as string).split('\n')[(item.line ?? 0) - 1] ?? '';
  expect(line).toContain(`<${expected.type}`);
  expect(line).toContain(`"${expected.key}"`);
}

const PRIVACY = new RegExp(PRIVACY_WORDS.join('|'), 'i');

function expectScenario(result: ComparisonResult, expected: Expected): void {
  expect({ old: result.old.fingerprint, new: result.new.fingerprint }).toEqual(expected.fingerprint);

  const cloud = cloudVerdict(result);
  expect({ old: cloud.old.state, new: cloud.new.state, change: cloud.change }).toEqual({
    old: expected.cloudMessaging.old.state,
    new: expected.cloudMessaging.new.state,
    change: expected.cloudMessaging.change,
  });
  for (const side of ['old', 'new'] as const) {
    const truth = expected.cloudMessaging[side].evidence;
    if (truth === null) expect(cloud[side].evidence).toEqual([]);
    else expectEvidence(result, side, cloud[side].evidence, truth);
  }
  expect(cloud.reachNote !== undefined).toBe(cloud.change === 'now-opt-in' || cloud.change === 'now-default-on');

  expect(result.apps.added.map(({ package: name, path }) => ({ package: name, path }))).toEqual(expected.apps.added);
  expect(result.apps.removed.map(({ package: name, path }) => ({ package: name, path }))).toEqual(expected.apps.removed);
  expect(result.apps.changed.map((app) => app.package)).toEqual(expected.apps.changed.map((app) => app.package));
  for (const truth of expected.apps.changed) {
    const app = result.apps.changed.find((candidate) => candidate.package === truth.package);
    expect(app?.path).toEqual(truth.path);
    expect(app?.versionCode).toEqual(truth.versionCode);
    expect(app?.versionName).toEqual(truth.versionName);
    expect(app?.usesPermissions).toEqual(truth.usesPermissions ?? { added: [], removed: [] });
    const preferences = truth.preferences ?? { added: [], removed: [], defaultChanged: [] };
    expect(app?.preferences.added.map((preference) => preference.key)).toEqual(preferences.added);
    expect(app?.preferences.removed.map((preference) => preference.key)).toEqual(preferences.removed);
    expect(
      app?.preferences.changed.map((change) => ({
        key: change.key,
        old: { defaultValue: change.old.defaultValue, defaultSource: change.old.defaultSource },
        new: { defaultValue: change.new.defaultValue, defaultSource: change.new.defaultSource },
      })),
    ).toEqual(preferences.defaultChanged);
    if (truth.code === undefined) expect(app?.code, `${truth.package} has no code change`).toBeUndefined();
    else {
      expect({ added: app?.code?.sdks.added.map((sdk) => sdk.id), removed: app?.code?.sdks.removed.map((sdk) => sdk.id) }).toEqual(truth.code.sdks);
      expect({ added: app?.code?.hosts.added.map((host) => host.host), removed: app?.code?.hosts.removed.map((host) => host.host) }).toEqual(truth.code.hosts);
    }
  }
  expectCodeSummary(result, expected);
  for (const side of ['old', 'new'] as const) {
    const unreadable = result.problems[side].filter((problem) => problem.message.startsWith('app not read')).map((problem) => problem.path);
    expect(unreadable).toEqual(expected.apps.unreadable[side]);
  }

  for (const kind of ['added', 'removed', 'changed'] as const) {
    expect(result.properties[kind].map((change) => ({ name: change.name, old: change.old, new: change.new, oldLayer: change.oldLayer, newLayer: change.newLayer })), `properties.${kind}`).toEqual(
      expected.properties[kind].map((change) => ({ name: change.name, old: change.old ?? null, new: change.new ?? null, oldLayer: change.layer?.old ?? null, newLayer: change.layer?.new ?? null })),
    );
    expect(result.settings[kind].map((change) => ({ name: change.name, old: change.old, new: change.new, oldSource: change.oldSource, newSource: change.newSource })), `settings.${kind}`).toEqual(
      expected.settings[kind].map((change) => ({ name: change.name, old: change.old ?? null, new: change.new ?? null, oldSource: change.source?.old ?? null, newSource: change.source?.new ?? null })),
    );
    expect(result.files[kind].map((change) => change.path), `files.${kind}`).toEqual(expected.files[kind]);
  }
  for (const kind of ['added', 'removed'] as const) {
    expect(result.permissionGrants[kind].map(({ kind: grantKind, package: name, permission, fixed, file }) => ({ kind: grantKind, package: name, permission, fixed, file }))).toEqual(expected.permissionGrants[kind]);
  }

  // Who signs what: test keys, the platform key gained or lost, signer changes; every app verifies.
  expect(result.apps.signingFindings.map(({ kind, package: name, path, builds, testKeys }) => ({ kind, package: name, path, builds, ...(testKeys === undefined ? {} : { testKeys }) }))).toEqual(expected.signingFindings);
  for (const side of ['old', 'new'] as const) expect(result.problems[side].filter((problem) => /do not verify|security risk/.test(problem.message))).toEqual([]);

  // Security: the setuid helpers and permissive domains the new build adds, and the comparison leads with them.
  const serious = (result.security?.findings ?? []).filter((finding) => finding.severity === 'serious');
  expect(serious.filter((finding) => finding.kind === 'setuid-added').map((finding) => finding.subject)).toEqual(expected.security.setuidAdded);
  expect(serious.filter((finding) => finding.kind === 'domain-permissive').map((finding) => ({ domain: finding.subject, path: finding.evidence[0]?.path, line: finding.evidence[0]?.line }))).toEqual(expected.security.permissiveAdded);
  const leading = expected.security.setuidAdded.length + expected.security.permissiveAdded.length;
  expect(serious.slice(0, leading).map((finding) => finding.kind).sort()).toEqual([...expected.security.setuidAdded.map(() => 'setuid-added'), ...expected.security.permissiveAdded.map(() => 'domain-permissive')].sort());
  // Flags that flipped, came or went, as the builds' flag lists say.
  if (expected.flags !== undefined) {
    expect(result.flags.added.map(flagAddress)).toEqual(expected.flags.added);
    expect(result.flags.removed.map(flagAddress)).toEqual(expected.flags.removed);
    const valueOf = (flag: FeatureFlag) => (flag.source === 'device-config' ? { value: flag.value } : { state: flag.state, permission: flag.permission, fixedReadOnly: flag.fixedReadOnly ?? false });
    expect(result.flags.changed.map((change) => ({ name: change.name, old: valueOf(change.old), new: valueOf(change.new) }))).toEqual(expected.flags.changed);
  } else {
    expect(result.flags).toEqual({ added: [], removed: [], changed: [] });
  }

  // Every privacy-sounding flipped default is shown: in a verdict's evidence, or among the others.
  const cited = new Set(result.features.flatMap((feature) => [...feature.old.evidence, ...feature.new.evidence]).map((item) => `${item.subject}`));
  const others = new Set(result.otherDefaultChanges.map((change) => change.name));
  for (const flip of expected.booleanDefaultFlips) {
    if (!PRIVACY.test(flip.name)) continue;
    expect(cited.has(flip.name) || others.has(flip.name), `${flip.kind} ${flip.name} ${flip.old}→${flip.new} is shown`).toBe(true);
  }
}

/**
 * The apps that gained trackers or servers are named in the findings and in the summaries; when no
 * boolean default flipped, no verdict changed either: code facts alone never decide a default.
 */
function expectCodeSummary(result: ComparisonResult, expected: Expected): void {
  const withCode = expected.apps.changed.filter((app) => app.code !== undefined);
  const trackerIds = new Set(SDKS.filter((sdk) => isTrackerCategory(sdk.category)).map((sdk) => sdk.id));
  const gainedTrackers = withCode.filter((app) => app.code?.sdks.added.some((id) => trackerIds.has(id))).map((app) => app.package);
  const gainedServers = withCode.filter((app) => (app.code?.hosts.added.length ?? 0) > 0).map((app) => app.package);
  expect(summariseCode(result.apps.codeFindings).gainedTrackers.map((finding) => finding.package)).toEqual(gainedTrackers);
  expect(summariseCode(result.apps.codeFindings).gainedServers.map((finding) => finding.package)).toEqual(gainedServers);
  if (withCode.length === 0) return;
  const text = textSummary(result);
  const markdown = markdownSummary(result);
  expect(text).toContain(`Gained a tracker: ${gainedTrackers.length} ${gainedTrackers.length === 1 ? 'app' : 'apps'}${gainedTrackers.length > 0 ? ` (${gainedTrackers.join(', ')})` : ''}`);
  for (const app of withCode) {
    for (const host of app.code?.hosts.added ?? []) {
      expect(text).toContain(host);
      expect(markdown).toContain(`server \`${host}\``);
    }
  }
  if (expected.booleanDefaultFlips.length === 0) {
    expect(result.features.filter((feature) => feature.change !== 'unchanged').map((feature) => feature.id)).toEqual([]);
    expect(result.otherDefaultChanges).toEqual([]);
  }
}

describe('scenarios', () => {
  for (const scenario of scenarios) {
    describe(`${scenario.id}: ${scenario.story}`, () => {
      for (const [format, packages] of Object.entries(scenario.packages)) {
        it(format, async () => {
          const expected = scenario.expected[format];
          if (expected === undefined) throw new Error(`no ground truth for ${scenario.id} in ${format}`);
          const result = await comparePackages(join(SCENARIOS, packages.old), join(SCENARIOS, packages.new), { parallel: false });
          expectScenario(result, expected);
        });
      }
    });
  }

  it.each([
    ['resource-flip', 'ab-erofs'],
    ['literal-flip', 'block-ota'],
    ['security-weakened', 'ab-ext4'],
  ] as const)('%s (%s): byte-identical JSON on every run, with files read in worker threads and without, apps parsed in workers and not', async (id, format) => {
    const packages = scenarios.find((candidate) => candidate.id === id)?.packages[format];
    if (packages === undefined) throw new Error(`${id} in ${format} is missing`);
    const run = async (options: { parallel: boolean; readerWorkers?: boolean }): Promise<string> =>
      toCanonicalJson(await comparePackages(join(SCENARIOS, packages.old), join(SCENARIOS, packages.new), options));
    const first = await run({ parallel: true, readerWorkers: true });
    expect(await run({ parallel: true, readerWorkers: true })).toBe(first);
    // These small packages are read on the main thread by default.
    expect(await run({ parallel: true })).toBe(first);
    expect(await run({ parallel: false })).toBe(first);
  });
});
