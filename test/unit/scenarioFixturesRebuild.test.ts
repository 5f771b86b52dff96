// The scenario fixtures are reproducible: re-running the script gives the same bytes, and the
// bundled sample pair is the seed scenario's file OTAs byte for byte.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SAMPLE_NEW, SAMPLE_OLD, sha256 } from '../support/oracles.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'scenarios');
const SCRIPT = join(REPO_ROOT, 'scripts', 'fixtures', 'build-scenarios.mjs');

interface Scenario { id: string; old: string; new: string; packages: Record<string, { old: string; new: string }> }
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const scenariosIn = (dir: string) => (readJson(join(dir, 'scenarios.json')) as { scenarios: Scenario[] }).scenarios;
const buildsIn = (dir: string) => (readJson(join(dir, 'builds.json')) as { builds: Record<string, unknown> }).builds;
const pick = <T>(from: Record<string, T>, keysOf: Record<string, unknown>): Record<string, T> => Object.fromEntries(Object.keys(keysOf).map((key) => [key, from[key] as T]));

describe('build-scenarios.mjs', () => {
  const rebuilt = mkdtempSync(join(tmpdir(), 'otalens-scenarios-rebuild-'));
  afterAll(() => rmSync(rebuilt, { recursive: true, force: true }));

  it('rebuilds the "unchanged" scenario in all four formats byte for byte, with the same ground truth', () => {
    execFileSync('node', [SCRIPT, '--out', rebuilt, '--only', 'unchanged'], { stdio: 'pipe' });
    const [scenario] = scenariosIn(rebuilt);
    expect(scenario?.id).toBe('unchanged');
    const files = Object.values(scenario?.packages ?? {}).flatMap((pair) => [pair.old, pair.new]).sort();
    expect(files).toHaveLength(8);
    expect(readdirSync(rebuilt).sort()).toEqual(['ab-erofs', 'ab-ext4', 'block-ota', 'builds.json', 'file-ota', 'scenarios.json']);
    for (const file of files) expect(sha256(readFileSync(join(rebuilt, file))), file).toBe(sha256(readFileSync(join(FIXTURES, file))));
    expect(scenario).toEqual(scenariosIn(FIXTURES).find((candidate) => candidate.id === 'unchanged'));
    const committedBuilds = buildsIn(FIXTURES);
    // A build another scenario also uses (literal-on-4.7.4 in the OPPO-like layout) has more packages
    // and layouts committed than this one scenario rebuilds: those rebuilt must be the same.
    for (const [id, build] of Object.entries(buildsIn(rebuilt)) as [string, { packages: Record<string, string>; layouts: Record<string, unknown> }][]) {
      const committed = committedBuilds[id] as typeof build;
      expect(build, id).toEqual({ ...committed, packages: pick(committed.packages, build.packages), layouts: pick(committed.layouts, build.layouts) });
    }
  });

  it('made the bundled samples: they are the seed scenario (resource-flip) as file OTAs', () => {
    const seed = scenariosIn(FIXTURES).find((scenario) => scenario.id === 'resource-flip')?.packages['file-ota'];
    if (seed === undefined) throw new Error('no resource-flip file OTA');
    expect(sha256(readFileSync(SAMPLE_OLD))).toBe(sha256(readFileSync(join(FIXTURES, seed.old))));
    expect(sha256(readFileSync(SAMPLE_NEW))).toBe(sha256(readFileSync(join(FIXTURES, seed.new))));
  });
});
