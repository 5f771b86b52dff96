// Opening one large A/B OTA package: listing every file and hashing each one, next to the floors
// on the same data (sha256sum of the package, and xz/zstd decoding the payload's own blobs). Not a
// test: it prints numbers. Run after `npm run build`:
//
//   node bench/open.mjs [--kind ab|samsung] [--size-gb 2] [--files 5000] [--seed 1] [--rebuild]
//                       [--keep-cache] [--profile] [--engine DIST_DIR] [--labels]
//
// --kind samsung measures a Samsung-like Odin package instead (bench/lib/samsungPackage.mjs): an
// AP_….tar.md5 holding a super.img.lz4 (lz4's defaults: 4 MiB independent blocks) of a sparse
// super.img whose system_a is an ext4 image of the generated tree, against `lz4 -dc | sha256sum`
// of the same super.img.lz4 (decoding and hashing the content). Run it with --size-gb 2 and 6 to
// see that OTA Lens's peak RSS does not grow with the package.
//
// The package (a full payload of an EROFS LZ4HC system image, operations mixing REPLACE_XZ, ZSTD,
// ZERO and REPLACE over 2 MiB chunks; see bench/lib/benchPackage.mjs) is generated once into
// ${XDG_CACHE_HOME:-~/.cache}/otalens-bench/ and reused while the parameters stay the same.
// --rebuild   generate it again
// --keep-cache  keep cached packages of other parameters (by default they are deleted: GBs each)
// --profile   run the OTA Lens side a second time under `node --cpu-prof` and print the hottest
//             functions of the main thread
// --engine    the built engine to measure (default: this checkout's dist/)
// --labels    give every entry a SELinux label and some files capabilities (bench/lib/treeLabels.mjs),
//             as Android images have, so the xattr readers are measured too (a package of its own)
//
// The standard-tools anchor: the pipeline a reviewer would otherwise run on the partition image
// (kept in the cache next to the package), `fsck.erofs --extract` then `sha256sum` of every file
// (two at a time, as many as the cores), its hashes checked against the generator's too.
//
// OTA Lens runs in a fresh Node process, so its peak RSS is its own. Targets: OTA Lens within
// 1.5 × the decompressors' time (xz -dc + zstd -dc over the same blobs), within 0.5 × the standard
// tools' time, both cores busy, peak RSS under 700 MB and, between --size-gb 2 and 6, within 10 %
// (each run records its peak RSS in the bench cache, rss-by-size.json, and prints it against the
// last run's at the other sizes: run --size-gb 2, then --size-gb 6).
// Wall times depend on what else the machine runs (the load average is printed), so CPU times are
// printed too (the tools' through GNU time; OTA Lens's split into main thread and other threads),
// with the best wall time OTA Lens could reach on an idle machine given its CPU time.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cacheRoot } from './lib/benchCache.mjs';
import { benchPackageParams, ensureBenchPackage } from './lib/benchPackage.mjs';
import { engineDistOf } from './lib/engineDist.mjs';
import { ensureSamsungPackage } from './lib/samsungPackage.mjs';
import { hottestFunctions } from './lib/cpuProfile.mjs';
import { checkHashes, measureOtaLens as measureEngine } from './lib/measureOpen.mjs';
import { timedRun } from './lib/timedRun.mjs';

const { values } = parseArgs({
  options: {
    kind: { type: 'string', default: 'ab' },
    'size-gb': { type: 'string', default: '2' },
    files: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    rebuild: { type: 'boolean', default: false },
    'keep-cache': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    engine: { type: 'string' },
    labels: { type: 'boolean', default: false },
  },
});
const engineDist = engineDistOf(values.engine, 'inventory/buildInventory.js');
const TARGET_RATIO = 1.5;
const TARGET_TOOLS_RATIO = 0.5;
const TARGET_RSS_BYTES = 700e6;
const TARGET_RSS_GROWTH = 0.1;
const MB = 1e6;
const OP_OUTPUT_BYTES = 2 << 20;

