// The scenario fixtures (test/fixtures/scenarios) checked with the real tools, never with OTA Lens:
// every package is unpacked by Info-ZIP, or its images rebuilt by a small Python reading of the
// transfer list / payload.bin (brotli, lzma, zstd) and extracted with debugfs / fsck.erofs; what
// is inside is read with aapt and plain text parsing. The tests then hold builds.json (each build's
// files and facts) and scenarios.json (what comparing each pair must find) to those observations.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SDK_CLASSES } from '../../scripts/fixtures/lib/dexTools.mjs';
import { aapt, aaptResources, aaptXmlTree, type OracleElement, type OracleResource } from '../support/aapt.js';
import { baksmaliStrings, dexdumpClasses } from '../support/dexOracles.js';
import { erofsUtils19 } from '../support/erofs.js';
import { REPO_ROOT, run, sha256, unzipMember, unzipNames } from '../support/oracles.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'scenarios');
const MX_TITLE = 'Mi Cloud Messaging';
const MMS_PREFERENCES = '/system/priv-app/Mms/Mms.apk!/res/xml/preferences.xml';

// ---------------------------------------------------------------- the JSON under test

type Format = 'file-ota' | 'block-ota' | 'ab-erofs' | 'ab-ext4' | 'ab-oplus';
type Layout = 'legacy' | 'treble' | 'oplus';
type ListedFile = { path: string; type: 'file'; size: number; sha256: string } | { path: string; type: 'symlink'; target: string };

interface PreferenceFact { file: string; key: string; type: string; title: string; defaultValue: string; defaultSource: string; defaultResource?: string }
interface AppFact {
  package: string; path: string; partition: string; unreadable?: true;
  versionCode?: number; versionName?: string; usesPermissions?: string[];
  overlay?: { targetPackage: string; priority: number; isStatic: boolean };
  preferences?: PreferenceFact[];
  /** Who signs it ('platform' is the test keystore), and whether that is framework-res.apk's key (null without one). */
  signer?: string;
  platformSigned?: boolean | null;
  /** For an app with a classes.dex: the SDK ids it holds stand-ins for and the hosts its strings name. */
  code?: { sdks: string[]; hosts: string[] };
}
interface PropertyLayer { layer: string; value: string; line: number; importedBy?: { layer: string; line: number } }
interface PropertyFact { name: string; value: string; layer: string; layers: PropertyLayer[] }
interface SettingFact { name: string; type: string; value: string; source: string; overlay?: { package: string; priority: number }; base: string; layers: { source: string; value: string }[] }
interface GrantFact { kind: string; package: string; permission: string; fixed?: boolean; file: string; line: number }
interface Facts {
  fingerprint: string; androidVersion: string; partitions: string[]; apps: AppFact[]; properties: PropertyFact[]; settings: SettingFact[];
  permissionGrants: GrantFact[]; sysconfig: { kind: string; package: string; file: string; line: number }[];
  initServices: { name: string; command: string; options: string[]; file: string; line: number }[];
  security?: { policy: string; setuid: { path: string; mode: number; uid: number; gid: number }[]; permissive: { domain: string; path: string; line: number }[] };
}
interface BuildsJson {
  formats: Record<Format, { layout: Layout }>;
  layouts: Record<Layout, { partitions: string[]; mmsPath: string }>;
  builds: Record<string, { packages: Partial<Record<Format, string>>; layouts: Partial<Record<Layout, { facts: Facts; files: ListedFile[] }>> }>;
}
interface CloudSide { state: string; evidence: null | { path: string; package: string; key: string; type: string; title: string; defaultValue: string; defaultSource: string; defaultResource?: string } }
type Pair<T> = { old: T; new: T };
interface Expected {
  fingerprint: Pair<string>;
  cloudMessaging: Pair<CloudSide> & { change: string };
  apps: {
    added: { package: string; path: string }[]; removed: { package: string; path: string }[];
    changed: { package: string; path: Pair<string>; versionCode?: Pair<number>; versionName?: Pair<string>; usesPermissions?: { added: string[]; removed: string[] }; preferences?: { added: string[]; removed: string[]; defaultChanged: { key: string; old: { defaultValue: string; defaultSource: string }; new: { defaultValue: string; defaultSource: string } }[] }; code?: { sdks: { added: string[]; removed: string[] }; hosts: { added: string[]; removed: string[] } } }[];
    unreadable: Pair<string[]>;
  };
  properties: { added: unknown[]; removed: unknown[]; changed: { name: string; old: string; new: string; layer: Pair<string> }[] };
  settings: { added: unknown[]; removed: unknown[]; changed: { name: string; old: string; new: string; source: Pair<string> }[] };
  permissionGrants: { added: Omit<GrantFact, 'line'>[]; removed: Omit<GrantFact, 'line'>[] };
  booleanDefaultFlips: { kind: string; path: string; name: string; old: string; new: string }[];
  files: { added: string[]; removed: string[]; changed: string[] };
}
interface Scenario { id: string; old: string; new: string; packages: Partial<Record<Format, Pair<string>>>; expected: Partial<Record<Format, Expected>> }

const buildsJson = JSON.parse(readFileSync(join(FIXTURES, 'builds.json'), 'utf8')) as BuildsJson;
const scenarios = (JSON.parse(readFileSync(join(FIXTURES, 'scenarios.json'), 'utf8')) as { scenarios: Scenario[] }).scenarios;
const packages = Object.values(buildsJson.builds).flatMap((build) => Object.entries(build.packages).map(([format, file]) => ({ format: format as Format, file: file! })));

// ---------------------------------------------------------------- unpacking with the real tools

