// A timeline over four builds of the scenario fixtures, given out of order, where Mi Cloud Messaging
// flips to opt-in and back and usage statistics flip off and back on: the order, the states, the
// steps and the sentence, all from the builds' facts by construction (builds.json).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCanonicalJson } from '../../shared/canonicalJson.js';
import { parseKeyClaim } from '../../shared/keyClaims.js';
import { buildRange, timelineSentence, type TimelineBuild, type TimelineResult } from '../../shared/timeline.js';
import { timelineMarkdown } from '../../shared/timelineSummary.js';
import { buildInventory } from '../../electron/engine/inventory/buildInventory.js';
import { writeSavedInventory } from '../../electron/engine/inventory/savedInventory.js';
import { timelineOfBuilds } from '../../electron/engine/timeline.js';
import { expectInputError } from '../support/inputError.js';
import { REPO_ROOT } from '../support/oracles.js';

const SCENARIOS = join(REPO_ROOT, 'test/fixtures/scenarios');
/** Given in this (wrong) order on purpose. */
const GIVEN = ['literal-on-again-4.7.18', 'implicit-off-4.7.12', 'literal-on-4.7.4', 'literal-off-4.7.11'];

interface Facts {
  apps: { package: string; preferences?: { title: string; defaultValue: string }[] }[];
  properties: { name: string; value: string }[];
}
const { builds } = JSON.parse(readFileSync(join(SCENARIOS, 'builds.json'), 'utf8')) as { builds: Record<string, { layouts: Record<string, { facts: Facts }> }> };
const facts = (id: string): Facts => builds[id]?.layouts['legacy']?.facts as Facts;
const property = (id: string, name: string): string | undefined => facts(id).properties.find((candidate) => candidate.name === name)?.value;
/** The cloud-messaging state by construction: the SMS app's "Mi Cloud Messaging" preference default. */
const cloudState = (id: string): string => {
  const preference = facts(id).apps.find((app) => app.package === 'com.android.mms')?.preferences?.find((candidate) => candidate.title === 'Mi Cloud Messaging');
  return preference === undefined ? 'absent' : preference.defaultValue === 'true' ? 'default-on' : 'opt-in';
};
const packageOf = (id: string) => join(SCENARIOS, 'file-ota', `${id}.zip`);
const temp = mkdtempSync(join(tmpdir(), 'otalens-timeline-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let timeline: TimelineResult;
beforeAll(async () => {
  timeline = await timelineOfBuilds(GIVEN.map(packageOf), { parallel: false, keyClaims: [parseKeyClaim('prop:persist.sys.usage_stats=0')] });
}, 120_000);

describe('timeline of four builds', () => {
  const byDate = [...GIVEN].sort((a, b) => Number(property(a, 'ro.build.date.utc')) - Number(property(b, 'ro.build.date.utc')));

  it('orders the builds by ro.build.date.utc', () => {
    expect(timeline.order).toBe('build-date');
    expect(timeline.builds.map((build) => build.file)).toEqual(byDate.map((id) => `${id}.zip`));
    expect(timeline.builds.map((build) => build.builtAt)).toEqual(byDate.map((id) => Number(property(id, 'ro.build.date.utc'))));
    expect(timeline.builds.map((build) => build.label)).toEqual(byDate.map((id) => property(id, 'ro.build.version.incremental')));
  });

  it('Mi Cloud Messaging: on, opt-in (literal), opt-in (implicit), on again — with the steps where it changed', () => {
    const cloud = timeline.features.find((feature) => feature.id === 'cloud-messaging');
    const states = byDate.map(cloudState);
    expect(states).toEqual(['default-on', 'opt-in', 'opt-in', 'default-on']);
    expect(cloud?.cells.map((cell) => cell.state)).toEqual(states);
    expect(cloud?.steps).toEqual([
      { build: 1, from: 'default-on', to: 'opt-in', change: 'now-opt-in' },
      { build: 3, from: 'opt-in', to: 'default-on', change: 'now-default-on' },
    ]);
    expect(cloud?.summary).toBe(`Mi Cloud Messaging: on by default in build 1 (4.7.4); opt-in since build 2 (4.7.11); back to on by default in build 4 (4.7.18).`);
    for (const [index, cell] of (cloud?.cells ?? []).entries()) {
      expect(cell.evidence.some((evidence) => evidence.path === '/system/priv-app/Mms/Mms.apk!/res/xml/preferences.xml' && evidence.state === states[index])).toBe(true);
    }
  });

  it('usage statistics and the claimed property follow persist.sys.usage_stats build by build', () => {
    const values = byDate.map((id) => property(id, 'persist.sys.usage_stats'));
    expect(values).toEqual(['1', '0', '1', '1']);
    const usage = timeline.features.find((feature) => feature.id === 'usage-statistics');
    expect(usage?.cells.map((cell) => cell.state)).toEqual(values.map((value) => (value === '1' ? 'default-on' : 'opt-in')));
    const [key] = timeline.keys;
    expect(key?.cells.map((cell) => cell.found)).toEqual(values.map((value) => [value]));
    expect(key?.cells.map((cell) => cell.verdict)).toEqual(values.map((value) => (value === '0' ? 'confirmed' : 'contradicted')));
    expect(key?.steps.map((step) => step.build)).toEqual([1, 2]);
    expect(key?.summary).toBe('prop:persist.sys.usage_stats=0: 1 in build 1 (4.7.4) (contradicted); 0 in build 2 (4.7.11) (confirmed); 1 in builds 3–4 (4.7.12 to 4.7.18) (contradicted).');
  });

  it('gives the same JSON from saved inventories (mixed with packages), and keeps the order given when asked', async () => {
    const mixed = await Promise.all(
      GIVEN.map(async (id, index) => {
        if (index % 2 === 1) return packageOf(id);
        const saved = join(temp, `${id}.json.zst`);
        await writeSavedInventory(saved, await buildInventory(packageOf(id), { pool: null }));
        return saved;
      }),
    );
    const fromSaved = await timelineOfBuilds(mixed, { parallel: false, keyClaims: [parseKeyClaim('prop:persist.sys.usage_stats=0')] });
    expect(toCanonicalJson(fromSaved)).toBe(toCanonicalJson(timeline));
    const kept = await timelineOfBuilds(GIVEN.map(packageOf), { parallel: false, keepOrder: true });
    expect(kept.order).toBe('as-given');
    expect(kept.builds.map((build) => build.file)).toEqual(GIVEN.map((id) => `${id}.zip`));
    expect(kept.features.find((feature) => feature.id === 'cloud-messaging')?.cells.map((cell) => cell.state)).toEqual(GIVEN.map(cloudState));
  });

  it('says which build has no build date when it has to order by date', async () => {
    const undated = join(temp, 'undated');
    cpSync(join(REPO_ROOT, 'test/fixtures/aconfig/tree'), undated, { recursive: true });
    writeFileSync(join(undated, 'system/build.prop'), 'ro.build.version.release=15\n');
    const error = await expectInputError(timelineOfBuilds([packageOf('literal-on-4.7.4'), undated], { parallel: false }));
    expect(error.message).toBe('undated: timeline: no build date (none of ro.build.date.utc, ro.system.build.date.utc, ro.vendor.build.date.utc), so the builds cannot be put in order (expected a build date in every build, or --keep-order to keep the order given)');
  });

  it('writes the Markdown table with builds as columns', () => {
    const markdown = timelineMarkdown(timeline);
    expect(markdown).toContain('| | 1: `4.7.4` | 2: `4.7.11` | 3: `4.7.12` | 4: `4.7.18` |');
    expect(markdown).toContain('| Mi Cloud Messaging | on by default | opt-in | opt-in | on by default |');
    expect(markdown).toContain('- Mi Cloud Messaging: on by default in build 1 \\(4\\.7\\.4\\); opt\\-in since build 2 \\(4\\.7\\.11\\); back to on by default in build 4 \\(4\\.7\\.18\\)\\.');
  });
});

describe('timeline sentences', () => {
  const builds = ['1.0', '1.1', '1.2', '1.3', '1.4'].map((label) => ({ label }) as TimelineBuild);

  it('says the journalist\'s sentence: opt-in since build 3, back to on by default in build 5', () => {
    expect(timelineSentence('Lock-screen content', ['default-on', 'default-on', 'opt-in', 'opt-in', 'default-on'], builds)).toBe(
      'Lock-screen content: on by default in builds 1–2 (1.0 to 1.1); opt-in since build 3 (1.2); back to on by default in build 5 (1.4).',
    );
    expect(timelineSentence('X', ['opt-in', 'opt-in'], builds.slice(0, 2))).toBe('X is opt-in in all 2 builds.');
    expect(timelineSentence('X', ['absent', 'absent'], builds.slice(0, 2))).toBe('X is in none of the 2 builds.');
    expect(buildRange(builds, 0, 0)).toBe('build 1 (1.0)');
  });
});
