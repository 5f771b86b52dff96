// A whole comparison of two generated firmware packages with 1,000+ real APKs each, next to the time
// `aapt dump badging` alone takes over the same APKs. Not a test: it prints numbers. Run after
// `npm run build`:
//
//   node bench/compare.mjs [--apps 1000] [--seed 1] [--kind file-ota|ab-erofs|files] [--runs 1]
//                          [--rebuild] [--keep-cache] [--profile] [--engine DIST_DIR] [--ours-only]
//
// The pair (bench/lib/comparePackages.mjs): APKs built with `aapt package` from seeded specs
// (bench/lib/compareApps.mjs), ~5 % of them signed with apksigner (the rest unsigned), ~5 % of the
// apps changed in the new build (version bumps, a permission added, a preference default flipped),
// a few removed and added; packed as file-based OTA zips, or with --kind ab-erofs as full A/B
// payloads of an EROFS image. Generated once into ${XDG_CACHE_HOME:-~/.cache}/otalens-bench/.
// --apps      apps per side (default 1000)
// --kind      file-ota (default); ab-erofs (the same trees as A/B payloads); files (the older
//             generic measurement: zips of plain files, no APKs; --files and --mb size it)
// --runs      measure everything this many times (interleaved) and keep each one's fastest run
// --rebuild   generate the pair again
// --keep-cache  keep cached pairs of other parameters (by default they are deleted)
// --profile   also run the comparison under `node --cpu-prof` (parallel: false, so app parsing is on
//             the profiled main thread) and print where the time goes; done anyway when a target
//             is missed, unless --no-profile
// --engine    the built engine to measure (default: this checkout's dist/)
// --ours-only measure OTA Lens alone (with and without code analysis, and parallel: false), not
//             aapt or apksigner (over 1,000 APKs apksigner takes minutes a run); their targets are
//             then not judged
//
// OTA Lens runs in a fresh Node process per measurement, so its peak RSS is its own (worker
// threads included). Targets (issue "The answer", Performance): the whole comparison faster than
// `aapt dump badging` over the same APKs, peak RSS under 1 GB. The comparison verifies every APK's
// signatures (issue "Signatures you can trust", Performance): it is set against `apksigner verify`
// over the same APKs too, sequential and two at a time, the target being at least 10× faster.
// Code analysis (issue "Inside the code", Performance): three quarters of the generated apps carry a
// classes.dex (20 KiB to 2.5 MiB); the comparison is measured with it and without it
// ({ codeAnalysis: false }), the target being at most 50 % more time with it, peak RSS under 1 GB.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hottestFunctions } from './lib/cpuProfile.mjs';
import { makeGenericPair } from './lib/compareFiles.mjs';
import { ensureComparePair } from './lib/comparePackages.mjs';
import { timeByFile } from './lib/compareProfile.mjs';

const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    kind: { type: 'string', default: 'file-ota' },
    runs: { type: 'string', default: '1' },
    rebuild: { type: 'boolean', default: false },
    'keep-cache': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
    engine: { type: 'string' },
    'ours-only': { type: 'boolean', default: false },
    files: { type: 'string', default: '2000' },
    mb: { type: 'string', default: '400' },
  },
});
const here = fileURLToPath(new URL('.', import.meta.url));
const engineDist = resolve(values.engine ?? join(here, '..', 'dist'));
if (!existsSync(join(engineDist, 'electron/engine/compare.js'))) {
  console.error(`no built engine in ${engineDist}: run \`npm run build\` first (or pass --engine DIST_DIR)`);
  process.exit(1);
}
if (!['file-ota', 'ab-erofs', 'files'].includes(values.kind)) {
  console.error(`--kind must be file-ota, ab-erofs or files, not ${values.kind}`);
  process.exit(1);
}
const TARGET_RSS_BYTES = 1e9;
const MB = 1e6;
const runs = Math.max(1, Number(values.runs));

const pad = (text, width) => String(text).padEnd(width);
const lpad = (text, width) => String(text).padStart(width);
const timedSync = (action) => {
  const started = performance.now();
  const result = action();
  return { result, seconds: (performance.now() - started) / 1000 };
};

