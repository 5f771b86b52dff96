// The SELinux policy of a build from its CIL files: domains, permissive domains and allow rules per
// domain, held to the compiled policy: secilc (the CIL compiler) builds the binary policy from the
// same files, and setools' seinfo and sesearch read it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Problem } from '../../shared/model.js';
import type { SelinuxPolicy } from '../../shared/security.js';
import { readCil } from '../../electron/engine/selinux/cilReader.js';
import { summarizeCilPolicy } from '../../electron/engine/selinux/cilPolicy.js';
import { InputError } from '../../electron/engine/errors.js';
import { buildInventory } from '../../electron/engine/inventory/buildInventory.js';
import { comparePackages } from '../../electron/engine/compare.js';
import { markdownSummary, textSummary } from '../../shared/summary.js';
import { POLICY_TEXT_LIMIT } from '../../electron/engine/security/securityInventory.js';
import { tempDir, tool } from '../support/ext4.js';
import { REPO_ROOT } from '../support/oracles.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/selinux');
const temp = tempDir('selinux');
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** The fixture's files under the device paths init loads them from. */
const FILES = [
  { path: '/system/etc/selinux/plat_sepolicy.cil', fixture: 'plat_sepolicy.cil' },
  { path: '/system/etc/selinux/mapping/30.0.cil', fixture: 'mapping/30.0.cil' },
  { path: '/vendor/etc/selinux/vendor_sepolicy.cil', fixture: 'vendor_sepolicy.cil' },
];
const fixtureTexts = (): { path: string; text: string }[] => FILES.map((file) => ({ path: file.path, text: readFileSync(join(FIXTURES, file.fixture), 'utf8') }));

/** secilc compiles the files; the binary policy's path. */
function compile(files: readonly { path: string; text: string }[], name: string): string {
  const paths = files.map((file, index) => {
    const path = join(temp, `${name}-${index}.cil`);
    writeFileSync(path, file.text);
    return path;
  });
  const policy = join(temp, `${name}.bin`);
  tool('secilc', ['-o', policy, '-f', '/dev/null', ...paths]);
  return policy;
}

/** `allow a b:c { p q };` lines of sesearch as [source, target, class, sorted permissions]. */
function sesearch(policy: string, args: string[]): string[][] {
  return tool('sesearch', [policy, '-A', ...args])
    .toString()
    .split('\n')
    .filter((line) => line.startsWith('allow '))
    .map((line) => {
      const match = /^allow (\S+) (\S+):(\S+) (?:\{ ([^}]*) \}|(\S+));$/.exec(line);
      if (match === null) throw new Error(`sesearch line not understood: ${line}`);
      return [match[1] ?? '', match[2] ?? '', match[3] ?? '', (match[4] ?? match[5] ?? '').trim().split(/\s+/).sort().join(' ')];
    });
}

/** The members of attribute `domain` and the permissive types, as seinfo lists them. */
function seinfo(policy: string): { domains: string[]; permissive: string[] } {
  const domains = tool('seinfo', [policy, '-a', 'domain', '-x']).toString().split('\n').slice(3).map((line) => line.trim()).filter((line) => line !== '');
  const permissive = [...tool('seinfo', [policy, '--permissive', '-x']).toString().matchAll(/^\s+type (\S+), /gm)].map((match) => match[1] ?? '');
  return { domains: domains.sort(), permissive: permissive.sort() };
}

/**
 * What setools (the library behind sesearch and seinfo) reads from the compiled policy, in one
 * process: each domain's allow rules, as sesearch --allow -s DOMAIN finds them (rules of the type
 * and of the attributes that hold it), and the rules from or to untrusted_app.
 */
function setoolsView(policy: string, domains: readonly string[]): { counts: Record<string, number>; untrustedApp: string[][] } {
  const script = [
    'import json, sys, setools',
    'p = setools.SELinuxPolicy(sys.argv[1])',
    'rules = lambda **k: list(setools.TERuleQuery(p, ruletype=["allow"], **k).results())',
    'row = lambda r: [str(r.source), str(r.target), str(r.tclass), " ".join(sorted(r.perms))]',
    'counts = {d: len(rules(source=d)) for d in sys.argv[2:]}',
    'both = {tuple(row(r)[:3]): row(r) for r in rules(source="untrusted_app") + rules(target="untrusted_app")}',
    'print(json.dumps({"counts": counts, "untrustedApp": sorted(both.values())}))',
  ].join('\n');
  // Debian's setools lives in the system Python.
  return JSON.parse(tool('/usr/bin/python3', ['-c', script, policy, ...domains]).toString()) as { counts: Record<string, number>; untrustedApp: string[][] };
}

