import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specialFactoryZip } from '../support/ext4.js';
import { propsFromText, REPO_ROOT, run, SAMPLE_NEW, SAMPLE_OLD, sha256, unzipMember, unzipNames } from '../support/oracles.js';

const BIN = join(REPO_ROOT, 'bin', 'otalens');
const temp = mkdtempSync(join(tmpdir(), 'otalens-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function otalens(...args: string[]): { status: number | null; stdout: Buffer; stderr: string } {
  const result = spawnSync(BIN, args, { cwd: temp, maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

/** One readable line on stderr, starting `otalens: `, and no stack trace. */
function expectOneCleanErrorLine(stderr: string): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^otalens: /);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('otalens compare', () => {
  it('prints the JSON result with --json -', () => {
    const { status, stdout, stderr } = otalens('compare', SAMPLE_OLD, SAMPLE_NEW, '--json', '-');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const result = JSON.parse(stdout.toString('utf8'));
    const before = propsFromText(unzipMember(SAMPLE_OLD, 'system/build.prop').toString('utf8'));
    const after = propsFromText(unzipMember(SAMPLE_NEW, 'system/build.prop').toString('utf8'));
    expect(result.schemaVersion).toBe(3);
    expect(result.old).toEqual({
      file: 'sample-old.zip',
      sha256: sha256(readFileSync(SAMPLE_OLD)),
      format: 'file-ota-zip',
      fingerprint: before['ro.build.fingerprint'],
      fingerprintSource: '/system/build.prop ro.build.fingerprint',
      androidVersion: before['ro.build.version.release'],
      securityPatch: null,
      boot: null,
      partitions: [{ name: 'system', fileSystem: 'zip members', size: null, origin: 'system/ in the zip', kind: 'file-system' }],
    });
    expect(before['ro.build.version.security_patch']).toBeUndefined();
    expect(result.new.fingerprint).toBe(after['ro.build.fingerprint']);
    expect(result.properties.changed).toContainEqual({ name: 'ro.build.version.incremental', old: before['ro.build.version.incremental'], new: after['ro.build.version.incremental'], oldLayer: '/system/build.prop', newLayer: '/system/build.prop' });
    expect(Object.keys(result)).toEqual([
      'apps', 'claimableKeys', 'evidenceFiles', 'features', 'files', 'flags', 'initServices', 'new', 'old', 'otherDefaultChanges', 'permissionGrants', 'problems', 'properties', 'schemaVersion', 'security', 'settings', 'sysconfig', 'textDiffs',
    ]);
    // Same inputs, same bytes.
    expect(otalens('compare', SAMPLE_OLD, SAMPLE_NEW, '--json', '-').stdout.equals(stdout)).toBe(true);
  });

  it('prints a short human summary and writes --json, --md and --html files', () => {
    const { status, stdout } = otalens('compare', SAMPLE_OLD, SAMPLE_NEW, '--json', 'out.json', '--md', 'out.md', '--html', 'out.html');
    expect(status).toBe(0);
    const summary = stdout.toString('utf8');
    const after = propsFromText(unzipMember(SAMPLE_NEW, 'system/build.prop').toString('utf8'));
    expect(summary).toContain(`new  ${after['ro.build.fingerprint']}`);
    expect(summary).toMatch(/^Verdicts:$/m);
    expect(summary).toMatch(/^Properties: \d+ changed/m);
    expect(JSON.parse(readFileSync(join(temp, 'out.json'), 'utf8')).schemaVersion).toBe(3);
    expect(readFileSync(join(temp, 'out.md'), 'utf8')).toContain(`\`${after['ro.build.fingerprint']}\``);
    const html = readFileSync(join(temp, 'out.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=["']?https?:/i);
  });

  it('refuses to write an output over an input package', () => {
    const copy = join(temp, 'copy-old.zip');
    writeFileSync(copy, readFileSync(SAMPLE_OLD));
    const { status, stderr } = otalens('compare', copy, SAMPLE_NEW, '--json', copy);
    expect(status).toBe(1);
    expect(stderr).toMatch(/refusing to write .*copy-old\.zip/);
    expect(sha256(readFileSync(copy))).toBe(sha256(readFileSync(SAMPLE_OLD)));
  });

  it('exits 2 with one clear line for a missing file', () => {
    const { status, stderr } = otalens('compare', join(temp, 'nope.zip'), SAMPLE_NEW);
    expect(status).toBe(2);
    expectOneCleanErrorLine(stderr);
    expect(stderr).toMatch(/nope\.zip: file: no such file or folder/);
  });

  it('exits 2 with one clear line for a file that is not a zip', () => {
    const notZip = join(temp, 'notes.txt');
    writeFileSync(notZip, 'just some text\n');
    const { status, stderr } = otalens('compare', notZip, SAMPLE_NEW);
    expect(status).toBe(2);
    expectOneCleanErrorLine(stderr);
    expect(stderr).toMatch(/^otalens: notes\.txt: file at offset 0: not a recognised firmware package/);
  });

  it('exits 2 with one clear line for a truncated zip', () => {
    const truncated = join(temp, 'download.zip');
    const bytes = readFileSync(SAMPLE_NEW);
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 200));
    const { status, stderr } = otalens('compare', SAMPLE_OLD, truncated);
    expect(status).toBe(2);
    expectOneCleanErrorLine(stderr);
    expect(stderr).toMatch(/^otalens: download\.zip: zip at offset \d+: not a zip file, or a truncated one/);
  });

  it('exits 1 on usage errors', () => {
    expect(otalens('compare', SAMPLE_OLD).status).toBe(1);
    expect(otalens('compare', SAMPLE_OLD, SAMPLE_NEW, '--bogus').status).toBe(1);
    expect(otalens('frobnicate').status).toBe(1);
    expect(otalens('compare', SAMPLE_OLD, SAMPLE_NEW, '--html', '-').status).toBe(1);
  });
});

describe('otalens info', () => {
  it('describes a package: kind, build facts, OTA metadata and partitions', () => {
    const { status, stdout } = otalens('info', SAMPLE_NEW, '--json');
    expect(status).toBe(0);
    const description = JSON.parse(stdout.toString('utf8'));
    const props = propsFromText(unzipMember(SAMPLE_NEW, 'system/build.prop').toString('utf8'));
    const metadata = propsFromText(unzipMember(SAMPLE_NEW, 'META-INF/com/android/metadata').toString('utf8'));
    expect(description).toMatchObject({
      file: 'sample-new.zip',
      format: 'file-ota-zip',
      fingerprint: props['ro.build.fingerprint'],
      androidVersion: props['ro.build.version.release'],
      securityPatch: null,
      otaMetadata: metadata,
      partitions: [{ name: 'system', fileSystem: 'zip members', size: null, origin: 'system/ in the zip' }],
      problems: [],
    });
    const text = otalens('info', SAMPLE_NEW).stdout.toString('utf8');
    expect(text).toContain(`fingerprint     ${props['ro.build.fingerprint']}`);
    expect(text).toContain('/system  zip members');
  });
});

describe('otalens ls and cat', () => {
  it('lists the system folder as zipinfo does, plus the updater-script symlinks', () => {
    const { status, stdout } = otalens('ls', SAMPLE_OLD, '/system', '--recursive', '--json');
    expect(status).toBe(0);
    const entries = JSON.parse(stdout.toString('utf8')) as { path: string; type: string; size: number; target?: string }[];
    const files = entries.filter((entry) => entry.type === 'file').map((entry) => entry.path.slice(1));
    expect(files.sort()).toEqual(unzipNames(SAMPLE_OLD).filter((name) => name.startsWith('system/')).sort());
    const script = unzipMember(SAMPLE_OLD, 'META-INF/com/google/android/updater-script').toString('utf8');
    const links = entries.filter((entry) => entry.type === 'symlink');
    for (const link of links) expect(script).toContain(`"${link.path}"`);
    expect(links.map((link) => link.target)).toEqual(links.map(() => 'toolbox'));
  });

  it('cat writes the exact bytes unzip -p extracts', () => {
    for (const member of ['system/build.prop', 'system/bin/toolbox']) {
      const { status, stdout } = otalens('cat', SAMPLE_NEW, `/${member}`);
      expect(status).toBe(0);
      expect(sha256(stdout)).toBe(sha256(unzipMember(SAMPLE_NEW, member)));
    }
  });

  it('cat exits 2 for a path that is not in the package or is a folder', () => {
    const missing = otalens('cat', SAMPLE_NEW, '/system/nothing-here');
    expect(missing.status).toBe(2);
    expectOneCleanErrorLine(missing.stderr);
    expect(missing.stderr).toBe('otalens: sample-new.zip: /system/nothing-here: no such file in the package\n');
    const folder = otalens('cat', SAMPLE_NEW, '/system/etc');
    expect(folder.status).toBe(2);
    expect(folder.stderr).toMatch(/is a folder, not a regular file/);
  });

  it('--help and --version', () => {
    const help = otalens('--help');
    expect(help.status).toBe(0);
    expect(help.stdout.toString('utf8')).toContain('otalens compare OLD NEW');
    const version = otalens('--version');
    expect(version.stdout.toString('utf8').trim()).toBe(`otalens ${JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version}`);
  });
});

describe('otalens apk and cat --decode', () => {
  const apk = join(REPO_ROOT, 'test/fixtures/apk/mms.apk');

  it('apk --json prints the app model; the summary names the cloud messaging default and its source', () => {
    const json = otalens('apk', apk, '--json');
    expect(json.status).toBe(0);
    const app = JSON.parse(json.stdout.toString('utf8'));
    const badging = spawnSync('aapt', ['dump', 'badging', apk], { encoding: 'utf8' }).stdout;
    expect(app.package).toBe(/^package: name='([^']+)'/m.exec(badging)?.[1]);
    expect(app.versionCode).toBe(Number(/versionCode='(\d+)'/.exec(badging)?.[1]));
    const summary = otalens('apk', apk).stdout.toString('utf8');
    expect(summary).toMatch(/pref_key_enable_cloud_messaging = true {2}\[from @bool\/def_cloud_messaging\] {2}"MIUI Cloud Messaging"/);
  });

  const ota = join(temp, 'with-apk.zip');
  beforeAll(() => {
    spawnSync('python3', ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('system/build.prop', 'ro.build.fingerprint=x/y/z:4.4/A/1:user/release-keys\\n')
    z.write(sys.argv[2], 'system/app/Mms/Mms.apk')
`, ota, apk]);
  });

  it('apk reads an APK inside a package through a device path', () => {
    const inside = otalens('apk', ota, '/system/app/Mms/Mms.apk', '--json');
    expect(inside.status).toBe(0);
    expect(JSON.parse(inside.stdout.toString('utf8')).package).toBe('com.android.mms');
    const notApk = otalens('apk', ota, '/system/build.prop');
    expect(notApk.status).toBe(2);
    expectOneCleanErrorLine(notApk.stderr);
  });

  it('cat --decode prints binary XML as XML, nested inside an archive with !/', () => {
    const { status, stdout } = otalens('cat', ota, '/system/app/Mms/Mms.apk!/res/xml/preferences.xml', '--decode');
    expect(status).toBe(0);
    const xml = stdout.toString('utf8');
    expect(xml.startsWith('<?xml')).toBe(true);
    expect(xml).toMatch(/<SwitchPreference[^>]*android:key="pref_key_enable_cloud_messaging"[^>]*android:defaultValue="@bool\/def_cloud_messaging"/s);
    const raw = otalens('cat', ota, '/system/app/Mms/Mms.apk!/res/xml/preferences.xml').stdout;
    expect(sha256(raw)).toBe(sha256(unzipMember(apk, 'res/xml/preferences.xml')));
  });

  it('exits 2 with one line for a corrupt APK', () => {
    const truncated = join(temp, 'truncated.apk');
    writeFileSync(truncated, readFileSync(apk).subarray(0, 3000));
    const { status, stderr } = otalens('apk', truncated);
    expect(status).toBe(2);
    expectOneCleanErrorLine(stderr);
    expect(stderr).toMatch(/^otalens: truncated\.apk: zip at offset 3000: not a zip file, or a truncated one/);
  });
});

describe('otalens on signatures', () => {
  const SIGNING = join(REPO_ROOT, 'test/fixtures/signing');
  const KEYS_OLD = join(REPO_ROOT, 'test/fixtures/scenarios/file-ota/keys-vendor-4.9.1.zip');
  const KEYS_NEW = join(REPO_ROOT, 'test/fixtures/scenarios/file-ota/keys-test-4.9.2.zip');

  it('apk says each signer is verified or why not, and names an AOSP test key', () => {
    const tampered = otalens('apk', join(SIGNING, 'tampered/v1-entry-changed.apk')).stdout.toString('utf8');
    expect(tampered).toMatch(/^ {2}signatures {5}DO NOT VERIFY: v1 signer .*: the SHA-256 digest of "assets\/notice\.txt" does not match MANIFEST\.MF/m);
    expect(tampered).toMatch(/^ {4}v1 {4}[0-9a-f]{64} {2}CN=Example Vendor.* {2}\[NOT VERIFIED \(the SHA-256 digest of "assets\/notice\.txt" does not match MANIFEST\.MF: the entry was changed after signing\)\]$/m);
    const testKey = otalens('apk', join(SIGNING, 'testkey-v1v2v3.apk')).stdout.toString('utf8');
    expect(testKey).toMatch(/^ {2}test keys {6}signed with AOSP's public test key testkey/m);
    expect(testKey).toMatch(/^ {4}v3 {4}[0-9a-f]{64} {2}.* {2}\[verified; AOSP test key "testkey"; API 24–\]$/m);
  });

  it('apk inside a package says whether the app holds the platform key (framework-res.apk’s)', () => {
    const platform = JSON.parse(otalens('apk', KEYS_NEW, '/system/app/FindDevice/FindDevice.apk', '--json').stdout.toString('utf8'));
    expect(platform.signing).toEqual({ verified: true, testKeys: [], platformSigned: true });
    expect(platform.signers.map((signer: { platformKey?: boolean }) => signer.platformKey)).toEqual([true]);
    const testKey = JSON.parse(otalens('apk', KEYS_NEW, '/system/app/Weather/Weather.apk', '--json').stdout.toString('utf8'));
    expect(testKey.signing).toEqual({ verified: true, testKeys: ['testkey'], platformSigned: false });
  });

  it('compare leads with the app signed with a public test key, in the text and the Markdown, and lists the platform key changes', () => {
    const { status, stdout } = otalens('compare', KEYS_OLD, KEYS_NEW, '--md', 'keys.md');
    expect(status).toBe(0);
    const text = stdout.toString('utf8').split('\n');
    // The two build lines, a blank line, then the test keys before the verdicts.
    expect(text[4]).toMatch(/^Signed with AOSP's public test keys/);
    expect(text[5]).toMatch(/^ {2}✘ Weather \(com\.miui\.weather2\) is signed with AOSP's public test key testkey/);
    expect(text.indexOf('Verdicts:')).toBe(7);
    const signatures = text.slice(text.indexOf('Signatures:'));
    expect(signatures[1]).toMatch(/^ {2}! Find device \(com\.xiaomi\.finddevice\) now holds the platform key/);
    expect(signatures[2]).toMatch(/^ {2}· Weather \(com\.miui\.weather2\) no longer holds the platform key/);
    const markdown = readFileSync(join(temp, 'keys.md'), 'utf8').split('\n');
    expect(markdown[2]).toBe("## Signed with AOSP's public test keys");
    expect(markdown.indexOf('## Verdicts')).toBeGreaterThan(2);
    expect(markdown.indexOf('## Signatures')).toBeGreaterThan(markdown.indexOf('## Verdicts'));
  });
});

describe('otalens inventory and compare --claim', () => {
  it('inventory lists every APK of the package with the package name aapt reads from it', () => {
    const { status, stdout } = otalens('inventory', SAMPLE_OLD, '--json');
    expect(status).toBe(0);
    const inventory = JSON.parse(stdout.toString('utf8')) as { apps: { path: string; app: { package: string } | null }[] };
    const apks = unzipNames(SAMPLE_OLD).filter((name) => name.endsWith('.apk'));
    expect(inventory.apps.map((entry) => entry.path)).toEqual(apks.map((name) => `/${name}`).sort());
    for (const name of apks) {
      const extracted = join(temp, 'inventory.apk');
      writeFileSync(extracted, unzipMember(SAMPLE_OLD, name));
      const badging = spawnSync('aapt', ['dump', 'badging', extracted], { encoding: 'utf8' }).stdout;
      expect(inventory.apps.find((entry) => entry.path === `/${name}`)?.app?.package, name).toBe(/^package: name='([^']+)'/m.exec(badging)?.[1]);
    }
  });

  it('checks claims about the new build against the scenario ground truth', () => {
    const truth = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/scenarios/scenarios.json'), 'utf8')) as {
      scenarios: { id: string; expected: Record<string, { cloudMessaging: { new: { state: string } } }> }[];
    };
    const expectedState = truth.scenarios.find((scenario) => scenario.id === 'resource-flip')?.expected['file-ota']?.cloudMessaging.new.state;
    expect(expectedState).toBe('opt-in');
    const { status, stdout } = otalens('compare', SAMPLE_OLD, SAMPLE_NEW, '--claim', 'cloud-messaging=opt-in', '--claim', 'cloud-messaging=default-on', '--json', '-');
    expect(status).toBe(0);
    const claims = (JSON.parse(stdout.toString('utf8')) as { claims: { claimed: string; verdict: string }[] }).claims;
    expect(claims.map((claim) => `${claim.claimed}:${claim.verdict}`)).toEqual(['opt-in:confirmed', 'default-on:contradicted']);
    const bad = otalens('compare', SAMPLE_OLD, SAMPLE_NEW, '--claim', 'cloud-messaging=maybe');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--claim: unknown state "maybe"/);
  });
});


describe('saved inventories, timelines, rules and key claims from the command line', () => {
  const SCENARIOS = join(REPO_ROOT, 'test/fixtures/scenarios');
  const CAROUSEL_OLD = join(SCENARIOS, 'ab-oplus/carousel-off-4.10.1.zip');
  const CAROUSEL_NEW = join(SCENARIOS, 'ab-oplus/carousel-on-4.10.2.zip');
  const CAROUSEL_RULES = join(REPO_ROOT, 'test/fixtures/rules/lockscreen-carousel.yaml');

  it('inventory -o writes a saved inventory (zstd for .zst) that compare reads to the same bytes as the packages', () => {
    for (const [pkg, file] of [[CAROUSEL_OLD, 'old.json.zst'], [CAROUSEL_NEW, 'new.json.gz']] as const) {
      const written = otalens('inventory', pkg, '--json', '-o', file);
      expect(written.status, written.stderr).toBe(0);
      expect(written.stdout.length).toBe(0);
    }
    const printed = otalens('inventory', CAROUSEL_OLD, '--json').stdout.toString('utf8');
    expect(run('zstd', ['-dcq', join(temp, 'old.json.zst')])).toBe(printed);
    const args = ['--features', CAROUSEL_RULES, '--claim', 'lockscreen-carousel=default-on', '--claim', 'flag:com.miui.carousel.show_on_lockscreen=enabled', '--json', '-'];
    const fromPackages = otalens('compare', CAROUSEL_OLD, CAROUSEL_NEW, ...args, '--md', 'from-packages.md', '--html', 'from-packages.html');
    const fromSaved = otalens('compare', 'old.json.zst', 'new.json.gz', ...args, '--md', 'from-saved.md', '--html', 'from-saved.html');
    expect(fromPackages.status).toBe(0);
    expect(fromSaved.stdout.equals(fromPackages.stdout)).toBe(true);
    // The Markdown and the HTML report (the result embedded in it) are the same bytes too.
    for (const suffix of ['md', 'html']) {
      expect(readFileSync(join(temp, `from-saved.${suffix}`)).equals(readFileSync(join(temp, `from-packages.${suffix}`))), suffix).toBe(true);
    }
    const result = JSON.parse(fromSaved.stdout.toString('utf8'));
    expect(result.claims.map((claim: { verdict: string }) => claim.verdict)).toEqual(['confirmed']);
    expect(result.keyClaims.map((claim: { text: string; verdict: string }) => `${claim.text} ${claim.verdict}`)).toEqual(['flag:com.miui.carousel.show_on_lockscreen=enabled confirmed']);
    expect(otalens('inventory', CAROUSEL_OLD, '-o', CAROUSEL_OLD).status).toBe(1);
  });

  it('prints key claims and the flags that flipped in the text and the Markdown', () => {
    const { status, stdout } = otalens('compare', CAROUSEL_OLD, CAROUSEL_NEW, '--features', CAROUSEL_RULES, '--claim', 'prop:persist.sys.lockscreen_carousel=off', '--md', 'carousel.md');
    expect(status).toBe(0);
    const text = stdout.toString('utf8');
    expect(text).toContain('Feature rules:    built-in + lockscreen-carousel.yaml');
    expect(text).toContain('✘ Wallpaper carousel on the lock screen was opt-in in the old build and is on by default in the new build: a regression.');
    expect(text).toContain('prop:persist.sys.lockscreen_carousel=off: CONTRADICTED.');
    expect(text).toContain('~ com.miui.carousel.show_on_lockscreen: disabled (read-write) → enabled (read-write)');
    const markdown = readFileSync(join(temp, 'carousel.md'), 'utf8');
    expect(markdown).toContain('## Flags that flipped or changed');
    expect(markdown).toContain('| `com.miui.carousel.show_on_lockscreen` | `disabled (read-write)` | `enabled (read-write)` | `/system/etc/aconfig_flags.pb` |');
    expect(markdown).toContain('- `prop:persist.sys.lockscreen_carousel=off`: **contradicted**.');
  });

  it('a malformed rules file is one line on stderr naming the file, the rule and the field (exit 2)', () => {
    const broken = join(temp, 'broken-rules.yaml');
    writeFileSync(broken, readFileSync(CAROUSEL_RULES, 'utf8').replace("names: ['^persist", "nmes: ['^persist"));
    const { status, stderr } = otalens('compare', SAMPLE_OLD, SAMPLE_NEW, '--features', broken);
    expect(status).toBe(2);
    expectOneCleanErrorLine(stderr);
    expect(stderr).toBe(`otalens: ${broken}: rule "lockscreen-carousel" (features[0]): matchers[0]: unknown field "nmes" (allowed: kind, names, values)\n`);
  });

  it('rules prints the rules in use, and as a rules document that reads back', () => {
    const text = otalens('rules', '--features', CAROUSEL_RULES);
    expect(text.status).toBe(0);
    expect(text.stdout.toString('utf8')).toMatch(/^ {2}lockscreen-carousel +Wallpaper carousel on the lock screen \[from a rules file; property, flag, code-sdk\]$/m);
    const yaml = otalens('rules', '--yaml');
    writeFileSync(join(temp, 'builtin.yaml'), yaml.stdout);
    const again = otalens('rules', '--features', 'builtin.yaml', '--json');
    expect(again.status).toBe(0);
    expect(again.stdout.toString('utf8')).toBe(otalens('rules', '--json').stdout.toString('utf8'));
  });

  it('timeline orders builds by date and writes text, JSON, Markdown and HTML', () => {
    const builds = ['literal-on-again-4.7.18', 'literal-on-4.7.4', 'literal-off-4.7.11', 'implicit-off-4.7.12'].map((id) => join(SCENARIOS, 'file-ota', `${id}.zip`));
    const { status, stdout, stderr } = otalens('timeline', ...builds, '--claim', 'setting:def_usage_stats_upload=false', '--json', 'timeline.json', '--md', 'timeline.md', '--html', 'timeline.html');
    expect(status, stderr).toBe(0);
    expect(stdout.toString('utf8')).toContain('~ Mi Cloud Messaging: on by default in build 1 (4.7.4); opt-in since build 2 (4.7.11); back to on by default in build 4 (4.7.18).');
    const timeline = JSON.parse(readFileSync(join(temp, 'timeline.json'), 'utf8'));
    expect(timeline.kind).toBe('timeline');
    expect(timeline.builds.map((build: { label: string }) => build.label)).toEqual(['4.7.4', '4.7.11', '4.7.12', '4.7.18']);
    expect(readFileSync(join(temp, 'timeline.md'), 'utf8')).toContain('| `setting:def_usage_stats_upload=false` |');
    const html = readFileSync(join(temp, 'timeline.html'), 'utf8');
    expect(html).toContain('<title>OTA Lens timeline: 4 builds (literal-on-4.7.4.zip … literal-on-again-4.7.18.zip)</title>');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=["']?https?:/i);
    const one = otalens('timeline', builds[0] as string);
    expect(one.status).toBe(1);
    const feature = otalens('timeline', ...builds, '--claim', 'cloud-messaging=opt-in');
    expect(feature.status).toBe(1);
    expect(feature.stderr).toMatch(/a timeline follows every feature already/);
  });
});

describe('otalens ls and cat: device nodes, raw names, a partition that could not be read', () => {
  let packagePath = '';
  let systemImage = '';
  beforeAll(() => {
    ({ packagePath, systemImage } = specialFactoryZip(temp));
  });

  it('ls and cat of a path in the unreadable partition exit 2 with that partition\'s problem', () => {
    for (const args of [['ls', packagePath, '/vendor'], ['ls', packagePath, '/vendor/etc', '--json'], ['cat', packagePath, '/vendor/build.prop']]) {
      const { status, stdout, stderr } = otalens(...args);
      expect(status, args.join(' ')).toBe(2);
      expect(stdout.length, args.join(' ')).toBe(0);
      expectOneCleanErrorLine(stderr);
      expect(stderr, args.join(' ')).toMatch(/the \/vendor partition could not be read, so nothing in it can be shown \(.*no ext4 or EROFS file system found/);
    }
  });

  it('ls / lists the partitions read and says on stderr which one was not', () => {
    const { status, stdout, stderr } = otalens('ls', packagePath, '/', '--json');
    expect(status).toBe(0);
    expect(JSON.parse(stdout.toString('utf8'))).toEqual([{ path: '/system', size: 0, type: 'directory' }]);
    expect(stderr).toMatch(/^otalens: \/vendor: partition not read: .*no ext4 or EROFS file system found/);
  });

  /** An entry's metadata as debugfs reads the inode: mode and owner; no label or capabilities, as ea_list prints no attribute. */
  const inodeMetadata = (path: string): { mode: number; uid: number; gid: number; selinuxLabel: null; capabilities: null } => {
    const stat = run('debugfs', ['-R', `stat ${path}`, systemImage]);
    expect(run('debugfs', ['-R', `ea_list ${path}`, systemImage]), path).toBe('');
    return { mode: parseInt(/Mode:\s+(\d+)/.exec(stat)?.[1] ?? 'NaN', 8), uid: Number(/User:\s+(\d+)/.exec(stat)?.[1]), gid: Number(/Group:\s+(\d+)/.exec(stat)?.[1]), selinuxLabel: null, capabilities: null };
  };

  it('lists device nodes with their numbers (as debugfs reads them), FIFOs and sockets, in text and JSON', () => {
    const numbers = (path: string): string => /Device major\/minor number: (\d+):(\d+)/.exec(run('debugfs', ['-R', `stat ${path}`, systemImage]))?.slice(1).map(Number).join(', ') ?? '';
    const text = otalens('ls', packagePath, '/system/dev');
    expect(text.status).toBe(0);
    expect(text.stdout.toString('utf8').split('\n')).toEqual([
      `c ${numbers('/dev/big').padStart(12)}  /system/dev/big`,
      `p ${'0'.padStart(12)}  /system/dev/fifo`,
      `b ${numbers('/dev/loop0').padStart(12)}  /system/dev/loop0`,
      `c ${numbers('/dev/null').padStart(12)}  /system/dev/null`,
      `s ${'0'.padStart(12)}  /system/dev/socket`,
      '',
    ]);
    const json = JSON.parse(otalens('ls', packagePath, '/system/dev/null', '--json').stdout.toString('utf8'));
    expect(json).toEqual([{ path: '/system/dev/null', type: 'char-device', size: 0, device: { major: 1, minor: 3 }, metadata: inodeMetadata('/dev/null') }]);
    const fifo = otalens('cat', packagePath, '/system/dev/fifo');
    expect(fifo.status).toBe(2);
    expect(fifo.stderr).toMatch(/\/system\/dev\/fifo: is a FIFO \(named pipe\), not a regular file/);
  });

  it('prints raw names escaped, and cat takes the escaped name back to the same bytes debugfs dumps', () => {
    const listing = otalens('ls', packagePath, '/system/names').stdout.toString('utf8');
    expect(listing).toContain('/system/names/bad-\\xff.txt\n');
    expect(listing).toContain('/system/names/bad-\\\\xff.txt\n');
    const dumped = (raw: Buffer): Buffer => {
      const out = join(temp, 'dumped');
      const commands = join(temp, 'dump-commands');
      writeFileSync(commands, Buffer.concat([Buffer.from('dump "/names/'), raw, Buffer.from(`" ${out}\n`)]));
      spawnSync('debugfs', ['-f', commands, systemImage]);
      return readFileSync(out);
    };
    for (const [shown, raw] of [
      ['bad-\\xff.txt', Buffer.from([0x62, 0x61, 0x64, 0x2d, 0xff, 0x2e, 0x74, 0x78, 0x74])],
      ['bad-\\\\xff.txt', Buffer.from('bad-\\xff.txt')],
      ['trailing\\x21', Buffer.from('trailing!')],
    ] as const) {
      const { status, stdout } = otalens('cat', packagePath, `/system/names/${shown}`);
      expect(status, shown).toBe(0);
      expect(stdout.equals(dumped(raw)), shown).toBe(true);
    }
  });

  it('inventory --json lists device nodes with their numbers', () => {
    const { status, stdout } = otalens('inventory', packagePath, '--json');
    expect(status).toBe(0);
    const inventory = JSON.parse(stdout.toString('utf8'));
    expect(inventory.files).toContainEqual({ path: '/system/dev/big', type: 'char-device', size: 0, device: { major: 300, minor: 70000 }, sha256: null, metadata: inodeMetadata('/dev/big') });
    expect(inventory.files).toContainEqual({ path: '/system/dev/socket', type: 'socket', size: 0, sha256: null, metadata: inodeMetadata('/dev/socket') });
    expect(inventory.problems).toContainEqual({ path: '/vendor', message: expect.stringMatching(/^partition not read: /) });
  });
});

