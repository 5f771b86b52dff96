/**
 * An APK is a package too: `otalens ls` and `otalens cat` open it directly, and `!/` enters every
 * APK `otalens apk` reads, data in front of the first entry included. Oracles: Info-ZIP (member
 * names and bytes) and aapt (the package name in the decoded manifest).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aapt } from '../support/aapt.js';
import { REPO_ROOT, run, sha256, unzipMember, unzipNames } from '../support/oracles.js';

const BIN = join(REPO_ROOT, 'bin', 'otalens');
const MMS = join(REPO_ROOT, 'test/fixtures/apk/mms.apk');
const JANUS = join(REPO_ROOT, 'test/fixtures/signing/tampered/v1-janus.apk');
const temp = mkdtempSync(join(tmpdir(), 'otalens-apk-package-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function otalens(...args: string[]): { status: number | null; stdout: Buffer; stderr: string } {
  const result = spawnSync(BIN, args, { cwd: temp, maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

/** The top-level entries of a zip, as Info-ZIP's member names give them. */
const topLevel = (apk: string): string[] => [...new Set(unzipNames(apk).map((name) => `/${name.split('/')[0]}`))].sort();

describe('otalens on an APK file', () => {
  it('ls lists its members as the device tree', () => {
    const { status, stdout, stderr } = otalens('ls', MMS, '--json');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(stdout.toString()).map((entry: { path: string }) => entry.path).sort()).toEqual(topLevel(MMS));
    const all = JSON.parse(otalens('ls', MMS, '/', '--recursive', '--json').stdout.toString()) as { path: string; type: string }[];
    expect(all.filter((entry) => entry.type === 'file').map((entry) => entry.path.slice(1)).sort()).toEqual(unzipNames(MMS).filter((name) => !name.endsWith('/')).sort());
  });

  it('cat prints a member, and --decode its binary XML, with or without a leading /', () => {
    expect(sha256(otalens('cat', MMS, 'resources.arsc').stdout)).toBe(sha256(unzipMember(MMS, 'resources.arsc')));
    const decoded = otalens('cat', MMS, 'AndroidManifest.xml', '--decode').stdout.toString();
    const packageName = /^package: name='([^']+)'/m.exec(aapt(['dump', 'badging', MMS]))?.[1];
    expect(decoded).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<manifest /);
    expect(decoded).toContain(`package="${packageName}"`);
    expect(otalens('cat', MMS, '/AndroidManifest.xml', '--decode').stdout.toString()).toBe(decoded);
  });

  it('info names it an APK, not firmware: no partitions and no missing build.prop', () => {
    const { stdout } = otalens('info', MMS, '--json');
    expect(JSON.parse(stdout.toString())).toMatchObject({ file: 'mms.apk', format: 'apk', partitions: [], problems: [], fingerprint: null });
    const text = otalens('info', MMS);
    expect(text.status).toBe(0);
    expect(text.stdout.toString()).toBe('mms.apk: Android app (APK), not firmware\n  its facts:   otalens apk mms.apk\n  its members: otalens ls mms.apk /\n');
  });

  it('opens an APK with a DEX in front of its first entry (Janus), as otalens apk does', () => {
    expect(readFileSync(JANUS).subarray(0, 4).toString('latin1')).toBe('dex\n');
    const { status, stdout } = otalens('ls', JANUS, '--json');
    expect(status).toBe(0);
    expect(JSON.parse(stdout.toString()).map((entry: { path: string }) => entry.path).sort()).toEqual(topLevel(JANUS));
  });
});

describe('!/ inside a package', () => {
  it('enters every APK otalens apk reads, data in front of the first entry included', () => {
    const tree = join(temp, 'tree');
    mkdirSync(join(tree, 'system', 'app', 'Janus'), { recursive: true });
    writeFileSync(join(tree, 'system', 'app', 'Janus', 'Janus.apk'), readFileSync(JANUS));
    writeFileSync(join(tree, 'system', 'build.prop'), 'ro.build.version.release=8.0.0\n');
    const zip = join(temp, 'ota.zip');
    run('zip', ['-q', '-X', '-r', zip, 'system'], tree);
    const path = '/system/app/Janus/Janus.apk';
    const apk = JSON.parse(otalens('apk', zip, path, '--json').stdout.toString()) as { package: string };
    expect(apk.package).toBe('org.example.signed');
    const listed = otalens('ls', zip, `${path}!/`, '--json');
    expect(listed.stderr).toBe('');
    expect(JSON.parse(listed.stdout.toString()).map((entry: { path: string }) => entry.path).sort()).toEqual(topLevel(JANUS).map((entry) => `${path}!${entry}`));
    expect(sha256(otalens('cat', zip, `${path}!/assets/notice.txt`).stdout)).toBe(sha256(unzipMember(JANUS, 'assets/notice.txt')));
  });
});
