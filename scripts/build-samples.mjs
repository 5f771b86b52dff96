// Builds the sample pair in samples/: the seed scenario ("resource-flip" of
// test/fixtures/scenarios) as two file-based OTA zips, the kind 2014 MIUI builds shipped as.
//
//   sample-old.zip  MIUI-like 4.8.1: "Mi Cloud Messaging" (com.android.mms) on by default through
//                   @bool/def_mx_enabled → @bool/def_mx_base → true, persist.sys.usage_stats=1,
//                   com.miui.weather2 present
//   sample-new.zip  4.8.22: the same preference off by default (the resource chain ends in false),
//                   persist.sys.usage_stats=0 (and MIUI's settings overlay turns
//                   def_usage_stats_upload off), com.android.calendar gains READ_CONTACTS, Weather
//                   removed, a spam-report preference turned off, new build properties
//
// Real APKs (aapt against a tiny framework-res, apksigner with the test keystore), small and
// synthetic: not vendor firmware. Byte-for-byte reproducible, and byte-identical to
// test/fixtures/scenarios/file-ota/resource-{on-4.8.1,off-4.8.22}.zip.
//
//   node scripts/build-samples.mjs [--out DIR]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageBuild, ScenarioTrees } from './fixtures/lib/scenarioBuilder.mjs';
import { SCENARIOS } from './fixtures/lib/scenarioDefinitions.mjs';

const SEED = SCENARIOS.find((scenario) => scenario.id === 'resource-flip');

const { values } = parseArgs({ options: { out: { type: 'string', default: 'samples' } } });
const outDir = resolve(values.out);
mkdirSync(outDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'otalens-samples-'));
try {
  const trees = new ScenarioTrees(work);
  for (const side of ['old', 'new']) {
    const path = join(outDir, `sample-${side}.zip`);
    packageBuild(trees, 'file-ota', SEED[side], path);
    console.log(`wrote ${path} (${SEED[side]})`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