const temp = mkdtempSync(join(tmpdir(), 'otalens-scenario-oracle-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/**
 * Rebuilds partition images from block and A/B OTA zips (Python's zipfile, brotli and zstd CLIs,
 * lzma; payload.bin's protobuf read field by field), checking hashes on the way.
 */
const REBUILD_IMAGES = String.raw`
import base64, bz2, hashlib, json, lzma, os, struct, subprocess, sys, zipfile
def varint(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1; r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i
def fields(b):
    i, out = 0, []
    while i < len(b):
        k, i = varint(b, i); f, t = k >> 3, k & 7
        if t == 0: v, i = varint(b, i)
        elif t == 2: n, i = varint(b, i); v = b[i:i + n]; i += n
        elif t == 5: v = b[i:i + 4]; i += 4
        elif t == 1: v = b[i:i + 8]; i += 8
        else: raise ValueError('wire type %d' % t)
        out.append((f, v))
    return out
def one(fs, n): return next(v for f, v in fs if f == n)
def payload(z, out):
    assert z.getinfo('payload.bin').compress_type == zipfile.ZIP_STORED
    data = z.read('payload.bin')
    props = dict(l.split('=', 1) for l in z.read('payload_properties.txt').decode().splitlines())
    assert base64.b64encode(hashlib.sha256(data).digest()).decode() == props['FILE_HASH'] and int(props['FILE_SIZE']) == len(data)
    assert data[:4] == b'CrAU' and struct.unpack('>Q', data[4:12])[0] == 2
    msize, ssize = struct.unpack('>Q', data[12:20])[0], struct.unpack('>I', data[20:24])[0]
    manifest = fields(data[24:24 + msize]); blobs = 24 + msize + ssize
    block = dict(manifest).get(3, 4096)
    assert dict(manifest).get(12, 0) == 0, 'not a full payload'
    result = {}
    for f, v in manifest:
        if f != 13: continue
        p = fields(v); name = one(p, 1).decode(); info = fields(one(p, 7))
        image = bytearray(one(info, 1)); types = []; zstd = []
        for g, op in p:
            if g != 8: continue
            o, dst = {}, []
            for h, x in fields(op):
                if h == 6: e = dict(fields(x)); dst.append((e.get(1, 0), e.get(2, 0)))
                else: o[h] = x
            t = o[1]; types.append(t)
            blob = data[blobs + o.get(2, 0):blobs + o.get(2, 0) + o.get(3, 0)]
            if 8 in o: assert hashlib.sha256(blob).digest() == o[8], 'op blob hash'
            if t == 14: zstd.append((blob, dst)); continue
            raw = {0: lambda: blob, 1: lambda: bz2.decompress(blob), 8: lambda: lzma.decompress(blob), 6: lambda: bytes(sum(n for _, n in dst) * block)}[t]()
            at = 0
            for start, n in dst: image[start * block:(start + n) * block] = raw[at:at + n * block]; at += n * block
            assert at == len(raw), 'op length'
        raw = subprocess.run(['zstd', '-d', '-c'], input=b''.join(b for b, _ in zstd), capture_output=True, check=True).stdout if zstd else b''
        at = 0
        for _, dst in zstd:
            for start, n in dst: image[start * block:(start + n) * block] = raw[at:at + n * block]; at += n * block
        assert at == len(raw), 'zstd length'
        assert hashlib.sha256(image).digest() == one(info, 2), 'partition hash'
        path = os.path.join(out, name + '.img'); open(path, 'wb').write(image)
        result[name] = {'image': path, 'opTypes': sorted(set(types))}
    return result
def transfer(z, out):
    lines = z.read('system.transfer.list').decode().splitlines()
    assert lines[0] == '4'
    new = subprocess.run(['brotli', '-d', '-c'], input=z.read('system.new.dat.br'), capture_output=True, check=True).stdout
    def ranges(text):
        n = list(map(int, text.split(','))); assert n[0] == len(n) - 1
        return list(zip(n[1::2], n[2::2]))
    commands = [l.split(' ') for l in lines[4:] if l]
    image = bytearray(max(b for c in commands for _, b in ranges(c[1])) * 4096); at = 0
    for c in commands:
        if c[0] == 'new':
            for a, b in ranges(c[1]): image[a * 4096:b * 4096] = new[at:at + (b - a) * 4096]; at += (b - a) * 4096
        elif c[0] not in ('zero', 'erase'): raise ValueError(c[0])
    assert at == len(new) and int(lines[1]) == len(image) // 4096
    path = os.path.join(out, 'system.img'); open(path, 'wb').write(image)
    return {'system': {'image': path, 'opTypes': []}}
result = {}
for job in json.load(sys.stdin):
    os.makedirs(job['out'], exist_ok=True)
    with zipfile.ZipFile(job['zip']) as z:
        result[job['zip']] = payload(z, job['out']) if job['kind'] == 'ab' else transfer(z, job['out'])
print(json.dumps(result))
`;

interface Unpacked { root: string; symlinks: ListedFile[]; opTypes: Record<string, number[]>; images?: Record<string, string> }

const walk = (dir: string, prefix: string): ListedFile[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.name !== 'lost+found')
    .flatMap((entry): ListedFile[] => {
      const path = join(dir, entry.name);
      const device = `${prefix}/${entry.name}`;
      if (entry.isDirectory()) return walk(path, device);
      if (entry.isSymbolicLink()) return [{ path: device, type: 'symlink', target: readlinkSync(path) }];
      const bytes = readFileSync(path);
      return [{ path: device, type: 'file', size: bytes.length, sha256: sha256(bytes) }];
    });

/** Device files (a folder per partition) and symlinks of an unpacked package, sorted by path. */
function listing(unpacked: Unpacked): ListedFile[] {
  return [...walk(unpacked.root, ''), ...unpacked.symlinks].sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** `symlink("target", "/path", …);` calls of an updater-script, read with a regular expression. */
function updaterScriptSymlinks(script: string): ListedFile[] {
  return [...script.matchAll(/symlink\("([^"]+)",((?:\s*"[^"]+",?)+)\);/g)].flatMap((call) =>
    [...(call[2] ?? '').matchAll(/"([^"]+)"/g)].map((path): ListedFile => ({ path: path[1] ?? '', type: 'symlink', target: call[1] ?? '' })),
  );
}

const unpacked = new Map<string, Unpacked>();

function unpackAll(): void {
  const jobs: { zip: string; kind: 'ab' | 'block'; out: string }[] = [];
  for (const { format, file } of packages) {
    const zip = join(FIXTURES, file);
    const out = join(temp, file.replace(/\.zip$/, ''));
    if (format === 'file-ota') {
      mkdirSync(join(out, 'root'), { recursive: true });
      run('unzip', ['-q', zip, 'system/*', '-d', join(out, 'root')]);
      const script = unzipMember(zip, 'META-INF/com/google/android/updater-script').toString('utf8');
      unpacked.set(file, { root: join(out, 'root'), symlinks: updaterScriptSymlinks(script), opTypes: {} });
    } else {
      jobs.push({ zip, kind: format === 'block-ota' ? 'block' : 'ab', out: join(out, 'images') });
    }
  }
  const images = JSON.parse(execFileSync('python3', ['-c', REBUILD_IMAGES], { input: JSON.stringify(jobs), maxBuffer: 64 << 20 }).toString('utf8')) as Record<string, Record<string, { image: string; opTypes: number[] }>>;
  for (const { format, file } of packages) {
    if (format === 'file-ota') continue;
    const out = join(temp, file.replace(/\.zip$/, ''));
    const partitions = images[join(FIXTURES, file)] ?? {};
    const root = join(out, 'root');
    for (const [name, { image }] of Object.entries(partitions)) {
      // Legacy block OTAs hold /system's content at the image root; A/B system images are system-as-root.
      const target = format === 'block-ota' || name !== 'system' ? join(root, name) : root;
      mkdirSync(target, { recursive: true });
      if (format === 'ab-erofs' || format === 'ab-oplus') {
        run('fsck.erofs', [`--extract=${target}`, image]);
      } else {
        run('e2fsck', ['-fn', image]);
        run('debugfs', ['-R', `rdump / ${target}`, image]);
      }
    }
    unpacked.set(file, {
      root,
      symlinks: [],
      opTypes: Object.fromEntries(Object.entries(partitions).map(([name, value]) => [name, value.opTypes])),
      images: Object.fromEntries(Object.entries(partitions).map(([name, value]) => [name, value.image])),
    });
  }
}

// ---------------------------------------------------------------- reading what is inside, with aapt

interface ObservedApp {
  package: string; path: string; sha256: string; versionCode: number; versionName: string; usesPermissions: string[];
  overlay?: { targetPackage: string; priority: number; isStatic: boolean };
  preferences?: PreferenceFact[];
  resources?: Map<string, { type: string; value: string }>;
  /** classes.dex as dexdump (class names) and baksmali (strings) read it, when the APK has one. */
  dex?: { classes: string[]; strings: string[] };
}
interface Observed {
  files: ListedFile[];
  apps: ObservedApp[];
  unreadable: string[];
  properties: Map<string, { value: string; layer: string; layers: PropertyLayer[] }>;
  settings: Map<string, SettingFact>;
  grants: GrantFact[];
  sysconfig: { kind: string; package: string; file: string; line: number }[];
  services: { name: string; command: string; options: string[]; file: string; line: number }[];
}

const attribute = (element: OracleElement, name: string) => element.attributes.find((candidate) => candidate.prefix === 'android' && candidate.name === name)?.value;

function typedText(type: number, data: number): string {
  if (type === 0x12) return data === 0 ? 'false' : 'true';
  if (type === 0x10) return String(data | 0);
  throw new Error(`unexpected typed value 0x${type.toString(16)}`);
}

/** A resource value as text, references followed (string, bool, integer). */
function resolveResource(resources: OracleResource[], id: number, seen = 0): { text: string; name: string } {
  const resource = resources.find((candidate) => candidate.id === id && candidate.config === '');
  if (resource === undefined || seen > 8) throw new Error(`unresolvable resource 0x${id.toString(16)}`);
  const name = resource.name.replace(/^[^:]+:/, '@');
  if (resource.printed?.kind === 'string') return { text: resource.printed.text, name };
  if (resource.type === 0x01 && resource.data !== undefined) return { text: resolveResource(resources, resource.data, seen + 1).text, name };
  return { text: typedText(resource.type ?? -1, resource.data ?? 0), name };
}

/** The boolean preferences of res/xml/preferences.xml, by aapt's xmltree and resource table. */
function preferencesOf(apk: string): PreferenceFact[] {
  const { resources } = aaptResources(apk);
  const found: PreferenceFact[] = [];
  const visit = (element: OracleElement): void => {
    const key = attribute(element, 'key');
    if (element.name === 'CheckBoxPreference' && key?.kind === 'string') {
      const title = attribute(element, 'title');
      const value = attribute(element, 'defaultValue');
      const preference: PreferenceFact = {
        file: 'res/xml/preferences.xml',
        key: key.text,
        type: element.name,
        title: title?.kind === 'reference' ? resolveResource(resources, title.id).text : title?.kind === 'string' ? title.text : '',
        defaultValue: 'false',
        defaultSource: 'implicit',
      };
      if (value?.kind === 'typed') Object.assign(preference, { defaultValue: typedText(value.type, value.data), defaultSource: 'literal' });
      if (value?.kind === 'reference') {
        const resolved = resolveResource(resources, value.id);
        Object.assign(preference, { defaultValue: resolved.text, defaultSource: 'resource', defaultResource: resolved.name });
      }
      found.push(preference);
    }
    element.children.forEach(visit);
  };
  aaptXmlTree(apk, 'res/xml/preferences.xml').forEach(visit);
  return found;
}

const appCache = new Map<string, Omit<ObservedApp, 'path' | 'sha256'> | null>();

/** aapt's view of one APK (cached by content): null when aapt cannot read it. */
function readApk(apk: string, digest: string): Omit<ObservedApp, 'path' | 'sha256'> | null {
  if (appCache.has(digest)) return appCache.get(digest) ?? null;
  let badging: string;
  try {
    badging = aapt(['dump', 'badging', apk]);
  } catch {
    appCache.set(digest, null);
    return null;
  }
  const head = /^package: name='([^']+)' versionCode='(\d+)' versionName='([^']*)'/m.exec(badging);
  if (head === null) throw new Error(`no package line in aapt badging of ${apk}`);
  const app: Omit<ObservedApp, 'path' | 'sha256'> = {
    package: head[1] ?? '',
    versionCode: Number(head[2]),
    versionName: head[3] ?? '',
    // aapt lists permissions implied for old target SDKs as uses-permission too, and names them again.
    usesPermissions: [...badging.matchAll(/^uses-permission: name='([^']+)'/gm)].map((match) => match[1] ?? '')
      .filter((name) => !badging.includes(`uses-implied-permission: name='${name}'`)),
  };
  const overlay = aaptXmlTree(apk, 'AndroidManifest.xml')[0]?.children.find((element) => element.name === 'overlay');
  if (overlay !== undefined) {
    const target = attribute(overlay, 'targetPackage');
    const priority = attribute(overlay, 'priority');
    const isStatic = attribute(overlay, 'isStatic');
    app.overlay = {
      targetPackage: target?.kind === 'string' ? target.text : '',
      priority: priority?.kind === 'typed' ? priority.data : -1,
      isStatic: isStatic?.kind === 'typed' && isStatic.data !== 0,
    };
  }
  if (unzipNames(apk).includes('res/xml/preferences.xml')) app.preferences = preferencesOf(apk);
  if (unzipNames(apk).includes('classes.dex')) {
    const dexPath = join(temp, `${digest}.dex`);
    writeFileSync(dexPath, unzipMember(apk, 'classes.dex'));
    app.dex = { classes: dexdumpClasses(dexPath).map((descriptor) => descriptor.slice(1, -1).replace(/\//g, '.')), strings: baksmaliStrings(dexPath) };
  }
  if (app.overlay !== undefined || app.package === 'com.android.providers.settings') {
    app.resources = new Map(aaptResources(apk).resources.filter((resource) => resource.config === '' && /:(bool|integer|string)\/def_/.test(resource.name))
      .map((resource) => [resource.name.replace(/^.*\//, ''), { type: /:(\w+)\//.exec(resource.name)?.[1] ?? '', value: resolveResource([resource], resource.id).text }]));
  }
  appCache.set(digest, app);
  return app;
}

/** Numbered `name=value` lines of a property file. */
function propertyLines(text: string): { name: string; value: string; line: number }[] {
  return text.split('\n').flatMap((line, index) => {
    if (line.startsWith('#') || !line.includes('=')) return [];
    return [{ name: line.slice(0, line.indexOf('=')), value: line.slice(line.indexOf('=') + 1), line: index + 1 }];
  });
}

/** Elements matching PATTERN (group 1.. captured), with their 1-based line, in an XML or rc text. */
function linesMatching(text: string, pattern: RegExp): { match: RegExpExecArray; line: number }[] {
  return text.split('\n').flatMap((line, index) => {
    const match = pattern.exec(line);
    return match === null ? [] : [{ match, line: index + 1 }];
  });
}

function observe(file: string): Observed {
  const source = unpacked.get(file);
  if (source === undefined) throw new Error(`${file} was not unpacked`);
  const files = listing(source);
  const hostPath = (device: string) => join(source.root, device);
  const text = (device: string) => readFileSync(hostPath(device), 'utf8');
  const apps: ObservedApp[] = [];
  const unreadable: string[] = [];
  for (const entry of files) {
    if (entry.type !== 'file' || !entry.path.endsWith('.apk')) continue;
    const app = readApk(hostPath(entry.path), entry.sha256);
    if (app === null) unreadable.push(entry.path);
    else apps.push({ ...app, path: entry.path, sha256: entry.sha256 });
  }

  // The boot property files these builds have, in PropertyLoadBootDefaults order (Android 10+;
  // the 2014 builds have only the first two, where the order is the same): system, vendor,
  // vendor_dlkm, odm_dlkm, odm. An `import FILE` line loads FILE right there (LoadProperties);
  // the last definition wins (the map init fills before setting anything; no ro. name is defined
  // twice with different values in the KitKat builds, so the legacy first-ro.-wins rule agrees).
  const properties: Observed['properties'] = new Map();
  const present = (path: string) => files.some((entry) => entry.path === path);
  const load = (layer: string, importedBy?: { layer: string; line: number }): void => {
    text(layer).split('\n').forEach((raw, index) => {
      const imported = /^import (\S+)$/.exec(raw);
      if (imported?.[1] !== undefined) {
        load(imported[1], { layer, line: index + 1 });
        return;
      }
      for (const { name, value, line } of propertyLines(raw).map((entry) => ({ ...entry, line: index + 1 }))) {
        const layers = [...(properties.get(name)?.layers ?? []), { layer, value, line, ...(importedBy === undefined ? {} : { importedBy }) }];
        properties.set(name, { value, layer, layers });
      }
    });
  };
  for (const layer of ['/system/build.prop', '/vendor/build.prop', '/vendor_dlkm/etc/build.prop', '/odm_dlkm/etc/build.prop', '/odm/etc/build.prop'].filter(present)) load(layer);

  // SettingsProvider's defaults, then its overlays from the lowest priority to the highest.
  const settings: Observed['settings'] = new Map();
  const provider = apps.find((app) => app.package === 'com.android.providers.settings');
  for (const [name, { type, value }] of provider?.resources ?? []) {
    settings.set(name, { name, type, value, source: provider?.path ?? '', base: value, layers: [{ source: provider?.path ?? '', value }] });
  }
  const overlays = apps.filter((app) => app.overlay?.targetPackage === 'com.android.providers.settings').sort((a, b) => (a.overlay?.priority ?? 0) - (b.overlay?.priority ?? 0));
  for (const overlay of overlays) {
    for (const [name, { value }] of overlay.resources ?? []) {
      const setting = settings.get(name);
      if (setting === undefined) throw new Error(`${overlay.path} overlays ${name}, which SettingsProvider does not define`);
      Object.assign(setting, { value, source: overlay.path, overlay: { package: overlay.package, priority: overlay.overlay?.priority }, layers: [...setting.layers, { source: overlay.path, value }] });
    }
  }

  const grants: GrantFact[] = [];
  const privapp = '/system/etc/permissions/privapp-permissions-miui.xml';
  let owner = '';
  for (const { match, line } of linesMatching(text(privapp), /<privapp-permissions package="([^"]+)"|<permission name="([^"]+)"/)) {
    if (match[1] !== undefined) owner = match[1];
    else grants.push({ kind: 'privapp-permission', package: owner, permission: match[2] ?? '', file: privapp, line });
  }
  const defaults = '/system/etc/default-permissions/default-permissions-miui.xml';
  for (const { match, line } of linesMatching(text(defaults), /<exception package="([^"]+)"|<permission name="([^"]+)" fixed="(true|false)"/)) {
    if (match[1] !== undefined) owner = match[1];
    else grants.push({ kind: 'default-permission', package: owner, permission: match[2] ?? '', fixed: match[3] === 'true', file: defaults, line });
  }
  const whitelist = '/system/etc/sysconfig/miui-power-whitelist.xml';
  const sysconfig = linesMatching(text(whitelist), /<(allow-in-power-save) package="([^"]+)"/).map(({ match, line }) => ({ kind: match[1] ?? '', package: match[2] ?? '', file: whitelist, line }));
  const rc = '/system/etc/init/miui-analytics.rc';
  const rcLines = text(rc).split('\n');
  const services = linesMatching(text(rc), /^service (\S+) (.+)$/).map(({ match, line }) => ({
    name: match[1] ?? '', command: match[2] ?? '', options: rcLines.slice(line).filter((option) => option.startsWith('    ')).map((option) => option.trim()), file: rc, line,
  }));
  return { files, apps, unreadable, properties, settings, grants, sysconfig, services };
}

const observations = new Map<string, Observed>();
const observed = (file: string): Observed => {
  let result = observations.get(file);
  if (result === undefined) observations.set(file, (result = observe(file)));
  return result;
};

// ---------------------------------------------------------------- the tests

beforeAll(() => unpackAll(), 120_000);

describe('every scenario package', () => {
  it('covers every scenario in the four formats (corrupt-apk in file OTA only, signing-keys in file OTA and A/B EROFS, literal-flip also OPPO-like, carousel-on OPPO-like only), with builds.json naming the packages', () => {
    for (const scenario of scenarios) {
      const formats = Object.keys(scenario.packages).sort();
      const expected = { 'corrupt-apk': ['file-ota'], 'signing-keys': ['ab-erofs', 'file-ota'], 'tracker-added': ['ab-erofs', 'file-ota'], 'carousel-on': ['ab-oplus'] }[scenario.id] ?? ['ab-erofs', 'ab-ext4', 'block-ota', 'file-ota'];
      // The OPPO-like layout is built for the literal flip and the Android 14 carousel pair only.
      expect(formats, scenario.id).toEqual(scenario.id === 'literal-flip' ? ['ab-erofs', 'ab-ext4', 'ab-oplus', 'block-ota', 'file-ota'] : expected);
      for (const [format, pair] of Object.entries(scenario.packages)) {
        expect(buildsJson.builds[scenario.old]?.packages[format as Format]).toBe(pair.old);
        expect(buildsJson.builds[scenario.new]?.packages[format as Format]).toBe(pair.new);
      }
    }
    expect(scenarios.map((scenario) => scenario.id).sort()).toEqual(['app-removed', 'carousel-on', 'corrupt-apk', 'implicit-off', 'key-renamed', 'literal-flip', 'regression', 'resource-flip', 'security-weakened', 'signing-keys', 'tracker-added', 'unchanged']);
  });

  it('holds exactly the files builds.json lists for its layout (names, types, sizes, SHA-256, symlinks)', () => {
    for (const [id, build] of Object.entries(buildsJson.builds)) {
      for (const [format, file] of Object.entries(build.packages)) {
        const layout = buildsJson.formats[format as Format].layout;
        expect(observed(file).files, `${id} as ${format}`).toEqual(build.layouts[layout]?.files);
      }
    }
  });

  it('is the container it claims: OTA metadata, STORED payload with REPLACE/REPLACE_XZ/ZSTD/ZERO, clean images', () => {
    for (const { format, file } of packages) {
      const zip = join(FIXTURES, file);
      const metadata = unzipMember(zip, 'META-INF/com/android/metadata').toString('utf8');
      const otaType = /^ota-type=(.*)$/m.exec(metadata)?.[1];
      expect(otaType, file).toBe({ 'file-ota': undefined, 'block-ota': 'BLOCK', 'ab-erofs': 'AB', 'ab-ext4': 'AB', 'ab-oplus': 'AB' }[format]);
      expect(metadata).toMatch(format === 'ab-oplus' ? /^post-build=Xiaomi\/cancro\/cancro:14\/KTU84P\/[\d.]+:user\/release-keys$/m : /^post-build=Xiaomi\/cancro\/cancro:4\.4\.4\/KTU84P\/[\d.]+:user\/release-keys$/m);
      expect(metadata).toMatch(/^pre-device=cancro$/m);
      const names = unzipNames(zip);
      if (format === 'file-ota') expect(names.filter((name) => !name.startsWith('system/'))).toEqual(['META-INF/com/android/metadata', 'META-INF/com/google/android/update-binary', 'META-INF/com/google/android/updater-script']);
      if (format === 'block-ota') expect(names).toEqual(expect.arrayContaining(['system.transfer.list', 'system.new.dat.br', 'system.patch.dat']));
      if (format.startsWith('ab-')) {
        expect(run('zipinfo', [zip, 'payload.bin'])).toMatch(/ stor /);
        // 0 REPLACE, 6 ZERO, 8 REPLACE_XZ, 14 ZSTD
        const opTypes = unpacked.get(file)?.opTypes ?? {};
        if (format === 'ab-oplus') {
          // Every partition of the layout; the small ones get fewer operation kinds.
          expect(Object.keys(opTypes).sort(), file).toEqual(['my_product', 'my_stock', 'odm', 'odm_dlkm', 'system', 'vendor', 'vendor_dlkm']);
          expect(opTypes['system']).toEqual([0, 6, 8, 14]);
          for (const types of Object.values(opTypes)) expect([0, 6, 8, 14]).toEqual(expect.arrayContaining(types));
        } else {
          expect(opTypes, file).toEqual({ system: [0, 6, 8, 14], vendor: [0, 6, 8, 14] });
        }
      }
      const size = readFileSync(zip).length;
      expect(size, `${file} stays small`).toBeLessThan(200 * 1024);
    }
  });
});

describe('builds.json facts', () => {
  for (const [id, build] of Object.entries(buildsJson.builds)) {
    it(`${id}: apps, preferences, properties, settings, grants, sysconfig and init services are what aapt and the files say`, () => {
      for (const [layout, { facts }] of Object.entries(build.layouts) as [Layout, { facts: Facts }][]) {
        const file = Object.entries(build.packages).find(([format]) => buildsJson.formats[format as Format].layout === layout)?.[1] ?? '';
        const seen = observed(file);
        expect(facts.partitions).toEqual(layout === 'legacy' ? ['system'] : layout === 'treble' ? ['system', 'vendor'] : ['system', 'vendor', 'odm', 'vendor_dlkm', 'odm_dlkm', 'my_product', 'my_stock']);
        expect(facts.partitions.sort()).toEqual([...new Set(seen.files.map((entry) => entry.path.split('/')[1] ?? ''))].sort());
        expect(facts.fingerprint).toBe(seen.properties.get('ro.build.fingerprint')?.value);
        expect(facts.androidVersion).toBe(seen.properties.get('ro.build.version.release')?.value);

        expect(facts.apps.filter((app) => app.unreadable).map((app) => app.path)).toEqual(seen.unreadable);
        const readable = facts.apps.filter((app) => !app.unreadable);
        expect(readable.map((app) => app.path).sort()).toEqual(seen.apps.map((app) => app.path).sort());
        for (const app of readable) {
          const apk = seen.apps.find((candidate) => candidate.path === app.path);
          expect(apk?.package, app.path).toBe(app.package);
          expect(app.partition).toBe(app.path.split('/')[1]);
          expect(apk?.versionCode).toBe(app.versionCode);
          expect(apk?.versionName).toBe(app.versionName);
          expect(apk?.usesPermissions).toEqual(app.usesPermissions);
          expect(apk?.overlay).toEqual(app.overlay);
          expect(apk?.preferences, `${app.path} preferences`).toEqual(app.preferences);
          // Code: the classes dexdump lists include each SDK's stand-ins; baksmali's strings name each host.
          expect(apk?.dex !== undefined, `${app.path} has a classes.dex`).toBe(app.code !== undefined);
          for (const id of app.code?.sdks ?? []) for (const spec of SDK_CLASSES[id] ?? []) expect(apk?.dex?.classes, `${app.path} ${id}`).toContain(spec.name);
          for (const host of app.code?.hosts ?? []) expect(apk?.dex?.strings.some((text) => text.includes(host)), `${app.path} names ${host}`).toBe(true);
        }

        expect(facts.properties.map((property) => property.name)).toEqual([...seen.properties.keys()].sort());
        for (const property of facts.properties) expect(seen.properties.get(property.name), property.name).toEqual({ value: property.value, layer: property.layer, layers: property.layers });
        if (layout === 'treble') expect(seen.properties.get('ro.product.model')?.layers.map((layer) => layer.value)).toEqual(['MI 3', 'MI 3W']);
        if (layout === 'oplus') {
          // odm's build.prop imports my_product's at line 4: my_product's model (after odm's line 3) wins,
          // odm's line 5 (after the import) wins over my_product's image type.
          expect(seen.properties.get('ro.product.model')).toMatchObject({ value: 'CPH2581', layer: '/my_product/build.prop' });
          expect(seen.properties.get('ro.oplus.image.my_product.type')).toMatchObject({ value: 'normal', layer: '/odm/etc/build.prop' });
        }

        expect(facts.settings).toEqual([...seen.settings.values()].sort((a, b) => (a.name < b.name ? -1 : 1)));
        expect(facts.permissionGrants).toEqual(seen.grants);
        expect(facts.sysconfig).toEqual(seen.sysconfig);
        expect(facts.initServices).toEqual(seen.services);
      }
    });
  }

  it('overlay priority decides, not file order: the carrier overlay (priority 10) wins def_location_providers_allowed', () => {
    const seen = observed(buildsJson.builds['literal-on-4.7.4']?.packages['file-ota'] ?? '');
    expect(seen.settings.get('def_location_providers_allowed')).toMatchObject({ value: 'network', source: '/system/vendor/overlay/CarrierSettingsOverlay.apk', base: 'gps' });
    expect(seen.apps.find((app) => app.path.endsWith('MiuiSettingsOverlay.apk'))?.resources?.get('def_location_providers_allowed')?.value).toBe('gps,network');
  });
});

describe('scenarios.json expectations', () => {
  const CHANGE: Record<string, string> = {
    'default-on>opt-in': 'now-opt-in', 'opt-in>default-on': 'now-default-on', 'default-on>absent': 'removed', 'opt-in>absent': 'removed',
    'absent>default-on': 'added', 'absent>opt-in': 'added', 'default-on>default-on': 'unchanged', 'opt-in>opt-in': 'unchanged',
  };

  const cloudSide = (seen: Observed): CloudSide => {
    const mms = seen.apps.find((app) => app.package === 'com.android.mms');
    const preference = mms?.preferences?.find((candidate) => candidate.title === MX_TITLE);
    if (mms === undefined || preference === undefined) return { state: 'absent', evidence: null };
    const { file: _file, ...rest } = preference;
    return { state: preference.defaultValue === 'true' ? 'default-on' : 'opt-in', evidence: { path: `${mms.path}!/${preference.file}`, package: mms.package, ...rest } };
  };

  for (const scenario of scenarios) {
    for (const [format, pair] of Object.entries(scenario.packages) as [Format, Pair<string>][]) {
      it(`${scenario.id} as ${format}: cloud messaging, apps, properties, settings, grants and files match the packages`, () => {
        const expected = scenario.expected[format];
        if (expected === undefined) throw new Error('no expectation');
        const before = observed(pair.old);
        const after = observed(pair.new);

        expect(expected.fingerprint).toEqual({ old: before.properties.get('ro.build.fingerprint')?.value, new: after.properties.get('ro.build.fingerprint')?.value });
        expect(expected.cloudMessaging.old).toEqual(cloudSide(before));
        expect(expected.cloudMessaging.new).toEqual(cloudSide(after));
        expect(expected.cloudMessaging.change).toBe(CHANGE[`${expected.cloudMessaging.old.state}>${expected.cloudMessaging.new.state}`]);
        const mmsPath = buildsJson.layouts[buildsJson.formats[format].layout].mmsPath;
        if (expected.cloudMessaging.old.evidence !== null) expect(expected.cloudMessaging.old.evidence.path).toBe(format === 'ab-oplus' ? `${mmsPath}!/res/xml/preferences.xml` : MMS_PREFERENCES);
        if (format === 'ab-oplus') expect(mmsPath).toBe('/my_stock/app/Mms/Mms.apk');

        const packagesOf = (seen: Observed) => new Map(seen.apps.map((app) => [app.package, app]));
        const oldApps = packagesOf(before);
        const newApps = packagesOf(after);
        expect(expected.apps.unreadable).toEqual({ old: before.unreadable, new: after.unreadable });
        expect(expected.apps.added).toEqual(
          [...newApps.values()].filter((app) => !oldApps.has(app.package) && !before.unreadable.includes(app.path)).map((app) => ({ package: app.package, path: app.path })).sort((a, b) => (a.package < b.package ? -1 : 1)),
        );
        expect(expected.apps.removed).toEqual(
          [...oldApps.values()].filter((app) => !newApps.has(app.package) && !after.unreadable.includes(app.path)).map((app) => ({ package: app.package, path: app.path })).sort((a, b) => (a.package < b.package ? -1 : 1)),
        );
        const changed = [...newApps.values()].filter((app) => oldApps.has(app.package) && oldApps.get(app.package)?.sha256 !== app.sha256);
        expect(expected.apps.changed.map((change) => change.package)).toEqual(changed.map((app) => app.package).sort());
        for (const change of expected.apps.changed) {
          const oldApp = oldApps.get(change.package);
          const newApp = newApps.get(change.package);
          if (oldApp === undefined || newApp === undefined) throw new Error(change.package);
          expect(change.path).toEqual({ old: oldApp.path, new: newApp.path });
          expect(change.versionCode).toEqual(oldApp.versionCode === newApp.versionCode ? undefined : { old: oldApp.versionCode, new: newApp.versionCode });
          const added = newApp.usesPermissions.filter((name) => !oldApp.usesPermissions.includes(name)).sort();
          const removed = oldApp.usesPermissions.filter((name) => !newApp.usesPermissions.includes(name)).sort();
          expect(change.usesPermissions).toEqual(added.length + removed.length === 0 ? undefined : { added, removed });
          if (change.preferences !== undefined) {
            const keys = (app: ObservedApp) => (app.preferences ?? []).map((preference) => preference.key);
            expect(change.preferences.added).toEqual(keys(newApp).filter((key) => !keys(oldApp).includes(key)).sort());
            expect(change.preferences.removed).toEqual(keys(oldApp).filter((key) => !keys(newApp).includes(key)).sort());
            for (const flip of change.preferences.defaultChanged) {
              const find = (app: ObservedApp) => app.preferences?.find((preference) => preference.key === flip.key);
              expect(flip.old).toEqual({ defaultValue: find(oldApp)?.defaultValue, defaultSource: find(oldApp)?.defaultSource });
              expect(flip.new).toEqual({ defaultValue: find(newApp)?.defaultValue, defaultSource: find(newApp)?.defaultSource });
            }
          }
          if (change.code !== undefined) {
            // Hosts by baksmali's strings: a host the new classes.dex names and the old one does not is added.
            const names = (app: ObservedApp, host: string) => app.dex?.strings.some((text) => text.includes(host)) ?? false;
            for (const host of change.code.hosts.added) expect([names(oldApp, host), names(newApp, host)], host).toEqual([false, true]);
            for (const host of change.code.hosts.removed) expect([names(oldApp, host), names(newApp, host)], host).toEqual([true, false]);
            const defines = (app: ObservedApp, id: string) => (SDK_CLASSES[id] ?? []).every((spec) => app.dex?.classes.includes(spec.name));
            for (const id of change.code.sdks.added) expect([defines(oldApp, id), defines(newApp, id)], id).toEqual([false, true]);
            for (const id of change.code.sdks.removed) expect([defines(oldApp, id), defines(newApp, id)], id).toEqual([true, false]);
          }
        }

        const propertyChanges = [...after.properties].filter(([name, value]) => before.properties.has(name) && before.properties.get(name)?.value !== value.value)
          .map(([name, value]) => ({ name, old: before.properties.get(name)?.value, new: value.value, layer: { old: before.properties.get(name)?.layer, new: value.layer } }))
          .sort((a, b) => (a.name < b.name ? -1 : 1));
        expect(expected.properties).toEqual({ added: [], removed: [], changed: propertyChanges });

        const settingChanges = [...after.settings].filter(([name, value]) => before.settings.get(name)?.value !== value.value)
          .map(([name, value]) => ({ name, old: before.settings.get(name)?.value, new: value.value, source: { old: before.settings.get(name)?.source, new: value.source } }));
        expect(expected.settings).toEqual({ added: [], removed: [], changed: settingChanges.sort((a, b) => (a.name < b.name ? -1 : 1)) });

        const grantKey = (grant: GrantFact | Omit<GrantFact, 'line'>) => JSON.stringify([grant.kind, grant.package, grant.permission, grant.fixed ?? null]);
        const strip = ({ line: _line, ...grant }: GrantFact) => grant;
        expect(expected.permissionGrants).toEqual({
          added: after.grants.filter((grant) => !before.grants.some((other) => grantKey(other) === grantKey(grant))).map(strip),
          removed: before.grants.filter((grant) => !after.grants.some((other) => grantKey(other) === grantKey(grant))).map(strip),
        });

        const identity = (entry: ListedFile) => (entry.type === 'symlink' ? `-> ${entry.target}` : entry.sha256);
        const oldFiles = new Map(before.files.map((entry) => [entry.path, identity(entry)]));
        const newFiles = new Map(after.files.map((entry) => [entry.path, identity(entry)]));
        expect(expected.files).toEqual({
          added: [...newFiles.keys()].filter((path) => !oldFiles.has(path)).sort(),
          removed: [...oldFiles.keys()].filter((path) => !newFiles.has(path)).sort(),
          changed: [...newFiles].filter(([path, id]) => oldFiles.has(path) && oldFiles.get(path) !== id).map(([path]) => path).sort(),
        });

        for (const flip of expected.booleanDefaultFlips) {
          const [oldValue, newValue] = {
            property: () => [before.properties.get(flip.name)?.value, after.properties.get(flip.name)?.value],
            setting: () => [before.settings.get(flip.name)?.value, after.settings.get(flip.name)?.value],
            preference: () => [before, after].map((seen) => seen.apps.find((app) => app.package === 'com.android.mms')?.preferences?.find((preference) => preference.key === flip.name)?.defaultValue),
          }[flip.kind as 'property' | 'setting' | 'preference']();
          expect({ old: flip.old, new: flip.new }, flip.name).toEqual({ old: oldValue, new: newValue });
          expect(['true', '1'].includes(flip.old)).not.toBe(['true', '1'].includes(flip.new));
        }
      });
    }
  }

  it('spells out the seed story and the scenario matrix', () => {
    const get = (id: string) => scenarios.find((scenario) => scenario.id === id)?.expected['file-ota'];
    expect(get('literal-flip')?.cloudMessaging.change).toBe('now-opt-in');
    expect(get('resource-flip')?.cloudMessaging.new.evidence).toMatchObject({ defaultSource: 'resource', defaultResource: '@bool/def_mx_enabled', defaultValue: 'false' });
    expect(get('implicit-off')?.cloudMessaging.new.evidence).toMatchObject({ defaultSource: 'implicit', defaultValue: 'false' });
    expect(get('unchanged')?.cloudMessaging.change).toBe('unchanged');
    expect(get('unchanged')?.apps.changed).toEqual([]);
    expect(get('regression')?.cloudMessaging.change).toBe('now-default-on');
    expect(get('app-removed')?.cloudMessaging).toMatchObject({ new: { state: 'absent', evidence: null }, change: 'removed' });
    expect(get('key-renamed')?.cloudMessaging.new.evidence).toMatchObject({ key: 'pref_key_cloud_messaging_enabled', title: MX_TITLE });
    expect(get('key-renamed')?.cloudMessaging.change).toBe('now-opt-in');
    const seed = get('resource-flip');
    expect(seed?.apps.removed).toEqual([{ package: 'com.miui.weather2', path: '/system/app/Weather/Weather.apk' }]);
    expect(seed?.apps.changed.find((change) => change.package === 'com.android.calendar')?.usesPermissions).toEqual({ added: ['android.permission.READ_CONTACTS'], removed: [] });
    expect(seed?.properties.changed.find((change) => change.name === 'persist.sys.usage_stats')).toMatchObject({ old: '1', new: '0' });
  });
});

describe('the security builds', () => {
  const secured = Object.entries(buildsJson.builds).filter(([, build]) => Object.values(build.layouts).some((layout) => layout?.facts.security !== undefined));

  it('are the pair of the security-weakened scenario', () => {
    expect(secured.map(([id]) => id).sort()).toEqual(['policy-4.9.5', 'weakened-4.9.6']);
  });

  for (const [id, build] of secured) {
    it(`${id}: each setuid helper has the mode and owner its facts name (debugfs, fsck.erofs, or the updater-script line), and secilc compiles the policy whose permissive domains seinfo lists`, () => {
      for (const [format, file] of Object.entries(build.packages)) {
        const security = build.layouts[buildsJson.formats[format as Format].layout]?.facts.security;
        if (security === undefined) throw new Error(`${id}: no security facts for ${format}`);
        const root = unpacked.get(file)?.root ?? '';
        for (const helper of security.setuid) {
          if (format === 'file-ota') {
            // A 2014 file OTA states modes only in its updater-script (the zip's own modes are not used).
            const script = unzipMember(join(FIXTURES, file), 'META-INF/com/google/android/updater-script').toString('utf8');
            const line = new RegExp(`^set_metadata\\("${helper.path}", "uid", (\\d+), "gid", (\\d+), "mode", (0[0-7]+),`, 'm').exec(script);
            expect(line?.slice(1).map((value) => parseInt(value, value.startsWith('0') ? 8 : 10)), `${file} ${helper.path}`).toEqual([helper.uid, helper.gid, helper.mode]);
          } else if (format === 'ab-erofs') {
            // Debian's fsck.erofs drops setuid when it extracts, and dump.erofs prints only the rwx bits:
            // erofs-utils 1.9.4 extracts with owners and the whole mode (--preserve).
            const out = join(temp, `${id}-${format}-preserved`);
            run(erofsUtils19().fsck, [`--extract=${out}`, '--preserve', unpacked.get(file)?.images?.system ?? '']);
            const stat = lstatSync(join(out, helper.path));
            expect([stat.mode & 0o7777, stat.uid, stat.gid], `${file} ${helper.path}`).toEqual([helper.mode, helper.uid, helper.gid]);
          } else {
            // debugfs rdump chowns after chmod, which drops setuid: debugfs stat reads the inode itself.
            const image = unpacked.get(file)?.images?.system ?? '';
            const inSystem = format === 'block-ota' ? helper.path.slice('/system'.length) : helper.path;
            const stat = run('debugfs', ['-R', `stat ${inSystem}`, image]);
            const field = (pattern: RegExp): number => Number(pattern.exec(stat)?.[1] ?? NaN);
            expect([parseInt(/Mode:\s+(\d+)/.exec(stat)?.[1] ?? 'NaN', 8), field(/User:\s+(\d+)/), field(/Group:\s+(\d+)/)], `${file} ${helper.path}`).toEqual([helper.mode, helper.uid, helper.gid]);
          }
        }
        const policy = join(temp, `${id}-${format}.bin`);
        run('secilc', ['-o', policy, '-f', '/dev/null', join(root, security.policy)]);
        const permissive = [...run('seinfo', [policy, '--permissive', '-x']).matchAll(/^\s+type (\S+), /gm)].map((match) => match[1]);
        expect(permissive, `${file}`).toEqual(security.permissive.map((entry) => entry.domain));
        const lines = readFileSync(join(root, security.policy), 'utf8').split('\n');
        for (const entry of security.permissive) expect(lines[entry.line - 1]).toBe(`(typepermissive ${entry.domain})`);
      }
    });
  }
});

describe('the corrupt-APK variant', () => {
  it('is a sound zip whose Calendar.apk member is cut short, so only that APK is unreadable', () => {
    const scenario = scenarios.find((candidate) => candidate.id === 'corrupt-apk');
    const pair = scenario?.packages['file-ota'];
    if (pair === undefined) throw new Error('no corrupt-apk scenario');
    const zip = join(FIXTURES, pair.new);
    expect(run('unzip', ['-tq', zip])).toMatch(/^No errors detected/);
    const member = unzipMember(zip, 'system/app/Calendar/Calendar.apk');
    const intact = unzipMember(join(FIXTURES, buildsJson.builds['literal-off-4.7.11']?.packages['file-ota'] ?? ''), 'system/app/Calendar/Calendar.apk');
    expect(member.length).toBe(Math.floor(intact.length / 2));
    expect(member.equals(intact.subarray(0, member.length))).toBe(true);
    expect(observed(pair.new).unreadable).toEqual(['/system/app/Calendar/Calendar.apk']);
    expect(scenario?.expected['file-ota']?.apps.unreadable).toEqual({ old: [], new: ['/system/app/Calendar/Calendar.apk'] });
    // Everything else is as in literal-flip.
    const literal = scenarios.find((candidate) => candidate.id === 'literal-flip')?.expected['file-ota'];
    expect(scenario?.expected['file-ota']?.cloudMessaging).toEqual(literal?.cloudMessaging);
    expect(scenario?.expected['file-ota']?.properties).toEqual(literal?.properties);
  });
});

describe('the APKs', () => {
  it('are signed (apksigner verifies v1, the 2014 scheme) and hash the same wherever they are packed', () => {
    const file = buildsJson.builds['resource-on-4.8.1']?.packages['file-ota'] ?? '';
    const mms = join(unpacked.get(file)?.root ?? '', 'system/priv-app/Mms/Mms.apk');
    const out = run('apksigner', ['verify', '-v', '--min-sdk-version', '19', mms]);
    expect(out).toContain('Verified using v1 scheme (JAR signing): true');
    expect(out).toContain('Verified using v2 scheme (APK Signature Scheme v2): false');
    const digest = createHash('sha256').update(readFileSync(mms)).digest('hex');
    for (const format of ['block-ota', 'ab-erofs', 'ab-ext4'] as const) {
      const other = buildsJson.builds['resource-on-4.8.1']?.packages[format] ?? '';
      expect(observed(other).files.find((entry) => entry.path === '/system/priv-app/Mms/Mms.apk')).toMatchObject({ sha256: digest });
    }
  });
});

describe('the signing-keys builds', () => {
  /** The SHA-256 of each signer's certificate, read from the keys themselves. */
  const certificateOf = (signer: string): string => {
    const keys = join(REPO_ROOT, 'test/fixtures');
    const exported = join(temp, `${signer}.cer`);
    if (signer === 'aosp-testkey') return run('openssl', ['x509', '-in', join(keys, 'signing/keys/aosp-testkey.x509.pem'), '-noout', '-fingerprint', '-sha256']).trim().split('=')[1]?.replace(/:/g, '').toLowerCase() ?? '';
    const [keystore, alias] = signer === 'platform' ? [join(keys, 'apk/test-keystore.jks'), 'platform'] : [join(keys, 'signing/keys/rotated-rsa.p12'), 'rotated'];
    run('keytool', ['-exportcert', '-keystore', keystore, '-storepass', 'android', '-alias', alias, '-file', exported]);
    return sha256(readFileSync(exported));
  };

  for (const id of ['keys-vendor-4.9.1', 'keys-test-4.9.2']) {
    it(`${id}: every APK is signed by the key its facts name (apksigner), and is platform-signed when framework-res.apk's certificate signs it`, () => {
      const build = buildsJson.builds[id];
      const facts = build?.layouts.legacy?.facts;
      const root = unpacked.get(build?.packages['file-ota'] ?? '')?.root ?? '';
      const certificate = (path: string): string => /^Signer #1 certificate SHA-256 digest: ([0-9a-f]{64})$/m.exec(run('apksigner', ['verify', '--print-certs', join(root, path)]))?.[1] ?? '';
      const platform = certificate('/system/framework/framework-res.apk');
      expect(platform).toBe(certificateOf('platform'));
      for (const app of facts?.apps ?? []) {
        const digest = certificate(app.path);
        expect(digest, app.path).toBe(certificateOf(app.signer ?? ''));
        expect(app.platformSigned, app.path).toBe(digest === platform);
      }
    }, 60_000);
  }
});

