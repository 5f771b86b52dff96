// The security diff: AVB flags read from real vbmeta headers (oracle: Python reading the header
// bytes), and the rules for build flags, init services, file metadata and untrusted_app rules on
// small hand-made builds, each expectation reasoned from Android's meaning of the value.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InitService, LayeredProperty } from '../../shared/inventory.js';
import type { FileEntry, FileMetadata } from '../../shared/model.js';
import type { SecurityInventory, SelinuxPolicy } from '../../shared/security.js';
import { diffSecurity, serviceFacts, type SecuritySide } from '../../shared/securityDiff.js';
import { readVbmetaHeader } from '../../electron/engine/boot/vbmeta.js';
import { comparePackages } from '../../electron/engine/compare.js';
import { InputError } from '../../electron/engine/errors.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import { REPO_ROOT, run } from '../support/oracles.js';

const BOOT = join(REPO_ROOT, 'test/fixtures/boot');

describe('AVB vbmeta flags', () => {
  it.each(['vbmeta.img', 'vbmeta-disabled.img'])('%s: the header flags as Python reads the bytes', async (name) => {
    const bytes = readFileSync(join(BOOT, name));
    const oracle = JSON.parse(run('python3', ['-c', 'import json,struct,sys; d=open(sys.argv[1],"rb").read(256); print(json.dumps({"magic": d[:4].decode(), "flags": struct.unpack(">I", d[120:124])[0], "release": d[128:176].rstrip(b"\\0").decode()}))', join(BOOT, name)])) as { magic: string; flags: number; release: string };
    expect(oracle.magic).toBe('AVB0');
    const facts = await readVbmetaHeader(new BufferByteSource(name, bytes), 'vbmeta');
    expect(facts).toMatchObject({ partition: 'vbmeta', flags: oracle.flags, hashtreeDisabled: (oracle.flags & 1) !== 0, verificationDisabled: (oracle.flags & 2) !== 0, release: oracle.release });
  });

  it('a truncated or foreign vbmeta image is a typed error', async () => {
    const bytes = readFileSync(join(BOOT, 'vbmeta.img'));
    await expect(readVbmetaHeader(new BufferByteSource('short.img', bytes.subarray(0, 100)), 'vbmeta')).rejects.toThrow(new InputError('vbmeta image of 100 bytes is shorter than its header', { file: 'short.img', format: 'vbmeta (vbmeta)', offset: 100, expected: 'at least 256 bytes' }).message);
    const foreign = Buffer.from(bytes);
    foreign.write('XXXX', 0, 'latin1');
    await expect(readVbmetaHeader(new BufferByteSource('foreign.img', foreign), 'vbmeta')).rejects.toThrow(/not a vbmeta image \(magic "XXXX"\)/);
  });

  it('a fastboot package flashed with verity and verification disabled leads with both', async () => {
    const result = await comparePackages(join(BOOT, 'fastboot-new.zip'), join(BOOT, 'fastboot-new-unverified.zip'), { parallel: false });
    expect(result.security?.vbmeta.new).toEqual([expect.objectContaining({ partition: 'vbmeta', flags: 3, verificationDisabled: true, hashtreeDisabled: true })]);
    expect(result.security?.findings.map((finding) => [finding.severity, finding.kind, finding.subject])).toEqual([
      ['serious', 'avb-disabled', 'vbmeta'],
      ['serious', 'avb-disabled', 'vbmeta'],
    ]);
  });
});

const property = (name: string, value: string, line: number, layer = '/system/build.prop'): LayeredProperty => ({ name, value, layer, layers: [{ layer, value, line }] });
const service = (name: string, command: string, options: string[], line = 1): InitService => ({ name, command, options, file: '/system/etc/init/x.rc', line });
const metadata = (mode: number, uid = 0, gid = 0, extra: Partial<FileMetadata> = {}): FileMetadata => ({ mode, uid, gid, selinuxLabel: 'u:object_r:system_file:s0', capabilities: null, ...extra });
const file = (path: string, meta: FileMetadata, type: FileEntry['type'] = 'file'): FileEntry => ({ path, type, size: 1, sha256: null, metadata: meta });
const side = (parts: Partial<SecuritySide>): SecuritySide => ({ files: [], initServices: [], properties: [], ...parts });