/** Concatenates the blobs [offset, length] (relative to `blobsStart` in the zip) into one file. */
async function concatenateBlobs(zipPath, blobsStart, blobs, outPath) {
  const zip = await open(zipPath, 'r');
  const out = await open(outPath, 'w');
  try {
    let written = 0;
    for (const [offset, length] of blobs) {
      const bytes = Buffer.alloc(length);
      await zip.read(bytes, 0, length, blobsStart + offset);
      await out.write(bytes, 0, length, written);
      written += length;
    }
    return written;
  } finally {
    await zip.close();
    await out.close();
  }
}

/** Runs the OTA Lens side in a fresh process; with `profileDir`, under --cpu-prof. */
const measureOtaLens = (zipPath, work, profileDir) => measureEngine(engineDist, zipPath, work, profileDir);

/**
 * The standard tools on the partition image: `fsck.erofs --extract` into a scratch folder, then
 * `sha256sum` of every extracted file (one process per core, via xargs). Returns both runs, their
 * sum and the hashes sha256sum printed (by path in the tree); the extracted files are deleted.
 */
function measureStandardTools(imagePath, work) {
  const extracted = join(work, 'extracted');
  const sums = join(work, 'sha256sums.txt');
  mkdirSync(extracted);
  try {
    const extract = timedRun('fsck.erofs', [`--extract=${extracted}`, '--no-preserve', imagePath], work);
    const hash = timedRun('sh', ['-c', `cd '${extracted}' && find . -type f -print0 | xargs -0 -P${availableParallelism()} -n 64 sha256sum > '${sums}'`], work);
    const hashes = {};
    for (const line of readFileSync(sums, 'utf8').split('\n')) {
      const match = /^([0-9a-f]{64}) [ *]\.\/(.*)$/.exec(line);
      if (match !== null) hashes[match[2]] = match[1];
    }
    const sum = (a, b) => (a === null || b === null ? null : a + b);
    return {
      extract,
      hash,
      total: { seconds: extract.seconds + hash.seconds, cpuSeconds: sum(extract.cpuSeconds, hash.cpuSeconds), maxRssBytes: extract.maxRssBytes === null ? null : Math.max(extract.maxRssBytes, hash.maxRssBytes) },
      hashes,
    };
  } finally {
    rmSync(extracted, { recursive: true, force: true });
    rmSync(sums, { force: true });
  }
}

/** The decode cache's counts: how often a unit (operation, block) was decoded, against how many there are. */
const decodeLine = (stats, units) =>
  `${stats.decoded} for ${units} in the package (${stats.hits} reads from the cache, ${stats.waits} waits for another thread's decode, ${stats.uncached} not cached, ${stats.evicted} evicted)`;
/** Cores OTA Lens kept busy, against the cores other processes left it. */
function busyCoresLine(run) {
  const cores = availableParallelism();
  const busy = run.cpuSeconds / run.seconds;
  const figure = `busy cores (CPU time / wall): ${busy.toFixed(2)} of ${cores}, busy-core figure (CPU time / wall / cores) ${(busy / cores).toFixed(2)}`;
  if (run.othersCores === null) return figure;
  const left = Math.max(0.01, cores - run.othersCores);
  return `${figure}; other processes kept ${run.othersCores.toFixed(2)} busy meanwhile, so OTA Lens used ${Math.min(100, (busy / left) * 100).toFixed(0)} % of the ${left.toFixed(2)} cores left to it`;
}
/**
 * Records this run's peak RSS for its package size (kind, files, seed and engine alike) in the bench
 * cache, and returns the lines setting it against the last run's at every other size: memory must
 * stay flat as packages grow (--size-gb 2, then --size-gb 6).
 */