function expectMatchesCompiledPolicy(summary: SelinuxPolicy, policy: string): void {
  const { domains, permissive } = seinfo(policy);
  expect(summary.domains.map((domain) => domain.name)).toEqual(domains);
  expect(summary.domains.filter((domain) => domain.permissive !== null).map((domain) => domain.name)).toEqual(permissive);
  const view = setoolsView(policy, domains);
  expect(Object.fromEntries(summary.domains.map((domain) => [domain.name, domain.allowRules]))).toEqual(view.counts);
  // sesearch itself agrees for a few domains (the library above is what it runs).
  for (const name of ['su', 'untrusted_app', 'vendor_daemon']) expect(summary.domains.find((domain) => domain.name === name)?.allowRules, name).toBe(sesearch(policy, ['-s', name]).length);
  expect(summary.untrustedAppRules.map((rule) => [rule.source, rule.target, rule.class, rule.permissions.join(' ')]).sort()).toEqual(view.untrustedApp.sort());
}

describe('an Android-shaped CIL policy (platform, mapping, vendor)', () => {
  it('has the domains, permissive domains and allow-rule counts the compiled policy has', () => {
    const problems: Problem[] = [];
    const summary = summarizeCilPolicy(fixtureTexts(), null, problems);
    expect(problems).toEqual([]);
    expect(summary.files).toEqual(FILES.map((file) => file.path));
    expect(summary.domains.find((domain) => domain.name === 'su')).toEqual({
      name: 'su',
      definedAt: { path: '/system/etc/selinux/plat_sepolicy.cil', line: expect.any(Number) as number },
      permissive: { path: '/system/etc/selinux/plat_sepolicy.cil', line: expect.any(Number) as number },
      allowRules: expect.any(Number) as number,
    });
    expectMatchesCompiledPolicy(summary, compile(fixtureTexts(), 'fixture'));
  });

  it('still agrees after a domain is made permissive and rules for and against untrusted_app are added', () => {
    const files = fixtureTexts();
    const vendor = files[2] as { path: string; text: string };
    vendor.text += '(typepermissive vendor_daemon)\n(allow untrusted_app_30_0 vendor_exec (file (execute)))\n(allow vendor_daemon untrusted_app (process (ptrace sigchld)))\n(allow domain vendor_exec (file (getattr)))\n';
    const problems: Problem[] = [];
    const summary = summarizeCilPolicy(files, null, problems);
    expect(problems).toEqual([]);
    expect(summary.domains.find((domain) => domain.name === 'vendor_daemon')?.permissive).toEqual({ path: vendor.path, line: 14 });
    expectMatchesCompiledPolicy(summary, compile(files, 'changed'));
  });

  it('cites the line of each permissive statement and domain type', () => {
    const text = fixtureTexts()[0]?.text ?? '';
    const su = summarizeCilPolicy(fixtureTexts(), null, []).domains.find((domain) => domain.name === 'su');
    expect(text.split('\n')[(su?.permissive?.line ?? 0) - 1]).toBe('(typepermissive su)');
    expect(text.split('\n')[(su?.definedAt?.line ?? 0) - 1]).toBe('(type su)');
  });
});

