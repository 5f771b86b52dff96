/**
 * Manifest facts as Android reads them, checked against `aapt dump badging` run on APKs aapt builds
 * here: permissions the package parser implies (uses-implied-permission), SDK codenames kept as
 * codenames, and a label that has no default value resolved as a default device would.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppModel } from '../../shared/app.js';
import { readApk } from '../../electron/engine/android/apkReader.js';
import { impliedOnPlatform } from '../../electron/engine/android/impliedPermissions.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import { aapt, APK_FIXTURES } from '../support/aapt.js';

const FRAMEWORK = join(APK_FIXTURES, 'framework-res.apk');
const temp = mkdtempSync(join(tmpdir(), 'otalens-manifest-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const P = 'android.permission.';

let serial = 0;
/** An APK aapt builds from this manifest (and resource files), and what aapt dump badging says of it. */
async function build(manifest: string, resources: Record<string, string> = {}): Promise<{ app: AppModel; badging: string }> {
  const dir = join(temp, `app${serial++}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'AndroidManifest.xml'), manifest);
  for (const [path, text] of Object.entries(resources)) {
    mkdirSync(join(dir, 'res', path, '..'), { recursive: true });
    writeFileSync(join(dir, 'res', path), text);
  }
  const apk = join(dir, 'app.apk');
  aapt(['package', '-f', '-M', join(dir, 'AndroidManifest.xml'), ...(Object.keys(resources).length > 0 ? ['-S', join(dir, 'res')] : []), '-I', FRAMEWORK, '-F', apk]);
  const app = await readApk(new BufferByteSource('app.apk', readFileSync(apk)), { file: 'app.apk' });
  return { app, badging: aapt(['dump', 'badging', apk]) };
}

const manifest = (sdk: string, permissions: string[], application = '<application/>'): string =>
  `<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="org.example.manifest">
  <uses-sdk ${sdk}/>
${permissions.map((name) => `  <uses-permission android:name="${P}${name}"/>`).join('\n')}
  ${application}
</manifest>
`;

/** aapt's uses-permission names and uses-implied-permission reasons. */
function aaptPermissions(badging: string): { names: string[]; implied: Map<string, string> } {
  return {
    names: [...badging.matchAll(/^uses-permission: name='([^']+)'/gm)].map((match) => match[1] ?? ''),
    implied: new Map([...badging.matchAll(/^uses-implied-permission: name='([^']+)'(?: maxSdkVersion='\d+')? reason='([^']+)'/gm)].map((match) => [match[1] ?? '', match[2] ?? ''])),
  };
}

const implied = (app: AppModel): Map<string, string> => new Map(app.usesPermissions.flatMap((permission) => (permission.implied === undefined ? [] : [[permission.name, permission.implied.reason]])));

describe('implied permissions, as aapt dump badging lists them', () => {
  /**
   * Each case: targetSdkVersion, what the manifest asks for, and the permissions Android's newer
   * split-permission table (platform.xml) implies beyond what this aapt (Android 10) knows.
   */
  const CASES: { target: string; asks: string[]; beyondAapt: Record<string, string> }[] = [
    // READ_EXTERNAL_STORAGE, itself implied by WRITE_EXTERNAL_STORAGE, comes first in the table.
    { target: '3', asks: ['READ_CONTACTS', 'WRITE_CONTACTS'], beyondAapt: { READ_MEDIA_AUDIO: 'targetSdkVersion < 33 and requested READ_EXTERNAL_STORAGE', READ_MEDIA_VIDEO: 'targetSdkVersion < 33 and requested READ_EXTERNAL_STORAGE', READ_MEDIA_IMAGES: 'targetSdkVersion < 33 and requested READ_EXTERNAL_STORAGE', ACCESS_MEDIA_LOCATION: 'targetSdkVersion < 29 and requested READ_EXTERNAL_STORAGE', READ_MEDIA_VISUAL_USER_SELECTED: 'requested READ_MEDIA_IMAGES' } },
    { target: '15', asks: ['READ_CONTACTS', 'WRITE_CONTACTS', 'INTERNET'], beyondAapt: {} },
    { target: '16', asks: ['READ_CONTACTS', 'WRITE_EXTERNAL_STORAGE'], beyondAapt: { ACCESS_MEDIA_LOCATION: 'targetSdkVersion < 29 and requested READ_EXTERNAL_STORAGE', READ_MEDIA_AUDIO: 'targetSdkVersion < 33 and requested READ_EXTERNAL_STORAGE', READ_MEDIA_VIDEO: 'targetSdkVersion < 33 and requested READ_EXTERNAL_STORAGE', READ_MEDIA_IMAGES: 'targetSdkVersion < 33 and requested READ_EXTERNAL_STORAGE', READ_MEDIA_VISUAL_USER_SELECTED: 'requested READ_MEDIA_IMAGES' } },
    { target: '28', asks: ['ACCESS_FINE_LOCATION', 'BLUETOOTH'], beyondAapt: { ACCESS_COARSE_LOCATION: 'requested ACCESS_FINE_LOCATION', ACCESS_BACKGROUND_LOCATION: 'targetSdkVersion < 29 and requested ACCESS_FINE_LOCATION', BLUETOOTH_SCAN: 'targetSdkVersion < 31 and requested BLUETOOTH', BLUETOOTH_CONNECT: 'targetSdkVersion < 31 and requested BLUETOOTH', BLUETOOTH_ADVERTISE: 'targetSdkVersion < 31 and requested BLUETOOTH' } },
    { target: '33', asks: ['ACCESS_COARSE_LOCATION', 'BODY_SENSORS', 'READ_CONTACTS'], beyondAapt: { 'health.READ_HEART_RATE': 'targetSdkVersion < 36 and requested BODY_SENSORS' } },
  ];

  for (const { target, asks, beyondAapt } of CASES) {
    it(`targetSdkVersion ${target}, asking for ${asks.join(', ')}`, async () => {
      const { app, badging } = await build(manifest(`android:minSdkVersion="3" android:targetSdkVersion="${target}"`, asks));
      const oracle = aaptPermissions(badging);
      const ours = implied(app);
      for (const [name, reason] of oracle.implied) expect(ours.get(name), name).toBe(reason);
      expect(new Set(app.usesPermissions.map((permission) => permission.name))).toEqual(new Set([...oracle.names, ...Object.keys(beyondAapt).map((name) => `${P}${name}`)]));
      const extra = Object.fromEntries([...ours].filter(([name]) => !oracle.implied.has(name)).map(([name, reason]) => [name.slice(P.length), reason]));
      expect(extra).toEqual(beyondAapt);
      for (const name of asks) expect(app.usesPermissions.find((permission) => permission.name === `${P}${name}`)?.implied, name).toBeUndefined();
    });
  }

  it('inside a build, keeps only what that Android version implies', async () => {
    const { app } = await build(manifest('android:minSdkVersion="3" android:targetSdkVersion="15"', ['READ_CONTACTS', 'ACCESS_FINE_LOCATION']));
    const names = (sdk: number) => impliedOnPlatform(app.usesPermissions, sdk).filter((permission) => permission.implied !== undefined).map((permission) => permission.name.slice(P.length)).sort();
    expect(names(15)).toEqual([]);
    expect(names(19)).toEqual(['READ_CALL_LOG']);
    expect(names(29)).toEqual(['ACCESS_BACKGROUND_LOCATION', 'READ_CALL_LOG']);
    expect(names(34)).toEqual(['ACCESS_BACKGROUND_LOCATION', 'ACCESS_COARSE_LOCATION', 'READ_CALL_LOG']);
  });
});

describe('SDK codenames', () => {
  it('keeps minSdkVersion and targetSdkVersion codenames as aapt prints them', async () => {
    const { app, badging } = await build(manifest('android:minSdkVersion="VanillaIceCream" android:targetSdkVersion="VanillaIceCream"', ['READ_CONTACTS']));
    expect(/^sdkVersion:'([^']+)'/m.exec(badging)?.[1]).toBe('VanillaIceCream');
    expect(/^targetSdkVersion:'([^']+)'/m.exec(badging)?.[1]).toBe('VanillaIceCream');
    expect(app.minSdkVersion).toBe('VanillaIceCream');
    expect(app.targetSdkVersion).toBe('VanillaIceCream');
    // Android's package parser takes a codename target as the development level (10000), so no
    // legacy permission is implied (aapt 10 treats an unknown codename as 0 and implies them).
    expect(implied(app)).toEqual(new Map());
  });
});

describe('a label without a default value', () => {
  const strings = (text: string): string => `<resources><string name="app_name">${text}</string></resources>`;
  const labelled = manifest('android:minSdkVersion="19" android:targetSdkVersion="19"', [], '<application android:label="@string/app_name"/>');
  const CASES: [string, Record<string, string>][] = [
    ['only for mdpi-v4', { 'values-mdpi-v4/strings.xml': strings('Medium v4') }],
    ['for two densities (mdpi device: hdpi scales down)', { 'values-ldpi/strings.xml': strings('Low'), 'values-hdpi/strings.xml': strings('High') }],
    ['for two platform versions', { 'values-v14/strings.xml': strings('Fourteen'), 'values-v21/strings.xml': strings('Twenty-one') }],
    ['for English and for US English', { 'values-en/strings.xml': strings('English'), 'values-en-rUS/strings.xml': strings('US English'), 'values-fr/strings.xml': strings('Français') }],
    ['for English in Britain and in no region', { 'values-en-rGB/strings.xml': strings('British'), 'values-en/strings.xml': strings('English') }],
    ['for French only', { 'values-fr/strings.xml': strings('Français') }],
    ['for German and US English', { 'values-de/strings.xml': strings('Deutsch'), 'values-en-rUS/strings.xml': strings('US English') }],
    ['for portrait and landscape', { 'values-land/strings.xml': strings('Landscape'), 'values-port/strings.xml': strings('Portrait') }],
  ];

  for (const [name, resources] of CASES) {
    it(`resolves one defined ${name} as aapt's default device does`, async () => {
      const { app, badging } = await build(labelled, resources);
      // Without a default value aapt prints no `application-label:` line, only the one it resolved.
      const label = /^application: label='(.*)' icon=/m.exec(badging)?.[1];
      expect(label, badging).toBeTruthy();
      expect(app.label).toBe(label);
    });
  }

  it('still prefers the default value when there is one', async () => {
    const { app } = await build(labelled, { 'values/strings.xml': strings('Default'), 'values-v21/strings.xml': strings('Twenty-one') });
    expect(app.label).toBe('Default');
  });
});
