// A whole comparison of two large A/B OTA packages, next to opening and hashing each one alone, and
// `otalens cat` of one small file out of one of them. Not a test: it prints numbers. Run after
// `npm run build`:
//
//   node bench/compare-large.mjs [--size-gb 2] [--files 5000] [--seed 1] [--runs 1] [--rebuild]
//                                [--keep-cache] [--engine DIST_DIR]
//
// The pair is bench/open's package generated twice (bench/lib/benchPackage.mjs with build 'old'
// and 'new'): the same seeded tree, in the new build a few hundred files changed and the usage
// statistics default (persist.sys.usage_stats in build.prop) turned off; each a full A/B payload of
// an EROFS LZ4HC image. Generated once into ${XDG_CACHE_HOME:-~/.cache}/otalens-bench/pair-*/.
// --runs      measure everything this many times (interleaved) and keep each one's fastest run
// --rebuild   generate the pair again
// --keep-cache  keep cached pairs of other parameters (by default they are deleted: GBs each)
// --engine    the built engine to measure (default: this checkout's dist/)
//
// Each measurement runs in a fresh Node process (peak RSS its own). Targets (issue "Read a
// multi-GB OTA at the pace of its decompressors"): the comparison within 1.1 × the slower single
// open (both sides read at once, diffing negligible); `otalens cat` of a small file under 0.5 s.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchPackageParams, ensureBenchPackage } from './lib/benchPackage.mjs';
import { engineDistOf } from './lib/engineDist.mjs';
import { withMachineLoad } from './lib/machineLoad.mjs';
import { checkHashes, measureOtaLens } from './lib/measureOpen.mjs';
import { timedRun } from './lib/timedRun.mjs';

const { values } = parseArgs({
  options: {
    'size-gb': { type: 'string', default: '2' },
    files: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '1' },
    rebuild: { type: 'boolean', default: false },
    'keep-cache': { type: 'boolean', default: false },
    engine: { type: 'string' },
  },
});
const here = fileURLToPath(new URL('.', import.meta.url));
const engineDist = engineDistOf(values.engine, 'compare.js');
const params = benchPackageParams(values);
const runs = Math.max(1, Number(values.runs));
const TARGET_COMPARE_RATIO = 1.1;
const TARGET_CAT_SECONDS = 0.5;
/** The small file `otalens cat` reads: the tree's build.prop, a few hundred bytes. */
const CAT_PATH = 'build.prop';
const MB = 1e6;
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
const fastest = (all) => all.reduce((best, run) => (run.seconds < best.seconds ? run : best));
const othersLine = (run) => (run.othersCores === null ? '' : `, other processes kept ${run.othersCores.toFixed(2)} cores busy meanwhile`);

/** One comparison in a fresh process (bench/lib/compareChild.mjs): its measurements and the machine's load meanwhile. */
function measureCompare(oldZip, newZip, work) {
  const outPath = join(work, 'compare.json');
  const run = withMachineLoad(() => timedRun(process.execPath, [join(here, 'lib/compareChild.mjs'), engineDist, oldZip, newZip, outPath], work));
  return { ...JSON.parse(readFileSync(outPath, 'utf8')), othersCores: run.othersCores, processSeconds: run.seconds };
}

/** `otalens cat` of one file in a fresh process (bench/lib/catChild.mjs): wall time of the whole process, in-process time, bytes read, output's SHA-256. */
function measureCat(zipPath, devicePath, work) {
  const outPath = join(work, 'cat.out');
  const out = openSync(outPath, 'w');
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(here, 'lib/catChild.mjs'), engineDist, zipPath, devicePath], { stdio: ['ignore', out, 'pipe'] });
  const processSeconds = (performance.now() - started) / 1000;
  closeSync(out);
  if (result.status !== 0) throw new Error(`otalens cat failed (${result.status ?? result.signal}): ${result.stderr.toString().slice(0, 500)}`);
  const measured = JSON.parse(result.stderr.toString().trim().split('\n').at(-1));
  return { ...measured, processSeconds, sha256: createHash('sha256').update(readFileSync(outPath)).digest('hex') };
}

/** Paths whose content differs between the two generated trees (or that only one has). */
function changedPaths(oldHashes, newHashes) {
  const paths = new Set([...Object.keys(oldHashes), ...Object.keys(newHashes)]);
  return [...paths].filter((path) => oldHashes[path] !== newHashes[path]);
}

console.log(`pair: ${params.sizeGb} GiB target each, ${params.files} files, seed ${params.seed}`);
const sides = {};
for (const build of ['old', 'new']) {
  const side = await ensureBenchPackage({ ...params, build }, { rebuild: values.rebuild, keepOthers: values['keep-cache'] });
  console.log(`${build}: ${side.generated ? 'generated' : 'cached (generated earlier)'} in ${side.info.generationSeconds.toFixed(1)} s: ${side.zipPath}, zip ${(side.info.zipBytes / MB).toFixed(0)} MB, ${Object.keys(side.info.fileHashes).length} files with ${(side.info.contentBytes / MB).toFixed(0)} MB of content`);
  sides[build] = side;
}
const expectedChanged = changedPaths(sides.old.info.fileHashes, sides.new.info.fileHashes);
console.log(`the generator changed ${expectedChanged.length} files (build.prop among them: usage statistics on → off)`);

