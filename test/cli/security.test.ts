// The CLI faces of file metadata and the security diff: `ls --long` as coreutils stat and getfattr
// show the same tree, `ls --json` with the metadata, and `compare` listing the serious findings
// right after the verdicts (the scenario's ground truth in scenarios.json).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, run } from '../support/oracles.js';

const BIN = join(REPO_ROOT, 'bin', 'otalens');
const temp = mkdtempSync(join(tmpdir(), 'otalens-cli-security-'));
let tree: string;
afterAll(() => rmSync(temp, { recursive: true, force: true }));
beforeAll(() => {
  run('tar', ['-xJf', join(REPO_ROOT, 'test/fixtures/metadata/metadata-images.tar.xz'), '-C', temp]);
  tree = join(temp, 'tree');
  run('node', [join(REPO_ROOT, 'scripts/fixtures/build-metadata.mjs'), '--tree', tree]);
});

function otalens(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(BIN, args, { cwd: temp, maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
}

describe('otalens ls --long', () => {
  it('shows each entry of an image with the mode letters and owner stat shows for the tree it was made from, and its label', () => {
    const { status, stdout } = otalens('ls', join(temp, 'ext4-256.img'), '/system', '--recursive', '--long');
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n').filter((line) => !line.includes('/system/lost+found'));
    expect(lines).toHaveLength(20);
    for (const line of lines) {
      const match = /^(\S{10})\s+(\d+):(\d+)\s+\S+(?:, \S+)?\s+(\S+)\s+\/system\/(\S+)/.exec(line);
      if (match === null) throw new Error(`ls --long line not understood: ${line}`);
      const [, mode, uid, gid, label, path] = match;
      const host = join(tree, path ?? '');
      expect(`${mode} ${uid}:${gid}`, path).toBe(run('stat', ['-c', '%A %u:%g', host]).trim());
      const labelOracle = spawnSync('getfattr', ['-h', '--only-values', '-n', 'security.selinux', host]);
      expect(label, path).toBe(labelOracle.status === 0 ? labelOracle.stdout.toString('utf8') : '-');
    }
    // getcap's words for the capabilities, upper-cased as the kernel names them.
    const ping = lines.find((line) => line.includes('/system/bin/ping')) ?? '';
    expect(ping.endsWith(run('getcap', [join(tree, 'bin/ping')]).trim().split(' ').slice(1).join(' ').toUpperCase().replace('=EP', '=ep'))).toBe(true);
  });

  it('ls --json carries the metadata', () => {
    const { status, stdout } = otalens('ls', join(temp, 'ext4-256.img'), '/system/bin/su', '--json');
    expect(status).toBe(0);
    const [su] = JSON.parse(stdout) as { metadata: { mode: number; uid: number; gid: number; selinuxLabel: string } }[];
    expect(su?.metadata).toMatchObject({ mode: parseInt(run('stat', ['-c', '%a', join(tree, 'bin/su')]), 8), uid: 0, gid: 0, selinuxLabel: 'u:object_r:su_exec:s0' });
  });
});

describe('otalens compare', () => {
  it('lists the serious security findings right after the feature verdicts', () => {
    const scenarios = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/scenarios/scenarios.json'), 'utf8')) as { scenarios: { id: string; packages: Record<string, { old: string; new: string }>; expected: Record<string, { security: { setuidAdded: string[]; permissiveAdded: { domain: string; path: string; line: number }[] } }> }[] };
    const scenario = scenarios.scenarios.find((candidate) => candidate.id === 'security-weakened');
    const pair = scenario?.packages['ab-ext4'];
    const expected = scenario?.expected['ab-ext4']?.security;
    const { status, stdout } = otalens('compare', join(REPO_ROOT, 'test/fixtures/scenarios', pair?.old ?? ''), join(REPO_ROOT, 'test/fixtures/scenarios', pair?.new ?? ''));
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    const verdicts = lines.indexOf('Verdicts:');
    const security = lines.indexOf('Security (most serious first):');
    expect(verdicts).toBeGreaterThan(0);
    // Only verdict lines (and a blank line) stand between the two headings.
    expect(lines.slice(verdicts + 1, security).every((line) => line === '' || /^ {2}[✔✘?!·] /.test(line) || /^ {6}(old|new): /.test(line))).toBe(true);
    expect(lines[security + 1]).toContain(expected?.setuidAdded[0]);
    expect(lines[security + 1]).toMatch(/setuid/);
    const permissive = expected?.permissiveAdded[0];
    expect(lines[security + 3]).toContain(`SELinux domain ${permissive?.domain} is now permissive`);
    expect(lines[security + 4]).toBe(`      new: ${permissive?.path}:${permissive?.line}`);
  });
});
