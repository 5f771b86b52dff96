import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SAMPLE_NEW, SAMPLE_OLD, sha256, unzipMember, unzipNames } from '../support/oracles.js';

const temp = mkdtempSync(join(tmpdir(), 'otalens-samples-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('the committed sample pair', () => {
  it('is exactly what scripts/build-samples.mjs makes (re-runnable, byte for byte)', () => {
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-samples.mjs'), '--out', temp], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    for (const [committed, name] of [[SAMPLE_OLD, 'sample-old.zip'], [SAMPLE_NEW, 'sample-new.zip']] as const) {
      const rebuilt = join(temp, name);
      expect(unzipNames(rebuilt)).toEqual(unzipNames(committed));
      for (const member of unzipNames(committed)) {
        expect(sha256(unzipMember(rebuilt, member)), member).toBe(sha256(unzipMember(committed, member)));
      }
      expect(sha256(readFileSync(rebuilt)), `${name} bytes`).toBe(sha256(readFileSync(committed)));
    }
  });

  it('has build.prop files whose properties differ', () => {
    const before = unzipMember(SAMPLE_OLD, 'system/build.prop').toString('utf8');
    const after = unzipMember(SAMPLE_NEW, 'system/build.prop').toString('utf8');
    expect(before).not.toBe(after);
  });
});