/** One comparison in a fresh Node process: the child's measurements plus the process's wall time. */
function measureCompare(oldZip, newZip, work, { serial = false, profileDir = null, code = true } = {}) {
  const outPath = join(work, `compare-${serial ? 'serial' : 'pool'}${code ? '' : '-no-code'}${profileDir ? '-profiled' : ''}.json`);
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const flags = [...(serial ? ['--serial'] : []), ...(code ? [] : ['--no-code'])];
  const { result, seconds } = timedSync(() =>
    spawnSync(process.execPath, [...nodeArgs, join(here, 'lib/compareChild.mjs'), engineDist, oldZip, newZip, outPath, ...flags], { stdio: ['ignore', 'inherit', 'inherit'] }),
  );
  if (result.status !== 0) throw new Error(`the comparison child failed (${result.status ?? result.signal})`);
  return { ...JSON.parse(readFileSync(outPath, 'utf8')), processSeconds: seconds };
}

/** The fastest of several measurements, with every run's seconds. */
function fastest(all) {
  return { ...all.reduce((best, run) => (run.processSeconds < best.processSeconds ? run : best)), all: all.map((run) => run.processSeconds) };
}

// Runs a command and reports its wall time and the CPU time of it and its children (getrusage
// RUSAGE_CHILDREN, which Node does not expose), so aapt's CPU can be set against OTA Lens's.
const RUSAGE_WRAPPER = `
import json, resource, subprocess, sys, time
started = time.monotonic()
done = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.monotonic() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({'seconds': seconds, 'cpuSeconds': usage.ru_utime + usage.ru_stime, 'status': done.returncode, 'stderr': done.stderr.decode('utf-8', 'replace')[-20000:]}))
`;

/** COMMAND (e.g. `aapt dump badging`) on every APK in LIST_FILE, JOBS at a time (xargs), output discarded. */
function measureEach(listFile, jobs, command) {
  const result = spawnSync('python3', ['-c', RUSAGE_WRAPPER, 'xargs', '-a', listFile, '-d', '\\n', '-n', '1', '-P', String(jobs), ...command], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`python3 (timing xargs ${command[0]}) failed (${result.status ?? result.signal})`);
  const measured = JSON.parse(result.stdout.toString());
  // xargs exits 123 when some invocation failed (apksigner on an unsigned APK): keep the error lines.
  if (measured.status !== 0 && measured.status !== 123) throw new Error(`xargs ${command[0]} failed (${measured.status}): ${measured.stderr.slice(0, 500)}`);
  return { seconds: measured.seconds, processSeconds: measured.seconds, cpuSeconds: measured.cpuSeconds, failed: measured.status === 123, errors: measured.stderr.split('\n').filter((line) => /error/i.test(line)) };
}

/** Reads the files once, so every measurement starts with them in the page cache alike. */
function warmPageCache(paths) {
  for (let start = 0; start < paths.length; start += 500) spawnSync('cat', paths.slice(start, start + 500), { stdio: ['ignore', 'ignore', 'inherit'] });
}

function listMismatches(expected, found) {
  const lines = [];
  for (const [what, packages] of Object.entries(expected)) {
    const seen = new Set(found[what] ?? []);
    const missing = packages.filter((name) => !seen.has(name));
    const extra = (found[what] ?? []).filter((name) => !packages.includes(name));
    const verdict = missing.length === 0 && extra.length === 0 ? 'as generated' : `MISMATCH: ${missing.length} missing (${missing.slice(0, 3).join(', ')}), ${extra.length} unexpected (${extra.slice(0, 3).join(', ')})`;
    lines.push(`  ${pad(what, 18)} ${lpad(packages.length, 4)} expected, ${lpad(found[what]?.length ?? 0, 4)} found: ${verdict}`);
  }
  return lines;
}

