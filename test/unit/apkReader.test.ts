// The app model (`otalens apk`) checked field by field against aapt's badging, xmltree and resource
// dumps and apksigner, for every APK fixture and a third-party APK.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppComponent, AppModel, PreferenceDefault } from '../../shared/app.js';
import { readApk } from '../../electron/engine/android/apkReader.js';
import { axmlToXmlText, decodeAxml } from '../../electron/engine/android/axml/index.js';
import { InputError } from '../../electron/engine/errors.js';
import { BufferByteSource, FileByteSource } from '../../electron/engine/io/byteSource.js';
import { aapt, aaptResources, aaptXmlTree, APK_FIXTURES, FIXTURE_APKS, thirdPartyApk, unzipMember, type OracleAttribute, type OracleElement, type OracleResource } from '../support/aapt.js';
import { javaTool, run, zipLayout } from '../support/oracles.js';

const temp = mkdtempSync(join(tmpdir(), 'otalens-apk-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const ANDROID = {
  name: 0x01010003,
  permission: 0x01010006,
  protectionLevel: 0x01010009,
  enabled: 0x0101000e,
  exported: 0x01010010,
  scheme: 0x01010027,
  title: 0x010101e1,
  key: 0x010101e8,
  summary: 0x010101e9,
  defaultValue: 0x010101ed,
};

async function readFixture(path: string): Promise<AppModel> {
  return readApk(await FileByteSource.open(path, path.split('/').pop() ?? path), { file: path });
}

/** `aapt dump badging`, the package manager's own summary of an APK. */
function badging(apk: string) {
  const text = aapt(['dump', 'badging', apk]);
  const field = (pattern: RegExp): string | undefined => pattern.exec(text)?.[1];
  // aapt also lists permissions it implies (READ_ for WRITE_EXTERNAL_STORAGE…), with their reason.
  const implied = new Map([...text.matchAll(/^uses-implied-permission: name='([^']+)'(?: maxSdkVersion='\d+')? reason='([^']+)'/gm)].map((match) => [match[1] as string, match[2] as string]));
  const usesPermissions = [...text.matchAll(/^uses-permission: name='([^']+)'(?: maxSdkVersion='(\d+)')?$/gm)].filter((match) => !implied.has(match[1] as string)).map((match) =>
    match[2] === undefined ? { name: match[1] as string } : { name: match[1] as string, maxSdkVersion: Number(match[2]) },
  );
  return {
    package: field(/^package: name='([^']*)'/m),
    versionCode: field(/^package: .* versionCode='(\d*)'/m),
    versionName: field(/^package: .* versionName='([^']*)'/m),
    sdkVersion: field(/^sdkVersion:'(\d+)'/m),
    targetSdkVersion: field(/^targetSdkVersion:'(\d+)'/m),
    label: field(/^application-label:'([^']*)'/m),
    usesPermissions: usesPermissions.sort((a, b) => (a.name < b.name ? -1 : 1)),
    implied,
  };
}

function attribute(element: OracleElement, id: number, name?: string): OracleAttribute | undefined {
  return element.attributes.find((candidate) => candidate.resourceId === id) ?? element.attributes.find((candidate) => name !== undefined && candidate.prefix === 'app' && candidate.name === name);
}

function children(element: OracleElement, name: string): OracleElement[] {
  return element.children.filter((child) => child.name === name);
}

/** Resources in the default configuration, by ID, from aapt's dump. */
function defaultResources(apk: string): Map<number, OracleResource> {
  return new Map(aaptResources(apk).resources.filter((resource) => resource.config === '').map((resource) => [resource.id, resource]));
}