function rssAcrossSizes(kind, rssBytes) {
  const path = join(cacheRoot(), 'rss-by-size.json');
  const all = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  const key = JSON.stringify({ kind, files: params.files, seed: params.seed, engine: engineDist });
  const bySize = { ...all[key], [params.sizeGb]: rssBytes };
  writeFileSync(path, `${JSON.stringify({ ...all, [key]: bySize }, null, 1)}\n`);
  return Object.entries(bySize)
    .filter(([size]) => Number(size) !== params.sizeGb)
    .map(([size, other]) => {
      const growth = Math.max(rssBytes, other) / Math.min(rssBytes, other) - 1;
      return `peak RSS at ${params.sizeGb} GiB ${(rssBytes / MB).toFixed(0)} MB against ${(other / MB).toFixed(0)} MB at ${size} GiB (last run): ${(growth * 100).toFixed(1)} % apart (target ≤ ${TARGET_RSS_GROWTH * 100} %): ${growth <= TARGET_RSS_GROWTH ? 'holds' : 'MISSED'}`;
    });
}
const threadCpu = (run) => (run.cpuByThread === null ? 'n/a' : `${run.cpuByThread.main.toFixed(1)} s, other threads ${run.cpuByThread.others.toFixed(1)} s`);
const pad = (text, width) => String(text).padEnd(width);
const lpad = (text, width) => String(text).padStart(width);

const params = benchPackageParams(values);
if (values.kind === 'samsung') {
  await measureSamsung();
  process.exit(0);
}
if (values.kind !== 'ab') {
  console.error('--kind must be ab or samsung');
  process.exit(1);
}

