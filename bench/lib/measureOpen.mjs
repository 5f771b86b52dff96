// The OTA Lens side of the open benches (bench/open.mjs, bench/compare-large.mjs): one package
// opened, listed and every file hashed in a fresh Node process (bench/lib/openChild.mjs), so its
// peak RSS is its own, and its file hashes checked against the generator's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withMachineLoad } from './machineLoad.mjs';
import { timedRun } from './timedRun.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Runs the engine in `engineDist` on `zipPath` in a fresh process; with `profileDir`, under --cpu-prof. */
export function measureOtaLens(engineDist, zipPath, work, profileDir = null) {
  const outPath = join(work, `otalens-${profileDir ? 'profiled' : 'run'}.json`);
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const { othersCores } = withMachineLoad(() => timedRun(process.execPath, [...nodeArgs, join(here, 'openChild.mjs'), engineDist, zipPath, outPath], work));
  return { ...JSON.parse(readFileSync(outPath, 'utf8')), othersCores };
}

/** How many of the generator's file hashes were reproduced (tree paths, with or without /system/). */
export function checkHashes(expected, measured) {
  const found = new Map(Object.entries(measured).map(([path, sha256]) => [path.replace(/^\/?system\//, ''), sha256]));
  let matching = 0;
  const wrong = [];
  for (const [path, sha256] of Object.entries(expected)) {
    if (found.get(path) === sha256) matching++;
    else wrong.push(path);
  }
  return { matching, total: Object.keys(expected).length, wrong };
}