/** Follows references through aapt's dump to the text a person reads. */
function oracleText(value: OracleAttribute['value'] | undefined, resources: Map<number, OracleResource>): string | null {
  if (value === undefined) return null;
  if (value.kind === 'string') return value.text;
  if (value.kind === 'typed') return value.type === 0x12 ? String(value.data !== 0) : String(value.data | 0);
  if (value.kind !== 'reference') return null;
  const resource = resources.get(value.id);
  if (resource === undefined) return null;
  if (resource.bag) return `[${resource.bag.items.map((item) => (item.printed.kind === 'string' ? item.printed.text : '?')).join(', ')}]`;
  if (resource.type === 0x01 && resource.data !== undefined) return oracleText({ kind: 'reference', id: resource.data }, resources);
  if (resource.type === 0x12) return String(resource.data !== 0);
  if (resource.type === 0x10) return String((resource.data ?? 0) | 0);
  return resource.printed?.kind === 'string' ? resource.printed.text : null;
}

function qualify(packageName: string, name: string): string {
  return name.startsWith('.') ? packageName + name : name.includes('.') ? name : `${packageName}.${name}`;
}

const COMPONENT_TAGS: Record<string, AppComponent['type']> = { activity: 'activity', 'activity-alias': 'activity', service: 'service', receiver: 'receiver', provider: 'provider' };

