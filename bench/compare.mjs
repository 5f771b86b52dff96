// Measures a full comparison of two generated file-based OTA zips: wall time, throughput and peak
// memory. Run after `npm run build`:
//
//   node bench/compare.mjs [--files 2000] [--mb 400] [--keep]
//
// The packages are written to a temp folder with Info-ZIP (`zip`), about 5% of files differ.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { files: { type: 'string', default: '2000' }, mb: { type: 'string', default: '400' }, keep: { type: 'boolean' } } });
const fileCount = Number(values.files);
const totalBytes = Number(values.mb) * 1e6;
const { comparePackages } = await import('../dist/electron/engine/compare.js');

const work = mkdtempSync(join(tmpdir(), 'otalens-bench-'));
// One pool of incompressible bytes, shared by both packages so unchanged files are identical.
const pool = randomBytes(8 << 20);
const doubledPool = Buffer.concat([pool, pool]);
const binaryBody = (i, size) => doubledPool.subarray((i * 4099) % pool.length, ((i * 4099) % pool.length) + Math.min(size, pool.length));
function makePackage(name, variant) {
  const root = join(work, name);
  for (let i = 0; i < fileCount; i++) {
    const dir = join(root, 'system', `dir${i % 40}`);
    mkdirSync(dir, { recursive: true });
    const size = Math.max(64, Math.round((totalBytes / fileCount) * (0.2 + ((i * 7919) % 160) / 100)));
    // Half compressible (text-like), half not (binary-like), as in real system images.
    const body = i % 2 === 0 ? Buffer.from(`line ${i} of a config file\n`.repeat(Math.ceil(size / 26))).subarray(0, size) : Buffer.from(binaryBody(i, size));
    if (variant === 'new' && i % 20 === 0) body[0] ^= 1;
    writeFileSync(join(dir, `file${i}.bin`), body);
  }
  writeFileSync(join(root, 'system', 'build.prop'), `ro.build.fingerprint=bench/${variant}\nro.build.id=${variant}\n`);
  const zipPath = join(work, `${name}.zip`);
  execFileSync('zip', ['-q', '-r', '-1', '-X', zipPath, 'system'], { cwd: root });
  rmSync(root, { recursive: true, force: true });
  return zipPath;
}

try {
  const started = performance.now();
  const oldZip = makePackage('old', 'old');
  const newZip = makePackage('new', 'new');
  const packageBytes = statSync(oldZip).size + statSync(newZip).size;
  console.log(`generated 2 packages, ${fileCount} files each, ${(packageBytes / 1e6).toFixed(0)} MB of zip in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const rssBefore = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const result = await comparePackages(oldZip, newZip);
  const seconds = (performance.now() - t0) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`compare: ${seconds.toFixed(2)} s, ${(packageBytes / 1e6 / seconds).toFixed(0)} MB/s of package read, ${result.files.changed.length} changed files found`);
  console.log(`peak RSS: ${peakRssMb.toFixed(0)} MB (before compare: ${(rssBefore / 1024).toFixed(0)} MB)`);
} finally {
  if (values.keep) console.log(`packages kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
