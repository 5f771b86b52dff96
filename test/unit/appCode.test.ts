// The code layer of apps: SDKs by the classes their DEX files define, servers named in their DEX,
// resources and XML, each with evidence checked against dexdump, baksmali and aapt; preopted apps
// read from their VDEX, the platform from its framework jars, an APEX from its javalib jars.
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCode, AppModel } from '../../shared/app.js';
import { readApk } from '../../electron/engine/android/apkReader.js';
import { bareHost, HOST_STRINGS, hostsIn, mayNameHost, nonEndpointReason } from '../../electron/engine/android/code/hostFinder.js';
import { readDex } from '../../electron/engine/android/dex/dexFile.js';
import { BufferByteSource, FileByteSource } from '../../electron/engine/io/byteSource.js';
import { buildInventory } from '../../electron/engine/inventory/buildInventory.js';
import { assembleDex, SDK_CLASSES } from '../../scripts/fixtures/lib/dexTools.mjs';
import { SDKS } from '../../shared/sdks.js';
import { baksmaliStrings, dexdumpClasses } from '../support/dexOracles.js';
import { REPO_ROOT, toolOutput, unzipMember } from '../support/oracles.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/dex');
/** The SDKs the tracker app's DEX files hold, by construction (scripts/fixtures/build-dex.mjs). */
const TRACKER_SDKS = { 'classes.dex': ['umeng-analytics', 'umeng-common', 'xiaomi-push', 'firebase-cloud-messaging'], 'classes2.dex': ['google-firebase-analytics', 'tencent-bugly'] };
/** The servers its strings name, by construction, and the non-endpoints with their reasons. */
const TRACKER_HOSTS = [
  '114.114.114.114', '2400:3200::1', 'alog.umeng.com', 'android.bugly.qq.com', 'api.example-vendor.cn', 'app-measurement.com', 'cleartext.example-vendor.cn',
  'fcm.googleapis.com', 'feedback.example-vendor.cn', 'push.xmpush.xiaomi.com', 'register.xmpush.xiaomi.com', 'stats.example-vendor.cn', 'ulogs.umeng.com',
];
const TRACKER_NON_ENDPOINTS = {
  '127.0.0.1': 'this device',
  'developer.android.com': 'documentation or licence link',
  'schemas.android.com': 'XML namespace or schema URI',
  'www.apache.org': 'documentation or licence link',
  'www.example.com': 'reserved example name',
};

let temp: string;
beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'otalens-code-'));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function readFixture(name: string): Promise<AppModel> {
  return readApk(await FileByteSource.open(join(FIXTURES, name), name), { file: name });
}

const oracleCache = new Map<string, string[]>();

/** The strings of a place of an APK, as the oracles read them: baksmali for DEX, aapt for resources and XML. */
function oracleStrings(apk: string, place: string): string[] {
  const key = `${apk}\u0000${place}`;
  const cached = oracleCache.get(key);
  if (cached !== undefined) return cached;
  const strings = readOracleStrings(apk, place);
  oracleCache.set(key, strings);
  return strings;
}