function oracleComponents(manifest: OracleElement, packageName: string, targetSdk: number) {
  const application = children(manifest, 'application')[0];
  if (application === undefined) return [];
  return application.children
    .filter((child) => COMPONENT_TAGS[child.name] !== undefined)
    .map((element) => {
      const type = COMPONENT_TAGS[element.name] as AppComponent['type'];
      const exported = attribute(element, ANDROID.exported);
      const enabled = attribute(element, ANDROID.enabled);
      const filters = children(element, 'intent-filter');
      const names = (filter: OracleElement, tag: string, id: number) =>
        [...new Set(children(filter, tag).map((child) => (attribute(child, id)?.value as { text: string }).text))].sort();
      return {
        type,
        name: qualify(packageName, (attribute(element, ANDROID.name)?.value as { text: string }).text),
        exported: exported?.value.kind === 'typed' ? exported.value.data !== 0 : type === 'provider' ? targetSdk < 17 : filters.length > 0,
        exportedSource: exported === undefined ? 'inferred' : 'declared',
        enabled: enabled?.value.kind === 'typed' ? enabled.value.data !== 0 : true,
        permission: attribute(element, ANDROID.permission)?.value.kind === 'string' ? (attribute(element, ANDROID.permission)?.value as { text: string }).text : null,
        intentFilters: filters.map((filter) => ({ actions: names(filter, 'action', ANDROID.name), categories: names(filter, 'category', ANDROID.name), dataSchemes: names(filter, 'data', ANDROID.scheme) })),
      };
    })
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const TWO_STATE = /(CheckBoxPreference|SwitchPreference|SwitchPreferenceCompat|TwoStatePreference)$/;

function oraclePreferences(apk: string, member: string, resources: Map<number, OracleResource>): Omit<PreferenceDefault, 'line'>[] {
  const out: Omit<PreferenceDefault, 'line'>[] = [];
  const visit = (element: OracleElement): void => {
    const key = attribute(element, ANDROID.key, 'key');
    // Screens and categories only group preferences (Android stores no value under their keys).
    if (key !== undefined && !/Preference(Screen|Category)$/.test(element.name)) {
      const defaultValue = attribute(element, ANDROID.defaultValue, 'defaultValue');
      const preference: Omit<PreferenceDefault, 'line'> = {
        file: member,
        key: oracleText(key.value, resources) ?? '',
        type: element.name,
        title: oracleText(attribute(element, ANDROID.title, 'title')?.value, resources),
        summary: oracleText(attribute(element, ANDROID.summary, 'summary')?.value, resources),
        defaultValue: defaultValue === undefined ? (TWO_STATE.test(element.name) ? 'false' : null) : oracleText(defaultValue.value, resources),
        defaultSource: defaultValue === undefined ? 'implicit' : defaultValue.value.kind === 'reference' ? 'resource' : 'literal',
      };
      if (defaultValue?.value.kind === 'reference') {
        const name = resources.get(defaultValue.value.id)?.name ?? '';
        preference.defaultResource = `@${name.slice(name.indexOf(':') + 1)}`;
      }
      out.push(preference);
    }
    element.children.forEach(visit);
  };
  aaptXmlTree(apk, member).forEach(visit);
  return out;
}

/** Signers as apksigner prints them for the newest scheme present. */
function apksignerDigests(apk: string): string[] {
  const text = javaTool('apksigner', ['verify', '--print-certs', apk]);
  return [...text.matchAll(/^Signer #\d+ certificate SHA-256 digest: ([0-9a-f]{64})$/gm)].map((match) => match[1] as string);
}

async function expectMatchesAapt(apk: string): Promise<AppModel> {
  const app = await readFixture(apk);
  const facts = badging(apk);
  expect(app.package).toBe(facts.package);
  expect(app.versionCode === null ? '' : String(app.versionCode)).toBe(facts.versionCode ?? '');
  expect(app.versionName ?? '').toBe(facts.versionName ?? '');
  expect(app.minSdkVersion === null ? undefined : String(app.minSdkVersion)).toBe(facts.sdkVersion);
  expect(app.targetSdkVersion === null ? undefined : String(app.targetSdkVersion)).toBe(facts.targetSdkVersion);
  expect(app.label ?? undefined).toBe(facts.label === '' ? undefined : facts.label);
  // What the manifest asks for, exactly; what aapt implies, with aapt's reason; anything more comes
  // from the split-permission table of Android versions newer than this aapt (manifestFidelity.test.ts).
  expect(app.usesPermissions.filter((permission) => permission.implied === undefined)).toEqual(facts.usesPermissions);
  for (const [name, reason] of facts.implied) expect(app.usesPermissions.find((permission) => permission.name === name)?.implied?.reason, name).toBe(reason);
  for (const permission of app.usesPermissions.filter((item) => item.implied !== undefined && !facts.implied.has(item.name))) expect(permission.implied?.since, permission.name).toBeGreaterThanOrEqual(29);

  const [manifest] = aaptXmlTree(apk, 'AndroidManifest.xml');
  if (manifest === undefined) throw new Error('aapt shows no manifest');
  const declared = children(manifest, 'permission').map((element) => {
    const level = attribute(element, ANDROID.protectionLevel)?.value;
    return { name: (attribute(element, ANDROID.name)?.value as { text: string }).text, level: level?.kind === 'typed' ? level.data : 0 };
  });
  expect(app.permissions.map((permission) => permission.name)).toEqual(declared.map((permission) => permission.name).sort());
  const targetSdk = Number(app.targetSdkVersion ?? app.minSdkVersion ?? 1);
  expect(app.components).toEqual(oracleComponents(manifest, app.package, targetSdk));

  const resources = defaultResources(apk);
  const expectedPreferences = app.preferences.length === 0 ? [] : [...new Set(app.preferences.map((p) => p.file))].flatMap((member) => oraclePreferences(apk, member, resources));
  expect(app.preferences.map(({ line: _line, ...rest }) => rest)).toEqual(expectedPreferences);
  for (const preference of app.preferences) {
    const xml = axmlToXmlText(decodeAxml(unzipMember(apk, preference.file), { file: apk, member: preference.file })).split('\n');
    expect(xml[preference.line - 1], `${preference.key} line`).toContain(`<${preference.type}`);
  }
  expect([...new Set(app.signers.filter((signer) => signer.scheme === app.signers.at(-1)?.scheme).map((signer) => signer.certificateSha256))]).toEqual(apksignerDigests(apk));
  return app;
}

describe('readApk against aapt and apksigner', () => {
  for (const fixture of FIXTURE_APKS) {
    it(fixture, async () => {
      const app = await expectMatchesAapt(join(APK_FIXTURES, fixture));
      expect(app.problems).toEqual([]);
    });
  }

  it('a third-party APK (io.appium.settings, built by Gradle)', async () => {
    const app = await expectMatchesAapt(thirdPartyApk());
    expect(app.components.length).toBeGreaterThan(3);
  });
});

describe('the 2014 question, answered from mms.apk', () => {
  it('finds MIUI Cloud Messaging on by default through a resource chain, and off in the new build', async () => {
    const before = await readFixture(join(APK_FIXTURES, 'mms.apk'));
    const after = await readFixture(join(APK_FIXTURES, 'mms-new.apk'));
    const cloud = (app: AppModel) => app.preferences.find((preference) => preference.title === 'MIUI Cloud Messaging');
    expect(cloud(before)).toMatchObject({ key: 'pref_key_enable_cloud_messaging', defaultValue: 'true', defaultSource: 'resource', defaultResource: '@bool/def_cloud_messaging' });
    expect(cloud(after)).toMatchObject({ defaultValue: 'false', defaultSource: 'resource' });
    expect(before.permissions.find((permission) => permission.name.endsWith('CLOUD_SYNC'))?.protectionLevel).toBe('signature|privileged');
  });

  it('reads the overlay declaration', async () => {
    const overlay = await readFixture(join(APK_FIXTURES, 'settings-overlay.apk'));
    expect(overlay.overlay).toEqual({ targetPackage: 'com.android.providers.settings', priority: 5, isStatic: true });
  });
});

describe('damaged APKs', () => {
  const apk = join(APK_FIXTURES, 'mms.apk');

  it('a truncated APK is an InputError naming it', async () => {
    const bytes = readFileSync(apk);
    const error = await readApk(new BufferByteSource('half.apk', bytes.subarray(0, bytes.length >> 1)), { file: 'half.apk' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^half\.apk: zip at offset \d+: not a zip file, or a truncated one/);
  });

  it('a corrupt manifest is an InputError naming the member and offset', async () => {
    const manifest = Buffer.from(unzipMember(apk, 'AndroidManifest.xml'));
    manifest.writeUInt32LE(0x7fffffff, 4); // the XML chunk's size, far past the end
    const patched = join(temp, 'manifest.bin');
    writeFileSync(patched, manifest);
    const path = join(temp, 'bad-manifest.apk');
    const script = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as source, zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as target:
    for info in source.infolist():
        data = open(sys.argv[3], 'rb').read() if info.filename == 'AndroidManifest.xml' else source.read(info)
        target.writestr(info.filename, data)
`;
    run('python3', ['-c', script, apk, path, patched]);
    const error = await readApk(new BufferByteSource('bad-manifest.apk', readFileSync(path)), { file: 'bad-manifest.apk' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/bad-manifest\.apk: .*AndroidManifest\.xml.* at offset \d+/);
  });

  it('a corrupt resources.arsc leaves a partial model, marked with a problem', async () => {
    const bytes = Buffer.from(readFileSync(apk));
    const table = zipLayout(apk).find((member) => member.name === 'resources.arsc');
    if (table === undefined) throw new Error('no resources.arsc');
    bytes.writeUInt32LE(0x7fffffff, table.dataOffset + 4);
    const path = join(temp, 'bad-table.apk');
    writeFileSync(path, bytes);
    const app = await readFixture(path);
    expect(app.package).toBe('com.android.mms');
    expect(app.problems.map((problem) => problem.path)).toContain(`${path}!/resources.arsc`);
    expect(app.problems.find((problem) => problem.path === `${path}!/resources.arsc`)?.message).toMatch(/resources not read, references left unresolved/);
    // The changed bytes also break the signatures over them.
    expect(app.signing.verified).toBe(false);
    expect(app.preferences.find((preference) => preference.key === 'pref_key_delivery_reports')?.defaultValue).toBe('true');
  });
});