/** The Samsung-like case: OTA Lens on the AP .tar.md5 against lz4 -dc | sha256sum on its super.img.lz4. */
async function measureSamsung() {
  console.log(`Samsung-like package: ${params.sizeGb} GiB of content, ${params.files} files, seed ${params.seed}`);
  const { apPath, lz4Path, info, generated } = await ensureSamsungPackage(params, { rebuild: values.rebuild, keepOthers: values['keep-cache'] });
  console.log(
    `${generated ? 'generated' : 'cached (generated earlier)'} in ${info.generationSeconds.toFixed(1)} s: ${apPath}\n` +
      `  AP tar.md5 ${(info.apBytes / MB).toFixed(0)} MB, super.img.lz4 ${(info.lz4Bytes / MB).toFixed(0)} MB, sparse super.img ${(info.sparseBytes / MB).toFixed(0)} MB ` +
      `(super ${(info.superBytes / MB).toFixed(0)} MB, system_a ${(info.systemBytes / MB).toFixed(0)} MB), ${Object.keys(info.fileHashes).length} files with ${(info.contentBytes / MB).toFixed(0)} MB of content`,
  );
  const work = mkdtempSync(join(tmpdir(), 'otalens-bench-open-'));
  try {
    console.log(`\nload average before measuring: ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
    const sha256sum = timedRun('sha256sum', [apPath], work);
    const lz4 = timedRun('lz4', ['-dc', lz4Path], work);
    const lz4Sha = timedRun('sh', ['-c', `lz4 -dc '${lz4Path}' | sha256sum`], work);
    const ours = measureOtaLens(apPath, work, null);
    const hashes = checkHashes(info.fileHashes, ours.hashes);
    const megabytes = (bytes) => (bytes === null ? '' : `${(bytes / MB).toFixed(0)} MB`);
    const rows = [
      ['OTA Lens: open, list, SHA-256 every file', ours, `${(ours.bytesHashed / MB / ours.seconds).toFixed(0)} MB/s hashed, ${(ours.files / ours.seconds).toFixed(0)} files/s`],
      [`sha256sum of the AP tar.md5 (${(info.apBytes / MB).toFixed(0)} MB)`, sha256sum, `${(info.apBytes / MB / sha256sum.seconds).toFixed(0)} MB/s`],
      ['lz4 -dc super.img.lz4', lz4, `${(info.sparseBytes / MB / lz4.seconds).toFixed(0)} MB/s out`],
      ['lz4 -dc super.img.lz4 | sha256sum', lz4Sha, `${(info.sparseBytes / MB / lz4Sha.seconds).toFixed(0)} MB/s`],
    ];
    console.log(`\n${pad('', 44)} ${lpad('seconds', 8)} ${lpad('CPU s', 7)}  ${pad('throughput', 36)} ${lpad('peak RSS', 9)}`);
    for (const [what, run, rate] of rows) {
      console.log(`${pad(what, 44)} ${lpad(run.seconds.toFixed(2), 8)} ${lpad(run.cpuSeconds?.toFixed(2) ?? '', 7)}  ${pad(rate, 36)} ${lpad(megabytes(run.maxRssBytes), 9)}`);
    }
    const ratio = ours.seconds / lz4Sha.seconds;
    console.log(
      `\nOTA Lens: ${ours.files} files (${ours.entries} entries), ${(ours.bytesHashed / MB).toFixed(0)} MB hashed, opened in ${ours.openedSeconds.toFixed(2)} s, ` +
        `${(ours.cpuSeconds / ours.seconds).toFixed(2)} cores busy (main thread ${threadCpu(ours)}), ${ours.problems.length} problems${ours.problems.length > 0 ? `: ${JSON.stringify(ours.problems.slice(0, 3))}` : ''}`,
    );
    console.log(busyCoresLine(ours));
    console.log(`file hashes matching the generator's: ${hashes.matching}/${hashes.total}${hashes.wrong.length > 0 ? ` (first wrong: ${hashes.wrong.slice(0, 3).join(', ')})` : ''}`);
    if (ours.decodeStats !== null) console.log(`LZ4 blocks decoded: ${decodeLine(ours.decodeStats, Math.ceil(info.sparseBytes / (4 << 20)))}`);
    console.log(`ratio OTA Lens / (lz4 -dc | sha256sum): ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}): ${ratio <= TARGET_RATIO ? 'holds' : 'MISSED'}`);
    console.log(`ratio OTA Lens / lz4 -dc alone: ${(ours.seconds / lz4.seconds).toFixed(2)}`);
    if (lz4Sha.cpuSeconds !== null) console.log(`CPU time ratio (all threads): ${(ours.cpuSeconds / lz4Sha.cpuSeconds).toFixed(2)}`);
    console.log(`peak RSS ${(ours.maxRssBytes / MB).toFixed(0)} MB (target < ${TARGET_RSS_BYTES / MB} MB): ${ours.maxRssBytes < TARGET_RSS_BYTES ? 'holds' : 'MISSED'}`);
    for (const line of rssAcrossSizes('samsung', ours.maxRssBytes)) console.log(line);
    console.log(`load average after: ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
    if (values.profile) {
      const profileDir = join(work, 'profile');
      const profiled = measureOtaLens(apPath, work, profileDir);
      const profilePath = join(profileDir, readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile')));
      const hottest = hottestFunctions(profilePath, 20, { by: 'samples' });
      console.log(`\nprofiled run: ${profiled.seconds.toFixed(2)} s, main thread ${threadCpu(profiled)}; of the busy samples:`);
      for (const row of hottest.rows) console.log(`${lpad((row.busyShare * 100).toFixed(1), 6)} %  ${row.name}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

console.log(`package: ${params.sizeGb} GiB target, ${params.files} files, seed ${params.seed}`);
const { zipPath, imagePath, info, generated } = await ensureBenchPackage(params, { rebuild: values.rebuild, keepOthers: values['keep-cache'], image: true });
console.log(
  `${generated ? 'generated' : 'cached (generated earlier)'} in ${info.generationSeconds.toFixed(1)} s: ${zipPath}\n` +
    `  zip ${(info.zipBytes / MB).toFixed(0)} MB, EROFS image ${(info.imageBytes / MB).toFixed(0)} MB, partition ${(info.partitionBytes / MB).toFixed(0)} MB, ` +
    `${Object.keys(info.fileHashes).length} files with ${(info.contentBytes / MB).toFixed(0)} MB of content\n` +
    `  operations: ${Object.entries(info.ops)
      .map(([type, count]) => `${count} ${type}`)
      .join(', ')}`,
);

const work = mkdtempSync(join(tmpdir(), 'otalens-bench-open-'));
try {
  const load = loadavg();
  console.log(`\nload average before measuring: ${load.map((value) => value.toFixed(2)).join(' ')}`);
  // Reading the package once first puts it in the page cache for every measurement alike.
  const sha256sum = timedRun('sha256sum', [zipPath], work);

  const xzPath = join(work, 'xz-blobs.xz');
  const zstdPath = join(work, 'zstd-blobs.zst');
  const xzBytes = await concatenateBlobs(zipPath, info.blobsStart, info.xzBlobs, xzPath);
  const zstdBytes = await concatenateBlobs(zipPath, info.blobsStart, info.zstdBlobs, zstdPath);
  const xz = timedRun('xz', ['-dc', xzPath], work);
  const zstd = timedRun('zstd', ['-dc', zstdPath], work);
  rmSync(xzPath);
  rmSync(zstdPath);
  const decompressors = {
    seconds: xz.seconds + zstd.seconds,
    cpuSeconds: xz.cpuSeconds === null ? null : xz.cpuSeconds + zstd.cpuSeconds,
    maxRssBytes: xz.maxRssBytes === null ? null : Math.max(xz.maxRssBytes, zstd.maxRssBytes),
  };

  const ours = measureOtaLens(zipPath, work, null);
  const hashes = checkHashes(info.fileHashes, ours.hashes);
  const tools = measureStandardTools(imagePath, work);
  const toolHashes = checkHashes(info.fileHashes, tools.hashes);

  const megabytes = (bytes) => (bytes === null ? '' : `${(bytes / MB).toFixed(0)} MB`);
  const decodedMb = (blobs) => (blobs.length * OP_OUTPUT_BYTES) / MB;
  const rows = [
    ['OTA Lens: open, list, SHA-256 every file', ours, `${(ours.bytesHashed / MB / ours.seconds).toFixed(0)} MB/s hashed, ${(ours.files / ours.seconds).toFixed(0)} files/s`],
    [`sha256sum of the package (${(info.zipBytes / MB).toFixed(0)} MB)`, sha256sum, `${(info.zipBytes / MB / sha256sum.seconds).toFixed(0)} MB/s`],
    [`xz -dc: ${info.xzBlobs.length} blobs, ${(xzBytes / MB).toFixed(0)} MB`, xz, `${(decodedMb(info.xzBlobs) / xz.seconds).toFixed(0)} MB/s out`],
    [`zstd -dc: ${info.zstdBlobs.length} blobs, ${(zstdBytes / MB).toFixed(0)} MB`, zstd, `${(decodedMb(info.zstdBlobs) / zstd.seconds).toFixed(0)} MB/s out`],
    ['decompressors (xz + zstd)', decompressors, ''],
    [`fsck.erofs --extract (image ${(info.imageBytes / MB).toFixed(0)} MB)`, tools.extract, `${(info.contentBytes / MB / tools.extract.seconds).toFixed(0)} MB/s out`],
    [`sha256sum of every extracted file (-P${availableParallelism()})`, tools.hash, `${(info.contentBytes / MB / tools.hash.seconds).toFixed(0)} MB/s`],
    ['standard tools (extract + sha256sum)', tools.total, ''],
  ];
  console.log(`\n${pad('', 44)} ${lpad('seconds', 8)} ${lpad('CPU s', 7)}  ${pad('throughput', 36)} ${lpad('peak RSS', 9)}`);
  for (const [what, run, rate] of rows) {
    console.log(`${pad(what, 44)} ${lpad(run.seconds.toFixed(2), 8)} ${lpad(run.cpuSeconds?.toFixed(2) ?? '', 7)}  ${pad(rate, 36)} ${lpad(megabytes(run.maxRssBytes), 9)}`);
  }

  const ratio = ours.seconds / decompressors.seconds;
  console.log(
    `\nOTA Lens: ${ours.files} files (${ours.entries} entries), ${(ours.bytesHashed / MB).toFixed(0)} MB hashed, opened in ${ours.openedSeconds.toFixed(2)} s, ` +
      `${(ours.cpuSeconds / ours.seconds).toFixed(2)} cores busy (main thread ${threadCpu(ours)}), ${ours.problems.length} problems`,
  );
  console.log(busyCoresLine(ours));
  console.log(`file hashes matching the generator's: ${hashes.matching}/${hashes.total}${hashes.wrong.length > 0 ? ` (first wrong: ${hashes.wrong.slice(0, 3).join(', ')})` : ''}`);
  if (ours.decodeStats !== null) console.log(`operations decoded: ${decodeLine(ours.decodeStats, info.ops.total - info.ops.ZERO)}`);
  console.log(`standard tools' hashes matching the generator's: ${toolHashes.matching}/${toolHashes.total}`);
  console.log(`ratio OTA Lens / decompressors: ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}): ${ratio <= TARGET_RATIO ? 'holds' : 'MISSED'}`);
  const toolsRatio = ours.seconds / tools.total.seconds;
  console.log(`ratio OTA Lens / standard tools (fsck.erofs --extract + sha256sum): ${toolsRatio.toFixed(2)} (target ≤ ${TARGET_TOOLS_RATIO}): ${toolsRatio <= TARGET_TOOLS_RATIO ? 'holds' : 'MISSED'}`);
  if (decompressors.cpuSeconds !== null) {
    // Less sensitive to other processes than wall time: how much work each side did.
    console.log(`CPU time ratio (all threads): ${(ours.cpuSeconds / decompressors.cpuSeconds).toFixed(2)}`);
    if (ours.cpuByThread !== null) {
      // On an idle machine OTA Lens can at best spread its CPU time over every core, and never
      // finish before its main thread's share; the decompressors each run on one core.
      const bestSeconds = Math.max(ours.cpuSeconds / availableParallelism(), ours.cpuByThread.main);
      console.log(
        `idle-machine bound: OTA Lens ≥ ${bestSeconds.toFixed(1)} s (its CPU over ${availableParallelism()} cores, or its main thread's), ` +
          `decompressors ${decompressors.cpuSeconds.toFixed(1)} s of CPU: ratio ≥ ${(bestSeconds / decompressors.cpuSeconds).toFixed(2)}`,
      );
    }
  }
  console.log(`peak RSS ${(ours.maxRssBytes / MB).toFixed(0)} MB (target < ${TARGET_RSS_BYTES / MB} MB): ${ours.maxRssBytes < TARGET_RSS_BYTES ? 'holds' : 'MISSED'}`);
  for (const line of rssAcrossSizes('ab', ours.maxRssBytes)) console.log(line);
  console.log(`load average after: ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);

  if (values.profile) {
    const profileDir = join(work, 'profile');
    const profiled = measureOtaLens(zipPath, work, profileDir);
    const profilePath = join(profileDir, readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile')));
    const hottest = hottestFunctions(profilePath, 20, { by: 'samples' });
    console.log(
      `\nprofiled run: ${profiled.seconds.toFixed(2)} s, main thread ${threadCpu(profiled)}; idle ${(hottest.idleShare * 100).toFixed(0)} % of the main thread's samples; of the busy ones:`,
    );
    for (const row of hottest.rows) console.log(`${lpad((row.busyShare * 100).toFixed(1), 6)} %  ${row.name}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
