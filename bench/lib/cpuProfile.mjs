// Summarises a V8 .cpuprofile (from `node --cpu-prof`): where the main thread spent its time,
// merged by function name and source location. Each row has
//   seconds, share  self time (the time between samples charged to the function) and its share
//                   of the whole profile, idle included
//   busyShare       the share of the samples taken while the thread was busy, counted rather than
//                   timed: on a loaded machine a descheduled thread leaves long gaps between
//                   samples that would otherwise be charged to whatever ran next
// Rows are sorted by `seconds`, or by `busyShare` with { by: 'samples' }. Work on libuv's thread
// pool (native xz/zstd decoding, file reads) does not appear: the main thread shows as "(idle)"
// while it waits for it.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const IDLE = '(idle)';

export function hottestFunctions(profilePath, count = 15, { by = 'time' } = {}) {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
  const names = new Map();
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const where = frame.url ? ` ${basename(frame.url)}:${frame.lineNumber + 1}` : '';
    names.set(node.id, `${frame.functionName || '(anonymous)'}${where}`);
  }
  const byName = new Map();
  let totalMicros = 0;
  let idleSamples = 0;
  profile.samples.forEach((nodeId, index) => {
    const name = names.get(nodeId) ?? '(unknown)';
    const micros = profile.timeDeltas[index] ?? 0;
    totalMicros += micros;
    if (name === IDLE) idleSamples++;
    const row = byName.get(name) ?? { micros: 0, samples: 0 };
    row.micros += micros;
    row.samples += 1;
    byName.set(name, row);
  });
  const busySamples = profile.samples.length - idleSamples;
  const rows = [...byName.entries()]
    .map(([name, row]) => ({
      name,
      seconds: row.micros / 1e6,
      share: totalMicros > 0 ? row.micros / totalMicros : 0,
      busyShare: name === IDLE || busySamples === 0 ? 0 : row.samples / busySamples,
    }))
    .sort((a, b) => (by === 'samples' ? b.busyShare - a.busyShare : b.seconds - a.seconds))
    .slice(0, count);
  return { totalSeconds: totalMicros / 1e6, idleShare: profile.samples.length > 0 ? idleSamples / profile.samples.length : 0, rows };
}
