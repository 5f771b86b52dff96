// How busy the whole machine was while a measurement ran, from Linux's /proc/stat: the CPU time
// every process used, so a run's own CPU time can be told apart from what other work on the
// machine took (wall times of a busy machine say little; see the bench's load-average lines).
import { existsSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU seconds all processes used so far (null where /proc/stat is missing). */
export function machineCpuSeconds() {
  if (!existsSync('/proc/stat')) return null;
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …: everything but idle and iowait is work.
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return (user + nice + system + irq + softirq + (steal ?? 0)) / TICKS_PER_SECOND;
}

/**
 * Runs `measure` (which returns { seconds, cpuSeconds }) and adds `othersCores`: the cores other
 * processes kept busy meanwhile, on average (null where it cannot be told).
 */
export function withMachineLoad(measure) {
  const before = machineCpuSeconds();
  const run = measure();
  const after = machineCpuSeconds();
  const othersCores = before === null || run.cpuSeconds === null ? null : Math.max(0, (after - before - run.cpuSeconds) / run.seconds);
  return { ...run, othersCores };
}
