// The committed APK fixtures: reproducible from scripts/fixtures/build-apks.mjs, signed v1+v2+v3
// (apksigner's verdict), and documented.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, run, sha256 } from '../support/oracles.js';
import { APK_FIXTURES, FIXTURE_APKS, aapt } from '../support/aapt.js';

const ALL_APKS = [...FIXTURE_APKS, 'framework-res.apk'];

describe('APK fixtures', () => {
  const rebuilt = mkdtempSync(join(tmpdir(), 'otalens-apk-rebuild-'));
  afterAll(() => rmSync(rebuilt, { recursive: true, force: true }));

  it('rebuilding with the script gives byte-identical APKs', () => {
    execFileSync('node', [join(REPO_ROOT, 'scripts/fixtures/build-apks.mjs'), rebuilt], { stdio: 'pipe' });
    for (const apk of ALL_APKS) {
      expect(sha256(readFileSync(join(rebuilt, apk))), apk).toBe(sha256(readFileSync(join(APK_FIXTURES, apk))));
    }
    expect(readdirSync(rebuilt).sort()).toEqual([...ALL_APKS].sort());
  });

  for (const apk of FIXTURE_APKS) {
    // --min-sdk-version 19: the overlay declares min SDK 26, where apksigner would skip checking v1.
    it(`${apk} verifies with apksigner (v1, v2 and v3)`, () => {
      const out = run('apksigner', ['verify', '-v', '--print-certs', '--min-sdk-version', '19', join(APK_FIXTURES, apk)]);
      expect(out).toContain('Verified using v1 scheme (JAR signing): true');
      expect(out).toContain('Verified using v2 scheme (APK Signature Scheme v2): true');
      expect(out).toContain('Verified using v3 scheme (APK Signature Scheme v3): true');
      expect(out).toContain('Signer #1 certificate DN: CN=OTA Lens Test Vendor, O=Example');
    });
  }

  it('are what the README says (aapt badging)', () => {
    const readme = readFileSync(join(APK_FIXTURES, 'README.md'), 'utf8');
    for (const apk of ALL_APKS) expect(readme).toContain(`\`${apk}\``);
    expect(aapt(['dump', 'badging', join(APK_FIXTURES, 'mms.apk')])).toContain("package: name='com.android.mms' versionCode='2014010' versionName='5.1.1-miui'");
    expect(aapt(['dump', 'badging', join(APK_FIXTURES, 'mms-new.apk')])).toContain("package: name='com.android.mms' versionCode='2014020' versionName='5.1.2-miui'");
    // Android's own reading of the obfuscated manifest (by resource ID) still finds the version.
    expect(aapt(['dump', 'badging', join(APK_FIXTURES, 'obfuscated-names.apk')])).toContain("versionCode='2014010'");
    expect(aapt(['dump', 'xmltree', join(APK_FIXTURES, 'obfuscated-names.apk'), 'AndroidManifest.xml'])).toContain('zzzzzzzzzzz(0x0101021b)');
  });
});
