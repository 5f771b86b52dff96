// Where a `node --cpu-prof` profile of a comparison spent its main-thread time, by source file
// (self time of every function in that file), next to cpuProfile.mjs's by-function view.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export function timeByFile(profilePath, count = 15) {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
  const selfMicros = new Map();
  profile.samples.forEach((nodeId, index) => selfMicros.set(nodeId, (selfMicros.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const byFile = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id) ?? 0;
    if (micros === 0) continue;
    total += micros;
    const { url, functionName } = node.callFrame;
    // Native and V8-internal frames have no url: (garbage collector), (program), (idle)…
    const file = url ? basename(url) : functionName || '(native)';
    byFile.set(file, (byFile.get(file) ?? 0) + micros);
  }
  const rows = [...byFile].sort((a, b) => b[1] - a[1]).slice(0, count);
  return { totalSeconds: total / 1e6, rows: rows.map(([file, micros]) => ({ file, seconds: micros / 1e6, share: micros / total })) };
}
