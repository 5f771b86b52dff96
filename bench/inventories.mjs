// Saved inventories of the 1,000-app bench build (the pair bench/compare.mjs makes): how large they
// are, how long comparing two of them takes, and a timeline over ten. Not a test: it prints numbers.
// Run after `npm run build`:
//
//   node bench/inventories.mjs [--apps 1000] [--seed 1] [--builds 10] [--runs 1] [--engine DIST_DIR]
//
// Each measurement runs bin/otalens in a fresh process (wall time, CPU time and peak RSS through GNU
// time when installed), so Node's start-up is included. Targets (issue 15, Performance): comparing
// two saved inventories under 1 s; a timeline over 10 saved inventories under 3 s; a saved inventory
// of the 1,000-app build under 5 MB compressed. Compare and timeline read gzip inventories (the
// format the docs recommend); zstd is timed too. The pair is generated into the bench cache once
// (other cached inputs are left alone).
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureComparePair } from './lib/comparePackages.mjs';
import { timedRun } from './lib/timedRun.mjs';

const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    builds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '1' },
    engine: { type: 'string' },
  },
});
const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '..');
const engineDist = resolve(values.engine ?? join(repo, 'dist'));
if (!existsSync(join(engineDist, 'electron/cli/main.js'))) {
  console.error(`no built engine in ${engineDist}: run \`npm run build\` first (or pass --engine DIST_DIR)`);
  process.exit(1);
}
const MB = 1e6;
const TARGETS = { compareSeconds: 1, timelineSeconds: 3, compressedBytes: 5 * MB };
const runs = Math.max(1, Number(values.runs));
const buildCount = Math.max(2, Number(values.builds));

const { dir, info } = await ensureComparePair({ apps: Number(values.apps), seed: Number(values.seed) }, { keepOthers: true });
const work = mkdtempSync(join(tmpdir(), 'otalens-bench-inventories-'));
/** The CLI of the engine measured, as bin/otalens runs it, in a fresh Node process. */
const CLI = `process.exitCode = await (await import(${JSON.stringify(new URL(`file://${join(engineDist, 'electron/cli/main.js')}`).href)})).runCli(process.argv.slice(1));`;
const run = (...args) => timedRun(process.execPath, ['--input-type=module', '-e', CLI, ...args], work);

/** The fastest of `runs` measurements. */
function fastest(measure) {
  let best = null;
  for (let index = 0; index < runs; index++) {
    const result = measure();
    if (best === null || result.seconds < best.seconds) best = result;
  }
  return best;
}

const describe = (result) =>
  `${result.seconds.toFixed(2)} s wall${result.cpuSeconds === null ? '' : `, ${result.cpuSeconds.toFixed(2)} s CPU, peak RSS ${(result.maxRssBytes / MB).toFixed(0)} MB`}`;
const verdict = (ok) => (ok ? 'met' : 'MISSED');

try {
  console.log(`bench pair: ${dir} (${info.params.apps} apps a side)`);
  const saved = {};
  for (const side of ['old', 'new']) {
    const zip = join(dir, `${side}.zip`);
    const written = run('inventory', zip, '--json', '-o', join(work, `${side}.json.zst`));
    run('inventory', zip, '--json', '-o', join(work, `${side}.json.gz`));
    run('inventory', zip, '--json', '-o', join(work, `${side}.json`));
    saved[side] = join(work, `${side}.json.gz`);
    const size = (suffix) => statSync(join(work, `${side}.${suffix}`)).size;
    console.log(`inventory ${side}.zip (${(statSync(zip).size / MB).toFixed(1)} MB) → saved in ${describe(written)}`);
    console.log(`  JSON ${(size('json') / MB).toFixed(2)} MB, gzip ${(size('json.gz') / MB).toFixed(2)} MB, zstd ${(size('json.zst') / MB).toFixed(2)} MB  (target: under 5 MB compressed: ${verdict(Math.max(size('json.gz'), size('json.zst')) < TARGETS.compressedBytes)})`);
  }

  const compared = fastest(() => run('compare', saved.old, saved.new, '--json', join(work, 'compare.json'), '--quiet'));
  console.log(`compare two saved inventories (gzip): ${describe(compared)}  (target: under ${TARGETS.compareSeconds} s: ${verdict(compared.seconds < TARGETS.compareSeconds)})`);
  const comparedPlain = fastest(() => run('compare', join(work, 'old.json'), join(work, 'new.json'), '--json', join(work, 'compare-plain.json'), '--quiet'));
  console.log(`compare two saved inventories (plain JSON): ${describe(comparedPlain)}`);
  // node-zstd writes frames without a content size, which only the bounded JavaScript decoder reads safely.
  const comparedZstd = fastest(() => run('compare', join(work, 'old.json.zst'), join(work, 'new.json.zst'), '--json', join(work, 'compare-zstd.json'), '--quiet'));
  console.log(`compare two saved inventories (zstd): ${describe(comparedZstd)}`);

  const builds = Array.from({ length: buildCount }, (_, index) => {
    const copy = join(work, `build-${String(index + 1).padStart(2, '0')}.json.gz`);
    linkSync(index % 2 === 0 ? saved.old : saved.new, copy);
    return copy;
  });
  const timeline = fastest(() => run('timeline', ...builds, '--keep-order', '--json', join(work, 'timeline.json'), '--quiet'));
  console.log(`timeline over ${buildCount} saved inventories: ${describe(timeline)}  (target: under ${TARGETS.timelineSeconds} s: ${verdict(timeline.seconds < TARGETS.timelineSeconds)})`);
  const check = spawnSync(process.execPath, ['-e', `const t=require(${JSON.stringify(join(work, 'timeline.json'))}); console.log(t.builds.length + ' builds, ' + t.features.length + ' features')`], { encoding: 'utf8' });
  console.log(`  (${check.stdout.trim()})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