describe('build flags', () => {
  it('calls a flag that now weakens the build serious, one weak in both notable, and a fixed one info, each with its line', () => {
    const before = side({ properties: [property('ro.debuggable', '0', 3), property('ro.build.tags', 'release-keys', 4), property('ro.secure', '0', 5), property('ro.build.type', 'userdebug', 6)] });
    const after = side({ properties: [property('ro.debuggable', '1', 7), property('ro.build.tags', 'test-keys', 8), property('ro.secure', '1', 9), property('ro.build.type', 'userdebug', 10)] });
    const findings = diffSecurity(before, after).findings.map((finding) => [finding.severity, finding.subject, finding.evidence.map((evidence) => `${evidence.side}:${evidence.line}`).join(' ')]);
    expect(findings).toEqual([
      ['serious', 'ro.build.tags', 'old:4 new:8'],
      ['serious', 'ro.debuggable', 'old:3 new:7'],
      ['notable', 'ro.build.type', 'old:6 new:10'],
      ['info', 'ro.secure', 'old:5 new:9'],
    ]);
  });

  it('ro.adb.secure counts as weak when it goes away (adb then asks no one)', () => {
    const findings = diffSecurity(side({ properties: [property('ro.adb.secure', '1', 2)] }), side({})).findings;
    expect(findings.map((finding) => [finding.severity, finding.subject])).toEqual([['serious', 'ro.adb.secure']]);
  });
});

describe('init services', () => {
  it('reads user (root when none is named), groups, capabilities, seclabel and classes', () => {
    expect(serviceFacts(service('netd', '/system/bin/netd -v', ['class main', 'socket netd stream 0660 root system', 'capabilities NET_ADMIN NET_RAW', 'group inet', 'seclabel u:r:netd:s0']))).toEqual({
      name: 'netd',
      executable: '/system/bin/netd',
      user: 'root',
      groups: ['inet'],
      capabilities: ['NET_ADMIN', 'NET_RAW'],
      seclabel: 'u:r:netd:s0',
      classes: ['main'],
      at: { path: '/system/etc/init/x.rc', line: 1 },
    });
  });

  it('lists new root services first, then other changes; a service that starts running as root is serious', () => {
    const before = side({ initServices: [service('a', '/system/bin/a', ['user system']), service('gone', '/system/bin/gone', ['user system'])] });
    const after = side({ initServices: [service('a', '/system/bin/a', []), service('new-system', '/system/bin/n', ['user system']), service('new-root', '/system/bin/r', ['class main'])] });
    const diff = diffSecurity(before, after);
    expect(diff.services.map((change) => change.name)).toEqual(['new-root', 'new-system', 'a', 'gone']);
    expect(diff.findings.map((finding) => [finding.severity, finding.kind, finding.subject])).toEqual([
      ['serious', 'root-service', 'a'],
      ['serious', 'root-service', 'new-root'],
      ['info', 'service-removed', 'gone'],
    ]);
  });
});

describe('file metadata', () => {
  it('finds gained capabilities, new world-writable files and changed executables; lost setuid is info', () => {
    const raw = { version: 2 as const, permitted: ['CAP_NET_RAW'], inheritable: [], effective: true };
    const before = side({
      files: [file('/system/bin/ping', metadata(0o755)), file('/system/xbin/su', metadata(0o4755)), file('/system/bin/toybox', metadata(0o755, 0, 2000)), file('/system/etc/hosts', metadata(0o644))],
    });
    const after = side({
      files: [
        file('/system/bin/ping', metadata(0o755, 0, 0, { capabilities: raw })),
        file('/system/xbin/su', metadata(0o755)),
        file('/system/bin/toybox', metadata(0o755, 1000, 2000)),
        file('/system/etc/hosts', metadata(0o666)),
        file('/data/tmp', metadata(0o1777), 'directory'),
      ],
    });
    const diff = diffSecurity(before, after);
    expect(diff.findings.map((finding) => [finding.severity, finding.kind, finding.subject])).toEqual([
      ['serious', 'capabilities-gained', '/system/bin/ping'],
      ['serious', 'world-writable', '/system/etc/hosts'],
      ['notable', 'world-writable', '/data/tmp'],
      ['notable', 'executable-changed', '/system/bin/toybox'],
      // su only lost its setuid bit: that has a finding of its own, not a second one as a changed mode.
      ['info', 'setuid-removed', '/system/xbin/su'],
    ]);
    expect(diff.metadataChanges).toBe(4);
  });
});

