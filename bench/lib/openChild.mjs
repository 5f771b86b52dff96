// Run by bench/open.mjs in a fresh Node process, so the peak RSS it reports is this work's alone:
// opens the package with the engine, lists every file and hashes each one, then writes what it
// measured to a JSON file.
//
//   node bench/lib/openChild.mjs ENGINE_DIST PACKAGE OUT_JSON
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [engineDist, packagePath, outPath] = process.argv.slice(2);
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds of the main thread and of all other threads (libuv's pool, V8's helpers), from Linux's /proc; null elsewhere. */
function cpuByThread() {
  if (!existsSync('/proc/self/task')) return null;
  const seconds = { main: 0, others: 0 };
  for (const task of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      // Fields after the parenthesised name: utime is field 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      seconds[Number(task) === process.pid ? 'main' : 'others'] += ticks / CLOCK_TICKS_PER_SECOND;
    } catch {
      // The thread ended while being read.
    }
  }
  return seconds;
}
const engine = (module) => import(pathToFileURL(join(engineDist, 'electron/engine', module)).href);
const { buildInventory } = await engine('inventory/buildInventory.js');
// Older engines (--engine) have no decode cache to report on.
const decodeCache = await engine('io/decodeCache.js').then((module) => module.DecodeCache, () => null);

// The engine's own inventory: the same path `otalens inventory` and every comparison take.
const started = performance.now();
let openedSeconds = 0;
const { inventory } = await buildInventory(packagePath, { onOpened: () => (openedSeconds = (performance.now() - started) / 1000) });
const seconds = (performance.now() - started) / 1000;
const usage = process.resourceUsage();
const files = inventory.files.filter((entry) => entry.type === 'file');
writeFileSync(
  outPath,
  JSON.stringify({
    seconds,
    openedSeconds,
    maxRssBytes: usage.maxRSS * 1024,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    cpuByThread: cpuByThread(),
    decodeStats: decodeCache?.shared().stats() ?? null,
    entries: inventory.files.length,
    files: files.length,
    bytesHashed: files.reduce((sum, entry) => sum + entry.size, 0),
    problems: inventory.problems,
    hashes: Object.fromEntries(files.map((entry) => [entry.path, entry.sha256])),
  }),
);
