// The older, generic measurement of bench/compare.mjs (`--kind files`): two zips of FILE_COUNT
// plain files under system/ (about TOTAL_BYTES in all, half text-like, half incompressible), about
// 5 % of files differing, written with Info-ZIP (`zip -1`) into a temp folder. No APKs: it
// measures hashing and listing, not app parsing.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes WORK/old.zip and WORK/new.zip; returns their paths. */
export function makeGenericPair(work, { fileCount, totalBytes }) {
  // One pool of incompressible bytes, shared by both packages so unchanged files are identical.
  const pool = randomBytes(8 << 20);
  const doubledPool = Buffer.concat([pool, pool]);
  const binaryBody = (index, size) => doubledPool.subarray((index * 4099) % pool.length, ((index * 4099) % pool.length) + Math.min(size, pool.length));
  const makePackage = (variant) => {
    const root = join(work, variant);
    for (let index = 0; index < fileCount; index++) {
      const dir = join(root, 'system', `dir${index % 40}`);
      mkdirSync(dir, { recursive: true });
      const size = Math.max(64, Math.round((totalBytes / fileCount) * (0.2 + ((index * 7919) % 160) / 100)));
      const body = index % 2 === 0 ? Buffer.from(`line ${index} of a config file\n`.repeat(Math.ceil(size / 26))).subarray(0, size) : Buffer.from(binaryBody(index, size));
      if (variant === 'new' && index % 20 === 0) body[0] ^= 1;
      writeFileSync(join(dir, `file${index}.bin`), body);
    }
    writeFileSync(join(root, 'system', 'build.prop'), `ro.build.fingerprint=bench/${variant}\nro.build.id=${variant}\n`);
    const zipPath = join(work, `${variant}.zip`);
    execFileSync('zip', ['-q', '-r', '-1', '-X', zipPath, 'system'], { cwd: root });
    rmSync(root, { recursive: true, force: true });
    return zipPath;
  };
  return { oldZip: makePackage('old'), newZip: makePackage('new') };
}
