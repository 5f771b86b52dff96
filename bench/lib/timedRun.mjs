// Runs a command with its output thrown away and measures it: wall seconds always, and CPU
// seconds and peak RSS through GNU time (`/usr/bin/time`) when the machine has it, else null.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

export function timedRun(command, args, scratchDir) {
  const report = join(scratchDir, 'time.txt');
  const withTime = existsSync(GNU_TIME);
  const [program, programArgs] = withTime ? [GNU_TIME, ['-o', report, '-f', '%U %S %M', command, ...args]] : [command, args];
  const started = performance.now();
  const result = spawnSync(program, programArgs, { stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
  if (!withTime) return { seconds, cpuSeconds: null, maxRssBytes: null };
  const [user, system, maxRssKiB] = readFileSync(report, 'utf8').trim().split(/\s+/).map(Number);
  rmSync(report);
  return { seconds, cpuSeconds: user + system, maxRssBytes: maxRssKiB * 1024 };
}