function profile(oldZip, newZip, work) {
  const profileDir = join(work, 'profile');
  const profiled = measureCompare(oldZip, newZip, work, { serial: true, profileDir });
  const profilePath = join(profileDir, readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile')));
  console.log(`\nprofiled run (parallel: false, so app parsing is on the main thread): ${profiled.seconds.toFixed(2)} s (profile ${(statSync(profilePath).size / 1024).toFixed(0)} KiB)`);
  console.log('main thread self time by source file:');
  for (const row of timeByFile(profilePath, 18).rows) console.log(`${lpad(row.seconds.toFixed(2), 8)} s ${lpad((row.share * 100).toFixed(1), 5)} %  ${row.file}`);
  console.log('by function:');
  for (const row of hottestFunctions(profilePath, 25).rows) console.log(`${lpad(row.seconds.toFixed(2), 8)} s ${lpad((row.share * 100).toFixed(1), 5)} %  ${row.name}`);
}

async function benchFiles(work) {
  const fileCount = Number(values.files);
  const { result: pair, seconds: generation } = timedSync(() => makeGenericPair(work, { fileCount, totalBytes: Number(values.mb) * MB }));
  const packageBytes = statSync(pair.oldZip).size + statSync(pair.newZip).size;
  console.log(`generated 2 zips of ${fileCount} plain files each, ${(packageBytes / MB).toFixed(0)} MB in all, in ${generation.toFixed(1)} s`);
  warmPageCache([pair.oldZip, pair.newZip]);
  const ours = fastest(Array.from({ length: runs }, () => measureCompare(pair.oldZip, pair.newZip, work)));
  console.log(`compare: ${ours.processSeconds.toFixed(2)} s (in process ${ours.seconds.toFixed(2)} s), ${(packageBytes / MB / ours.seconds).toFixed(0)} MB/s of package read, ${ours.filesChanged} changed files found (${Math.ceil(fileCount / 20) + 1} generated)`);
  console.log(`peak RSS: ${(ours.maxRssBytes / MB).toFixed(0)} MB`);
}

async function benchApps(work) {
  const params = { apps: Number(values.apps), seed: Number(values.seed) };
  const ab = values.kind === 'ab-erofs';
  console.log(`pair: ${params.apps} apps per side, seed ${params.seed}, ${values.kind}`);
  const { dir, info, generated, abGenerated } = await ensureComparePair(params, { rebuild: values.rebuild, keepOthers: values['keep-cache'], ab });
  const sides = ab ? info.ab : info.sides;
  const [oldZip, newZip] = [join(dir, sides.old.zip), join(dir, sides.new.zip)];
  const apks = [...info.sides.old.apks, ...info.sides.new.apks].map((path) => join(dir, path));
  console.log(
    `${generated ? 'generated' : 'cached (generated earlier)'} in ${info.generationSeconds.toFixed(1)} s${ab ? ` (+ ${info.ab.generationSeconds.toFixed(1)} s for the A/B zips)` : ''}: ${dir}\n` +
      (generated || abGenerated ? '' : Object.entries({ ...info.steps, ...(ab ? info.ab.steps : {}) }).map(([step, time]) => `  ${step}: ${time.toFixed(1)} s\n`).join('')) +
      ['old', 'new'].map((side) => `  ${side}: ${(sides[side].zipBytes / MB).toFixed(1)} MB zip, ${info.sides[side].apks.length} APKs (${info.sides[side].signedApks} signed with apksigner, the rest unsigned), ${(info.sides[side].apkBytes / MB).toFixed(1)} MB of APKs\n`).join('') +
      `  APK sizes: ${(info.apkSize.min / 1024).toFixed(0)} KiB to ${(info.apkSize.max / 1024).toFixed(0)} KiB, median ${(info.apkSize.median / 1024).toFixed(0)} KiB`,
  );

  console.log(`\nload average before measuring: ${loadavg().map((value) => value.toFixed(2)).join(' ')}; ${availableParallelism()} cores`);
  if (loadavg()[0] > availableParallelism()) console.log('the machine is busy with other work: wall times will swing from run to run (--runs 3 helps); the CPU column is steadier');
  warmPageCache([oldZip, newZip, ...apks]);
  const listFile = join(work, 'apks.txt');
  writeFileSync(listFile, `${apks.join('\n')}\n`);
  // Interleaved, so a burst of load from elsewhere hits every measurement alike.
  const AAPT = ['aapt', 'dump', 'badging'];
  const APKSIGNER = ['apksigner', 'verify'];
  const oursOnly = values['ours-only'];
  const measured = { pool: [], poolNoCode: [], serial: [], aaptSequential: [], aaptTwo: [], apksignerSequential: [], apksignerTwo: [] };
  for (let run = 0; run < runs; run++) {
    measured.pool.push(measureCompare(oldZip, newZip, work));
    measured.poolNoCode.push(measureCompare(oldZip, newZip, work, { code: false }));
    measured.serial.push(measureCompare(oldZip, newZip, work, { serial: true }));
    if (oursOnly) continue;
    measured.aaptSequential.push(measureEach(listFile, 1, AAPT));
    measured.aaptTwo.push(measureEach(listFile, 2, AAPT));
    measured.apksignerSequential.push(measureEach(listFile, 1, APKSIGNER));
    measured.apksignerTwo.push(measureEach(listFile, 2, APKSIGNER));
  }
  const [pool, poolNoCode, serial, aaptSequential, aaptTwo, apksignerSequential, apksignerTwo] = [
    measured.pool, measured.poolNoCode, measured.serial, measured.aaptSequential, measured.aaptTwo, measured.apksignerSequential, measured.apksignerTwo,
  ].map((list) => (list.length === 0 ? null : fastest(list)));

  const appCount = apks.length;
  const rows = [
    [`OTA Lens compare with verification (pool)`, pool],
    [`OTA Lens compare without code analysis`, poolNoCode],
    [`OTA Lens compare (parallel: false)`, serial],
    [`aapt dump badging × ${appCount}, sequential`, aaptSequential],
    [`aapt dump badging × ${appCount}, 2 at a time`, aaptTwo],
    [`apksigner verify × ${appCount}, sequential`, apksignerSequential],
    [`apksigner verify × ${appCount}, 2 at a time`, apksignerTwo],
  ].filter(([, row]) => row !== null);
  const ratio = (time, reference, digits) => (reference === null ? '' : (time / reference.seconds).toFixed(digits));
  const seconds = (row) => row.processSeconds;
  console.log(`\n${pad('', 42)} ${lpad('seconds', 8)} ${lpad('apps/s', 7)} ${lpad('peak RSS', 9)} ${lpad('CPU s', 6)}  ${lpad('÷ aapt seq', 10)} ${lpad('÷ aapt ×2', 9)} ${lpad('÷ apksigner seq', 15)}`);
  for (const [what, row] of rows) {
    const time = seconds(row);
    console.log(
      `${pad(what, 42)} ${lpad(time.toFixed(2), 8)} ${lpad((appCount / time).toFixed(0), 7)} ${lpad(row.maxRssBytes ? `${(row.maxRssBytes / MB).toFixed(0)} MB` : '', 9)} ${lpad(row.cpuSeconds ? row.cpuSeconds.toFixed(1) : '', 6)}  ` +
        `${lpad(ratio(time, aaptSequential, 2), 10)} ${lpad(ratio(time, aaptTwo, 2), 9)} ${lpad(ratio(time, apksignerSequential, 3), 15)}`,
    );
  }
  console.log('(seconds: the fastest run; OTA Lens from spawning its Node process to its exit, start-up included; CPU s: user + system of every thread / child process; apps/s counts both sides)');
  for (const [what, row] of [['worker pool', pool], ['without code analysis', poolNoCode], ['parallel: false', serial]]) {
    const marks = Object.entries(row.marks).map(([mark, at]) => `${mark} ${at.toFixed(2)}`).join(', ');
    console.log(`${what}: comparePackages ${row.seconds.toFixed(2)} s in the process (${marks})`);
  }
  if (runs > 1) for (const [what, row] of rows) console.log(`${pad(what, 42)} runs: ${row.all.map((time) => time.toFixed(2)).join(', ')} s`);
  if (aaptSequential?.failed || aaptTwo?.failed) console.log(`aapt failed on some APKs: ${aaptSequential.errors.slice(0, 3).join(' | ')}`);
  if (!oursOnly) console.log(`apksigner verify is run on every APK, signed or not (the pair signs about 5 % of them; an unsigned one costs apksigner its start-up and a refusal), as OTA Lens verifies every APK it reads`);

  console.log(`\nwhat the comparison found (worker pool run), against what was generated:`);
  for (const line of listMismatches(info.expected, pool.apps)) console.log(line);
  console.log(`  features changed: ${pool.features.map((feature) => `${feature.id} ${feature.old} → ${feature.new} (${feature.change})`).join('; ') || 'none'}`);
  console.log(`  other default changes: ${pool.otherDefaultChanges}, files changed: ${pool.filesChanged}, text diffs: ${pool.textDiffs}, problems: ${pool.problems.old.length} old / ${pool.problems.new.length} new`);
  console.log(`  code: ${pool.code.dexFilesRead} DEX files read in the listed apps; ${pool.code.gainedTracker} apps gained a tracker, ${pool.code.gainedServer} a server`);
  const sameAnswer = JSON.stringify(pool.apps) === JSON.stringify(serial.apps) && JSON.stringify(pool.features) === JSON.stringify(serial.features);
  console.log(`  parallel: false found the same apps and features: ${sameAnswer ? 'yes' : 'NO'}`);

  const poolTime = seconds(pool);
  const verdict = (holds) => (holds ? 'holds' : 'MISSED');
  const rssHolds = pool.maxRssBytes < TARGET_RSS_BYTES && serial.maxRssBytes < TARGET_RSS_BYTES;
  const codeShare = poolTime / seconds(poolNoCode);
  const codeHolds = codeShare <= 1.5 && pool.maxRssBytes < TARGET_RSS_BYTES;
  console.log(`\ntargets:`);
  const referenceTargets = oursOnly ? [] : [
    [`compare faster than aapt dump badging, sequential: ${poolTime.toFixed(2)} s vs ${aaptSequential.seconds.toFixed(2)} s (${(poolTime / aaptSequential.seconds).toFixed(2)}×)`, poolTime < aaptSequential.seconds],
    [`compare faster than aapt dump badging, 2 at a time (same cores): ${poolTime.toFixed(2)} s vs ${aaptTwo.seconds.toFixed(2)} s (${(poolTime / aaptTwo.seconds).toFixed(2)}×)`, poolTime < aaptTwo.seconds],
    [`compare with verification ≥ 10× faster than apksigner verify, sequential: ${poolTime.toFixed(2)} s vs ${apksignerSequential.seconds.toFixed(2)} s (${(apksignerSequential.seconds / poolTime).toFixed(1)}× faster)`, poolTime * 10 <= apksignerSequential.seconds],
    [`compare with verification ≥ 10× faster than apksigner verify, 2 at a time: ${poolTime.toFixed(2)} s vs ${apksignerTwo.seconds.toFixed(2)} s (${(apksignerTwo.seconds / poolTime).toFixed(1)}× faster)`, poolTime * 10 <= apksignerTwo.seconds],
  ];
  const targets = [
    ...referenceTargets,
    [`peak RSS under ${TARGET_RSS_BYTES / MB} MB: ${(pool.maxRssBytes / MB).toFixed(0)} MB with the pool, ${(serial.maxRssBytes / MB).toFixed(0)} MB without`, rssHolds],
    [
      `code analysis adds at most 50 %: ${poolTime.toFixed(2)} s with it, ${seconds(poolNoCode).toFixed(2)} s without (+${((codeShare - 1) * 100).toFixed(0)} %; CPU ${pool.cpuSeconds.toFixed(1)} s vs ${poolNoCode.cpuSeconds.toFixed(1)} s), peak RSS ${(pool.maxRssBytes / MB).toFixed(0)} MB vs ${(poolNoCode.maxRssBytes / MB).toFixed(0)} MB`,
      codeHolds,
    ],
  ];
  for (const [what, holds] of targets) console.log(`  ${what}: ${verdict(holds)}`);
  if (oursOnly) console.log('  (--ours-only: the aapt and apksigner targets were not measured)');
  console.log(`load average after: ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);

  const missed = targets.some(([, holds]) => !holds);
  if (values.profile || (missed && !values['no-profile'])) profile(oldZip, newZip, work);
}

const work = mkdtempSync(join(tmpdir(), 'otalens-bench-compare-'));
try {
  if (values.kind === 'files') await benchFiles(work);
  else await benchApps(work);
} finally {
  rmSync(work, { recursive: true, force: true });
}