function readOracleStrings(apk: string, place: string): string[] {
  if (place.endsWith('.dex')) {
    const dexPath = join(temp, `${place}-${Math.random().toString(36).slice(2)}`);
    writeFileSync(dexPath, unzipMember(apk, place));
    return baksmaliStrings(dexPath);
  }
  const dump = place === 'resources.arsc' ? toolOutput('aapt', ['dump', 'strings', apk]) : toolOutput('aapt', ['dump', 'xmlstrings', apk, place]);
  return [...dump.toString('utf8').matchAll(/^String #\d+: (.*)$/gm)].map((match) => match[1] as string);
}

/** The classes a DEX member defines, as dexdump lists them. */
function oracleClasses(apk: string, member: string): string[] {
  const dexPath = join(temp, `${member}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(dexPath, unzipMember(apk, member));
  return dexdumpClasses(dexPath).map((descriptor) => descriptor.slice(1, -1).replace(/\//g, '.'));
}

function expectTrackerCode(code: AppCode, apk: string): void {
  expect(code.status).toBe('read');
  expect(code.dexFiles).toEqual(['classes.dex', 'classes2.dex']);
  expect(code.classCount).toBe(oracleClasses(apk, 'classes.dex').length + oracleClasses(apk, 'classes2.dex').length);
  const expectedSdks = Object.entries(TRACKER_SDKS).flatMap(([dexFile, ids]) => ids.map((id) => ({ id, dexFile })));
  expect(code.sdks.map((sdk) => sdk.id)).toEqual(expectedSdks.map((sdk) => sdk.id).sort());
  for (const sdk of code.sdks) {
    const standIns = (SDK_CLASSES[sdk.id] ?? []).map((spec) => spec.name).sort();
    expect(sdk.evidence.className).toBe(standIns[0]);
    expect(sdk.evidence.dexFile).toBe(expectedSdks.find((expected) => expected.id === sdk.id)?.dexFile);
    expect(oracleClasses(apk, sdk.evidence.dexFile)).toContain(sdk.evidence.className);
    expect(sdk.classCount).toBe(standIns.length);
    expect(sdk.name).toBe(SDKS.find((definition) => definition.id === sdk.id)?.name);
  }
  expect(code.hosts.map((host) => host.host)).toEqual(TRACKER_HOSTS);
  expect(Object.fromEntries(code.nonEndpoints.map((host) => [host.host, host.reason]))).toEqual(TRACKER_NON_ENDPOINTS);
  // Every sample is a string the oracles find where the evidence says.
  for (const host of [...code.hosts, ...code.nonEndpoints]) {
    expect(oracleStrings(apk, host.foundIn), `${host.host} in ${host.foundIn}`).toContain(host.sample);
    for (const place of host.alsoIn ?? []) expect(oracleStrings(apk, place).some((text) => text.toLowerCase().includes(host.host)), `${host.host} also in ${place}`).toBe(true);
  }
}

describe('the code layer of an APK', () => {
  it('finds the SDKs by the classes dexdump lists, and the servers in the strings baksmali and aapt list', async () => {
    const app = await readFixture('tracker-app.apk');
    expectTrackerCode(app.code as AppCode, join(FIXTURES, 'tracker-app.apk'));
    expect(app.problems).toEqual([]);
  });

  it('reads stored DEX members in place the same as deflated ones', async () => {
    const stored = await readFixture('tracker-app-stored.apk');
    const deflated = await readFixture('tracker-app.apk');
    expect(toolOutput('unzip', ['-Z', '-v', join(FIXTURES, 'tracker-app-stored.apk'), 'classes.dex']).toString()).toMatch(/compression method:\s+none \(stored\)/);
    expectTrackerCode(stored.code as AppCode, join(FIXTURES, 'tracker-app-stored.apk'));
    expect(stored.code).toEqual(deflated.code);
  });

  it('a truncated classes2.dex is a problem of that app, and classes.dex is still read', async () => {
    const app = await readFixture('corrupt-dex-app.apk');
    const code = app.code as AppCode;
    expect(code.status).toBe('partial');
    expect(code.reason).toContain('classes2.dex');
    expect(code.dexFiles).toEqual(['classes.dex']);
    expect(code.sdks.map((sdk) => sdk.id)).toEqual([...TRACKER_SDKS['classes.dex']].sort());
    // Nothing of the broken DEX counts as evidence.
    expect(code.hosts.filter((host) => host.foundIn === 'classes2.dex' || host.alsoIn?.includes('classes2.dex'))).toEqual([]);
    expect(app.problems).toHaveLength(1);
    expect(app.problems[0]?.path).toBe('corrupt-dex-app.apk!/classes2.dex');
    expect(app.problems[0]?.message).toMatch(/^code not read: .*dex › classes2\.dex › header at offset 32: truncated/);
    // The facts of the rest of the app stand.
    expect(app.package).toBe('com.example.trackers');
    expect(app.signing.verified).toBe(true);
  });

  it('an app without code says so, and its resources and XML still name servers', async () => {
    const code = (await readFixture('no-code-app.apk')).code as AppCode;
    expect(code.status).toBe('no-code');
    expect(code.dexFiles).toEqual([]);
    expect(code.hosts.map((host) => [host.host, host.foundIn])).toEqual([
      ['cleartext.example-vendor.cn', 'res/xml/network_security_config.xml'],
      ['feedback.example-vendor.cn', 'resources.arsc'],
    ]);
  });

  it('code analysis can be turned off', async () => {
    const app = await readApk(await FileByteSource.open(join(FIXTURES, 'tracker-app.apk'), 'tracker-app.apk'), { file: 'tracker-app.apk' }, { code: false });
    expect(app.code).toBeNull();
  });
});

describe('what is a server', () => {
  it('takes hosts from URLs of network schemes, and bare strings only when they cannot be anything else', () => {
    expect(hostsIn('see https://User:pw@API.Example.cn:8443/x and wss://push.example.org/ws')).toEqual(['api.example.cn', 'push.example.org']);
    expect(hostsIn('content://com.android.contacts/data')).toEqual([]);
    expect(hostsIn('https://%s/api')).toEqual([]);
    expect(['data.mistat.xiaomi.com', 'umeng.com', 'www.example.de', '8.8.8.8'].map(bareHost)).toEqual(['data.mistat.xiaomi.com', 'umeng.com', 'www.example.de', '8.8.8.8']);
    expect(['ro.build.id', 'libfoo.so', 'user.email', 'com.umeng.analytics', 'example.de', 'Main.java', '1.2.3.400', 'persist.sys.locale.cn', '7.1.22.1', '2.4.29.1'].map(bareHost)).toEqual(Array(10).fill(null));
    expect(['114.114.114.114', '1.1.1.1', '223.5.5.5'].map(bareHost)).toEqual(['114.114.114.114', '1.1.1.1', '223.5.5.5']);
  });

  it('judges a DEX string from its bytes as from its text (every string baksmali lists, and edge cases)', async () => {
    const edgeCases = ['a.b', 'a.bc', 'x/y.z', 'http:/x.y', 'ftp://h', 'Lcom/a/B;', 'A.b.c', 'a b.c', 'ab:/c//d', '://', 'x://', 'café.cn', 'ñ.b'];
    const temp = mkdtempSync(join(tmpdir(), 'otalens-host-strings-'));
    try {
      assembleDex([{ name: 'com.example.Edge', strings: edgeCases }], temp, 'edge');
      for (const path of [join(FIXTURES, 'tracker-classes.dex'), join(FIXTURES, 'tracker-classes2.dex'), join(temp, 'edge.dex')]) {
        const handedOn = new Set<string>();
        await readDex(new BufferByteSource(path, readFileSync(path)), { file: 'test.apk', dex: 'classes.dex' }, (text) => handedOn.add(text), { filter: HOST_STRINGS });
        const classes = new Set(dexdumpClasses(path));
        const strings = baksmaliStrings(path);
        expect(strings.length).toBeGreaterThan(10);
        for (const text of strings) {
          // Class descriptors are handed on whatever the filter says.
          if (classes.has(text)) continue;
          // A prefilter: never misses what the text test finds; for ASCII the very same answer.
          if (mayNameHost(text)) expect(handedOn.has(text), text).toBe(true);
          if (Buffer.byteLength(text) === text.length) expect(handedOn.has(text), text).toBe(mayNameHost(text));
        }
      }
      expect(baksmaliStrings(join(temp, 'edge.dex'))).toEqual(expect.arrayContaining(edgeCases));
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });

  it('keeps namespaces, documentation, example and local addresses apart, with the reason', () => {
    expect(nonEndpointReason('www.w3.org')).toBe('XML namespace or schema URI');
    expect(nonEndpointReason('api.example.com')).toBe('reserved example name');
    expect(nonEndpointReason('router.test')).toBe('reserved example name');
    expect(nonEndpointReason('192.168.1.1')).toBe('private or link-local network address');
    expect(nonEndpointReason('172.32.0.1')).toBeNull();
    expect(nonEndpointReason('::1')).toBe('this device');
    expect(nonEndpointReason('alog.umeng.com')).toBeNull();
  });
});

describe('code outside the APK, in a preopted build (an unpacked folder)', () => {
  let apps: Map<string, AppModel>;
  let problems: { path: string; message: string }[];
  const preopted = join(FIXTURES, 'preopted', 'system');
  beforeAll(async () => {
    const { inventory } = await buildInventory(join(FIXTURES, 'preopted'), { pool: null });
    apps = new Map(inventory.apps.map((entry) => [entry.path, entry.app as AppModel]));
    problems = inventory.problems;
  });

  it('reads a preopted app\'s DEX from its version 021 VDEX', () => {
    const code = apps.get('/system/app/Preopted/Preopted.apk')?.code as AppCode;
    const vdex = '/system/app/Preopted/oat/arm64/Preopted.vdex';
    expect(code.status).toBe('read');
    expect(code.dexFiles).toEqual([`${vdex}!/classes.dex`, `${vdex}!/classes2.dex`]);
    expect(code.sdks.map((sdk) => [sdk.id, sdk.evidence.dexFile])).toEqual(
      Object.entries(TRACKER_SDKS).flatMap(([dexFile, ids]) => ids.map((id) => [id, `${vdex}!/${dexFile}`])).sort(([a], [b]) => (a as string).localeCompare(b as string)),
    );
    expect(code.classCount).toBe(dexdumpClasses(join(FIXTURES, 'tracker-classes.dex')).length + dexdumpClasses(join(FIXTURES, 'tracker-classes2.dex')).length);
  });

  it('says the code is not in the build\'s files when the VDEX is version 027, or when there is none', () => {
    const modern = apps.get('/system/app/Modern/Modern.apk')?.code as AppCode;
    expect(modern.status).toBe('not-in-files');
    expect(modern.reason).toContain('/system/app/Modern/oat/arm64/Modern.vdex holds no DEX');
    expect(modern.reason).toContain('027');
    const lost = apps.get('/system/priv-app/Lost/Lost.apk')?.code as AppCode;
    expect(lost.status).toBe('not-in-files');
    expect(lost.reason).toContain('no /system/priv-app/Lost/oat/<arch>/Lost.vdex');
  });

  it('reads the platform\'s code from the jars beside framework-res.apk', () => {
    const code = apps.get('/system/framework/framework-res.apk')?.code as AppCode;
    const jar = join(preopted, 'framework', 'oem-services.jar');
    const dexPath = join(temp, 'oem-services.dex');
    writeFileSync(dexPath, unzipMember(jar, 'classes.dex'));
    expect(code.dexFiles).toEqual(['/system/framework/oem-services.jar!/classes.dex']);
    expect(code.sdks.map((sdk) => sdk.id)).toEqual(['xiaomi-onetrack']);
    expect(dexdumpClasses(dexPath).map((descriptor) => descriptor.slice(1, -1).replace(/\//g, '.'))).toContain(code.sdks[0]?.evidence.className);
    expect(code.hosts.map((host) => host.host)).toEqual(['tracking.miui.com']);
    expect(baksmaliStrings(dexPath)).toContain(code.hosts[0]?.sample);
  });

  it('reads an APEX\'s code from the jars of its javalib folder', () => {
    const code = apps.get('/system/apex/com.example.tiny.apex')?.code as AppCode;
    expect(code.dexFiles).toEqual(['/apex/com.example.tiny/javalib/tiny-lib.jar!/classes.dex']);
    expect(code.sdks.map((sdk) => [sdk.id, sdk.category])).toEqual([['huawei-hianalytics', 'vendor-telemetry']]);
  });

  it('a truncated VDEX or jar makes that app\'s code unreadable, with a problem, never "not in the build\'s files"', async () => {
    const copy = join(temp, 'preopted-broken');
    cpSync(join(FIXTURES, 'preopted'), copy, { recursive: true });
    const vdex = join(copy, 'system', 'app', 'Preopted', 'oat', 'arm64', 'Preopted.vdex');
    const jar = join(copy, 'system', 'framework', 'oem-services.jar');
    truncateSync(vdex, 600);
    truncateSync(jar, 100);
    const { inventory } = await buildInventory(copy, { pool: null });
    const byPath = new Map(inventory.apps.map((entry) => [entry.path, entry.app as AppModel]));
    const preoptedApp = byPath.get('/system/app/Preopted/Preopted.apk') as AppModel;
    expect(preoptedApp.code?.status).toBe('unreadable');
    expect(preoptedApp.code?.reason).toContain('/system/app/Preopted/oat/arm64/Preopted.vdex could not be read');
    expect(preoptedApp.problems.map((problem) => problem.path)).toEqual(['/system/app/Preopted/oat/arm64/Preopted.vdex']);
    const platform = byPath.get('/system/framework/framework-res.apk') as AppModel;
    expect(platform.code?.status).toBe('unreadable');
    expect(platform.problems.map((problem) => problem.path)).toEqual(['/system/framework/oem-services.jar']);
    expect(inventory.problems.map((problem) => problem.path).sort()).toEqual(['/system/app/Preopted/oat/arm64/Preopted.vdex', '/system/framework/oem-services.jar']);
    // The other apps are read as before.
    for (const path of ['/system/app/Modern/Modern.apk', '/system/priv-app/Lost/Lost.apk', '/system/apex/com.example.tiny.apex']) {
      expect(byPath.get(path)?.code, path).toEqual(apps.get(path)?.code);
      expect(byPath.get(path)?.problems, path).toEqual([]);
    }
  });

  it('has no problems to report: every VDEX and jar was read', () => {
    expect(problems).toEqual([]);
    expect(readFileSync(join(preopted, 'app', 'Modern', 'oat', 'arm64', 'Modern.vdex')).toString('latin1', 0, 7)).toBe('vdex027');
  });
});