const work = mkdtempSync(join(tmpdir(), 'otalens-bench-compare-large-'));
try {
  console.log(`\nload average before measuring: ${load()}`);
  // Reading both packages once first puts them in the page cache for every measurement alike.
  for (const side of Object.values(sides)) timedRun('cat', [side.zipPath], work);
  const measured = { old: [], new: [], compare: [], cat: [] };
  // Interleaved, so a burst of load from elsewhere hits every measurement alike.
  for (let run = 0; run < runs; run++) {
    measured.old.push(measureOtaLens(engineDist, sides.old.zipPath, work));
    measured.new.push(measureOtaLens(engineDist, sides.new.zipPath, work));
    measured.compare.push(measureCompare(sides.old.zipPath, sides.new.zipPath, work));
    measured.cat.push(measureCat(sides.old.zipPath, `/system/${CAT_PATH}`, work));
  }
  const opens = { old: fastest(measured.old), new: fastest(measured.new) };
  const compare = measured.compare.reduce((best, run) => (run.processSeconds < best.processSeconds ? run : best));
  const cat = measured.cat.reduce((best, run) => (run.processSeconds < best.processSeconds ? run : best));

  console.log('');
  for (const build of ['old', 'new']) {
    const run = opens[build];
    const hashes = checkHashes(sides[build].info.fileHashes, run.hashes);
    console.log(
      `open + hash ${build}: ${run.seconds.toFixed(2)} s (runs: ${measured[build].map((each) => each.seconds.toFixed(2)).join(', ')}), ${(run.cpuSeconds / run.seconds).toFixed(2)} of ${availableParallelism()} cores busy${othersLine(run)}, ` +
        `peak RSS ${(run.maxRssBytes / MB).toFixed(0)} MB, hashes matching the generator's ${hashes.matching}/${hashes.total}`,
    );
  }
  const slower = Math.max(opens.old.seconds, opens.new.seconds);
  console.log(
    `compare: ${compare.processSeconds.toFixed(2)} s for the process, ${compare.seconds.toFixed(2)} s in it (runs: ${measured.compare.map((each) => each.processSeconds.toFixed(2)).join(', ')}), ` +
      `${(compare.cpuSeconds / compare.seconds).toFixed(2)} cores busy${othersLine(compare)}, peak RSS ${(compare.maxRssBytes / MB).toFixed(0)} MB`,
  );
  const mark = (name) => (compare.marks[name] === undefined ? 'n/a' : `${compare.marks[name].toFixed(2)} s`);
  console.log(`  both sides read at once: old opened at ${mark('old opened')}, new opened at ${mark('new opened')}; old read by ${mark('old read')}, new read by ${mark('new read')}`);
  console.log(
    `  found: ${compare.filesChanged} files changed (${expectedChanged.length} generated), features changed: ${compare.features.map((feature) => `${feature.id} ${feature.old} → ${feature.new}`).join(', ') || 'none'}, ` +
      `${compare.otherDefaultChanges} other default changes, problems old ${compare.problems.old.length} / new ${compare.problems.new.length}`,
  );
  const ratio = compare.processSeconds / slower;
  console.log(`ratio compare / slower single open: ${ratio.toFixed(2)} (target ≤ ${TARGET_COMPARE_RATIO}): ${ratio <= TARGET_COMPARE_RATIO ? 'holds' : 'MISSED'}`);
  // A comparison reads both packages: at best the two opens' CPU time spread over every core.
  const bound = (opens.old.cpuSeconds + opens.new.cpuSeconds) / availableParallelism();
  console.log(
    `idle-machine bound: the two opens took ${(opens.old.cpuSeconds + opens.new.cpuSeconds).toFixed(1)} s of CPU, so a comparison needs ≥ ${bound.toFixed(1)} s on ${availableParallelism()} cores: ` +
      `ratio ≥ ${(bound / slower).toFixed(2)} against the slower open as measured`,
  );
  const catOk = cat.sha256 === sides.old.info.fileHashes[CAT_PATH];
  console.log(
    `otalens cat ${CAT_PATH} of the old package (${(sides.old.info.zipBytes / MB).toFixed(0)} MB): ${cat.processSeconds.toFixed(3)} s wall for the process (runs: ${measured.cat.map((each) => each.processSeconds.toFixed(3)).join(', ')}), ` +
      `${cat.seconds.toFixed(3)} s for the command in it, ${cat.bytesRead === null ? 'bytes read n/a' : `${(cat.bytesRead / 1024).toFixed(0)} KiB read`}, output ${catOk ? 'matches' : 'DOES NOT match'} the generator's SHA-256`,
  );
  console.log(`otalens cat under ${TARGET_CAT_SECONDS} s: ${cat.processSeconds < TARGET_CAT_SECONDS ? 'holds' : 'MISSED'}`);
  console.log(`load average after: ${load()}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
