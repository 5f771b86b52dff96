// Run by bench/compare-large.mjs in a fresh Node process: `otalens cat PACKAGE PATH` through the
// CLI's own entry point (of ENGINE_DIST), its output to stdout, and on stderr one JSON line with
// the seconds the command took in the process and the bytes the process read meanwhile (Linux's
// /proc/self/io rchar: every read of every thread, page cache or disk; null elsewhere).
//
//   node bench/lib/catChild.mjs ENGINE_DIST PACKAGE PATH
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [engineDist, packagePath, devicePath] = process.argv.slice(2);

function bytesRead() {
  if (!existsSync('/proc/self/io')) return null;
  return Number(/^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))[1]);
}

const { runCli } = await import(pathToFileURL(join(engineDist, 'electron/cli/main.js')).href);
// After the CLI's modules are loaded, so only what the command reads counts (less this read of /proc).
const before = bytesRead();
const started = performance.now();
const code = await runCli(['cat', packagePath, devicePath]);
const seconds = (performance.now() - started) / 1000;
const after = bytesRead();
process.stderr.write(`${JSON.stringify({ code, seconds, bytesRead: before === null ? null : after - before })}\n`);
process.exitCode = code;