describe('CIL that cannot be read', () => {
  it.each([
    ['(type a', /line 1: a \( is never closed/],
    ['(type a))', /line 1: a \) closes no \(/],
    ['(type a)\n(allow a "b', /line 2: string is not closed/],
    [`${'('.repeat(70)}${')'.repeat(70)}`, /nested more than 64 deep/],
  ])('%j is a typed error naming the line', (text, message) => {
    expect(() => readCil(text, '/system/etc/selinux/plat_sepolicy.cil')).toThrow(InputError);
    expect(() => readCil(text, '/system/etc/selinux/plat_sepolicy.cil')).toThrow(message);
  });

  it('a broken file is a problem and left out; the others are still read', () => {
    const files = [...fixtureTexts(), { path: '/odm/etc/selinux/odm_sepolicy.cil', text: '(type odm_thing)\n(allow odm_thing self (file (read))\n' }];
    const problems: Problem[] = [];
    const summary = summarizeCilPolicy(files, null, problems);
    expect(summary.files).toEqual(FILES.map((file) => file.path));
    expect(problems).toEqual([{ path: '/odm/etc/selinux/odm_sepolicy.cil', message: 'SELinux policy file not read: /odm/etc/selinux/odm_sepolicy.cil: SELinux CIL at offset 17: line 2: a ( is never closed (expected balanced parentheses)' }]);
  });

  it('a malformed statement, an attribute that contains itself and a macro are problems', () => {
    const problems: Problem[] = [];
    summarizeCilPolicy([{ path: '/p.cil', text: '(typeattribute domain)\n(typeattributeset domain (domain x))\n(type x)\n(macro m ((type t)) (allow t self (file (read))))\n' }], null, problems);
    expect(problems).toEqual([
      { path: '/p.cil', message: 'line 4: CIL macro statements need a full CIL compiler; the rules inside them are not counted' },
      { path: '/p.cil', message: 'line 2: attribute domain contains itself; counted without the loop' },
    ]);
    const broken: Problem[] = [];
    expect(summarizeCilPolicy([{ path: '/q.cil', text: '(allow a b)\n' }], null, broken).files).toEqual([]);
    expect(broken).toEqual([{ path: '/q.cil', message: 'SELinux policy file not read: /q.cil: SELinux CIL: line 1: allow takes a source, a target and class permissions, got 2 arguments' }]);
  });

  it('says when only a precompiled binary policy is there', () => {
    expect(summarizeCilPolicy([], '/vendor/etc/selinux/precompiled_sepolicy', [])).toEqual({ files: [], precompiledOnly: '/vendor/etc/selinux/precompiled_sepolicy', domains: [], untrustedAppRules: [] });
  });
});

describe('a build whose policy cannot be summarized', () => {
  const folder = (name: string, files: Record<string, Buffer | number>): string => {
    const root = join(temp, name);
    for (const [path, content] of Object.entries({ 'system/build.prop': Buffer.from('ro.build.fingerprint=test/policy/policy:14/T/1:user/release-keys\n'), ...files })) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      if (typeof content === 'number') tool('truncate', ['-s', String(content), join(root, path)]);
      else writeFileSync(join(root, path), content);
    }
    return root;
  };

  it('says plainly when the only policy is a precompiled binary one, which is not read', async () => {
    const { inventory } = await buildInventory(folder('precompiled', { 'vendor/etc/selinux/precompiled_sepolicy': Buffer.from('not read') }), { pool: null });
    expect(inventory.security?.selinux).toEqual({ files: [], precompiledOnly: '/vendor/etc/selinux/precompiled_sepolicy', domains: [], untrustedAppRules: [] });
    expect(inventory.problems).toContainEqual({ path: '/vendor/etc/selinux/precompiled_sepolicy', message: 'the only SELinux policy is this precompiled binary one, which OTA Lens does not read: no domains or rules are compared' });
  });

  it('says so in the compare text and the Markdown summary when a build has only that binary policy', async () => {
    const platform = readFileSync(join(FIXTURES, 'plat_sepolicy.cil'));
    const result = await comparePackages(folder('with-cil', { 'system/etc/selinux/plat_sepolicy.cil': platform }), folder('binary-only', { 'vendor/etc/selinux/precompiled_sepolicy': Buffer.from('not read') }), { parallel: false });
    expect(result.security?.selinux.new?.precompiledOnly).toBe('/vendor/etc/selinux/precompiled_sepolicy');
    const sentence = "The new build's only SELinux policy is the precompiled binary /vendor/etc/selinux/precompiled_sepolicy, which OTA Lens does not read: its domains and rules are not compared.";
    expect(textSummary(result).split('\n')).toContain(`  · ${sentence}`);
    expect(markdownSummary(result)).toContain(`- ${sentence.replace(/_/g, '\\_').replace(/\./g, '\\.')}`);
  });

  it('names a CIL file too large to read as a problem, and reads the others', async () => {
    const platform = readFileSync(join(FIXTURES, 'plat_sepolicy.cil'));
    const { inventory } = await buildInventory(folder('oversized', { 'system/etc/selinux/plat_sepolicy.cil': platform, 'vendor/etc/selinux/vendor_sepolicy.cil': POLICY_TEXT_LIMIT + 1 }), { pool: null });
    expect(inventory.security?.selinux?.files).toEqual(['/system/etc/selinux/plat_sepolicy.cil']);
    expect(inventory.problems).toContainEqual({ path: '/vendor/etc/selinux/vendor_sepolicy.cil', message: expect.stringMatching(/^SELinux policy file not read: 33554433 bytes, more than the 32 MiB/) });
  });
});