describe('SELinux', () => {
  const policy = (permissive: string[], rules: SelinuxPolicy['untrustedAppRules']): SecurityInventory => ({
    selinux: {
      files: ['/system/etc/selinux/plat_sepolicy.cil'],
      precompiledOnly: null,
      domains: ['untrusted_app', 'vendor_x'].map((name) => ({ name, definedAt: null, permissive: permissive.includes(name) ? { path: '/system/etc/selinux/plat_sepolicy.cil', line: 9 } : null, allowRules: 3 })),
      untrustedAppRules: rules,
    },
    vbmeta: [],
  });
  const at = { path: '/system/etc/selinux/plat_sepolicy.cil', line: 20 };

  it('names a newly permissive domain and rules that give installed apps more (serious) or let others act on them (notable)', () => {
    const before = side({ security: policy([], [{ source: 'untrusted_app', target: 'app_data_file', class: 'file', permissions: ['read'], fromUntrustedApp: true, at }]) });
    const after = side({
      security: policy(['vendor_x'], [
        { source: 'untrusted_app', target: 'app_data_file', class: 'file', permissions: ['read', 'write'], fromUntrustedApp: true, at },
        { source: 'vendor_x', target: 'untrusted_app', class: 'process', permissions: ['ptrace'], fromUntrustedApp: false, at },
      ]),
    });
    expect(diffSecurity(before, after).findings.map((finding) => [finding.severity, finding.kind, finding.summary])).toEqual([
      ['serious', 'domain-permissive', 'SELinux domain vendor_x is now permissive: the kernel only logs what it would deny it.'],
      ['serious', 'untrusted-app-rule', 'Installed apps (untrusted_app) gain allow untrusted_app app_data_file:file { write } (added to an existing rule).'],
      ['notable', 'untrusted-app-rule', 'A rule lets vendor_x act on installed apps: allow vendor_x untrusted_app:process { ptrace }.'],
    ]);
  });

  it('lists new and removed domains and the allow-rule counts that changed, naming the biggest growths', () => {
    const path = '/system/etc/selinux/plat_sepolicy.cil';
    const withDomains = (domains: [string, number][]): SecurityInventory => ({
      selinux: { files: [path], precompiledOnly: null, domains: domains.map(([name, allowRules], index) => ({ name, definedAt: { path, line: index + 1 }, permissive: null, allowRules })), untrustedAppRules: [] },
      vbmeta: [],
    });
    const diff = diffSecurity(
      side({ security: withDomains([['gone', 4], ['netd', 10], ['untrusted_app', 30], ['vold', 8]]) }),
      side({ security: withDomains([['netd', 12], ['new_daemon', 5], ['untrusted_app', 31], ['vold', 6]]) }),
    );
    expect(diff.selinux.ruleChanges).toEqual([
      { domain: 'gone', old: 4, new: null },
      { domain: 'netd', old: 10, new: 12 },
      { domain: 'new_daemon', old: null, new: 5 },
      { domain: 'untrusted_app', old: 30, new: 31 },
      { domain: 'vold', old: 8, new: 6 },
    ]);
    expect(diff.findings.map((finding) => [finding.severity, finding.kind, finding.subject, finding.summary, finding.evidence.map((evidence) => `${evidence.side}:${evidence.line}`).join(' ')])).toEqual([
      ['notable', 'domain-added', 'new_daemon', 'New SELinux domain new_daemon with 5 allow rules.', 'new:2'],
      // Growth first by size: netd +2, untrusted_app +1; vold shrank.
      ['notable', 'domain-rules', 'allow rules', '2 SELinux domains have more allow rules, 1 fewer: netd 10 → 12, untrusted_app 30 → 31.', ''],
      ['info', 'domain-removed', 'gone', 'SELinux domain gone is gone.', 'old:1'],
    ]);
  });
});
