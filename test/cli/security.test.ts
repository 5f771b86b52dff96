// The CLI faces of file metadata and the security diff: `ls --long` as coreutils stat and getfattr
// show the same tree, `ls --json` with the metadata, and `compare` listing the serious findings
// right after the verdicts (the scenario's ground truth in scenarios.json).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, run, unzipMember } from '../support/oracles.js';

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

interface SecurityScenario {
  packages: Record<string, { old: string; new: string }>;
  expected: Record<string, { security: { setuidAdded: string[]; permissiveAdded: { domain: string; path: string; line: number }[] } }>;
}

function securityWeakened(): SecurityScenario | undefined {
  const scenarios = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/scenarios/scenarios.json'), 'utf8')) as { scenarios: (SecurityScenario & { id: string })[] };
  return scenarios.scenarios.find((candidate) => candidate.id === 'security-weakened');
}

describe('otalens compare', () => {
  it('lists the serious security findings right after the feature verdicts', () => {
    const scenario = securityWeakened();
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

  it('--md puts a Security section right after the verdicts, leading with both, each with the line that shows it', () => {
    const scenario = securityWeakened();
    const pair = scenario?.packages['file-ota'];
    const expected = scenario?.expected['file-ota']?.security;
    const newPackage = join(REPO_ROOT, 'test/fixtures/scenarios', pair?.new ?? '');
    const { status } = otalens('compare', join(REPO_ROOT, 'test/fixtures/scenarios', pair?.old ?? ''), newPackage, '--md', 'security.md', '--quiet');
    expect(status).toBe(0);
    const headings = readFileSync(join(temp, 'security.md'), 'utf8').split('\n').filter((line) => line.startsWith('## '));
    expect(headings.slice(0, 2)).toEqual(['## Verdicts', '## Security']);
    const section = readFileSync(join(temp, 'security.md'), 'utf8').split('## Security\n')[1]?.split('\n## ')[0] ?? '';
    const bullets = section.split('\n').filter((line) => line.startsWith('- '));
    // A 2014 file OTA sets the helper's mode in its updater-script: the line as unzip shows it.
    const helper = expected?.setuidAdded[0] ?? '';
    const script = unzipMember(newPackage, 'META-INF/com/google/android/updater-script').toString('utf8').split('\n');
    const setLine = script.findIndex((line) => line.startsWith(`set_metadata("${helper}",`)) + 1;
    expect(setLine).toBeGreaterThan(0);
    const escaped = (text: string): string => text.replace(/_/g, '\\_');
    expect(bullets[0]).toContain(escaped(helper));
    expect(bullets[0]).toContain('setuid');
    expect(bullets[0]).toContain(`(\`META-INF/com/google/android/updater-script:${setLine}\`)`);
    const permissive = expected?.permissiveAdded[0];
    expect(bullets[1]).toContain(`SELinux domain ${escaped(permissive?.domain ?? '')} is now permissive`);
    expect(bullets[1]).toContain(`(\`${permissive?.path}:${permissive?.line}\`)`);
  });
});