describe('otalens on code: SDKs and servers', () => {
  const DEX_FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'dex');
  const SCENARIOS = join(REPO_ROOT, 'test', 'fixtures', 'scenarios');

  it('apk --json gains code: the DEX files, their class count (as dexdump counts), the SDKs and servers', () => {
    const apk = join(DEX_FIXTURES, 'tracker-app.apk');
    const { status, stdout, stderr } = otalens('apk', apk, '--json');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const { code } = JSON.parse(stdout.toString('utf8'));
    const classes = (member: string) => {
      writeFileSync(join(temp, member), unzipMember(apk, member));
      return run('dexdump', [join(temp, member)]).match(/^ {2}Class descriptor/gm)?.length ?? 0;
    };
    expect(code.dexFiles).toEqual(['classes.dex', 'classes2.dex']);
    expect(code.classCount).toBe(classes('classes.dex') + classes('classes2.dex'));
    expect(code.sdks.map((sdk: { id: string }) => sdk.id)).toEqual(['firebase-cloud-messaging', 'google-firebase-analytics', 'tencent-bugly', 'umeng-analytics', 'umeng-common', 'xiaomi-push']);
    expect(code.hosts.map((host: { host: string }) => host.host)).toContain('alog.umeng.com');
  });

  it('apk prints the SDKs with their evidence and the servers; inventory says why a preopted app\'s code is missing', () => {
    const text = otalens('apk', join(DEX_FIXTURES, 'tracker-app.apk')).stdout.toString('utf8');
    expect(text).toContain('Umeng Analytics (analytics) [tracker]  com.umeng.analytics.MobclickAgent in classes.dex');
    expect(text).toContain('alog.umeng.com  "https://alog.umeng.com/app_logs" in classes.dex');
    const inventory = otalens('inventory', join(DEX_FIXTURES, 'preopted')).stdout.toString('utf8');
    expect(inventory).toMatch(/com\.example\.modern {2}\/system\/app\/Modern\/Modern\.apk {2}\[SDKs unknown, 0 servers; code not in the build's files\]/);
  });

  it('compare says which app gained a tracker and servers while no default changed, in the text and the Markdown', () => {
    const { status, stdout } = otalens('compare', join(SCENARIOS, 'file-ota', 'code-push-4.9.30.zip'), join(SCENARIOS, 'file-ota', 'code-tracker-4.9.31.zip'), '--md', 'code.md');
    expect(status).toBe(0);
    const text = stdout.toString('utf8');
    expect(text).toContain('Gained a tracker: 1 app (com.android.mms)');
    expect(text).toContain('Messaging (com.android.mms) now carries the tracker Umeng Analytics (analytics)');
    const markdown = readFileSync(join(temp, 'code.md'), 'utf8');
    expect(markdown).toContain('## Trackers and servers');
    expect(markdown).toContain('tracker `Umeng Analytics (analytics)` (`com.umeng.analytics.MobclickAgent` in `classes.dex`)');
    expect(markdown).toContain('server `data.mms.example-vendor.cn`');
  });
});
