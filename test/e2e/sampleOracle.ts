import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { findPreferenceByTitle, readSampleApps, type OracleApp } from './sampleApkOracle.js';

/**
 * What the sample packages contain, read with Info-ZIP's `unzip` (and `aapt` for the APKs, see
 * sampleApkOracle.ts) and parsed here, never through the engine: the tests compare the app's
 * output against this.
 */

export const SAMPLE_OLD = fileURLToPath(new URL('../../samples/sample-old.zip', import.meta.url));
export const SAMPLE_NEW = fileURLToPath(new URL('../../samples/sample-new.zip', import.meta.url));

export interface ExpectedPropertyDiff {
  changed: Map<string, { old: string; new: string }>;
  added: Map<string, string>;
  removed: Map<string, string>;
}

/** A file as the Files section lists it: its sizes, null where it is absent or a symbolic link. */
export interface ExpectedFile {
  path: string;
  oldSize: number | null;
  newSize: number | null;
}

export interface ExpectedFileDiff {
  added: ExpectedFile[];
  removed: ExpectedFile[];
  changed: ExpectedFile[];
  /** Files both packages hold byte for byte (links with the same target), with the content's SHA-256 (null for a link). */
  unchanged: { path: string; sha256: string | null }[];
}

/** A file member's content hash and size, or a symbolic link's target. */
type SampleEntry = { kind: 'file'; sha256: string; size: number } | { kind: 'symlink'; target: string };

const UPDATER_SCRIPT = 'META-INF/com/google/android/updater-script';

function unzipMember(zipPath: string, member: string): Buffer {
  if (/[[\]*?\\]/.test(member)) throw new Error(`oracle: member name ${member} would be read by unzip as a pattern`);
  return execFileSync('unzip', ['-p', zipPath, member], { maxBuffer: 256 * 1024 * 1024 });
}

function memberNames(zipPath: string): string[] {
  return execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).split('\n').filter((name) => name !== '');
}

/** `key=value` lines of a build.prop; comments, blank lines and `import` lines carry no property. */
export function parseBuildProp(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('import ')) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) throw new Error(`oracle: unexpected build.prop line ${JSON.stringify(rawLine)}`);
    const name = line.slice(0, equals).trim();
    const value = line.slice(equals + 1).trim();
    // Which duplicate wins differs between ro.* and other properties; a sample must not depend on it.
    if (properties.has(name) && properties.get(name) !== value) throw new Error(`oracle: ${name} is set twice`);
    properties.set(name, value);
  }
  return properties;
}

/**
 * The sample's one property file. The engine layers every property file of a build; this oracle
 * reads one, so a sample with more must fail here rather than be checked against half the truth.
 */
export function readSampleBuildProp(zipPath: string): Map<string, string> {
  const propertyFiles = memberNames(zipPath).filter((name) => /(^|\/)(build\.prop|default\.prop|prop\.default)$/.test(name));
  if (propertyFiles.join() !== 'system/build.prop') {
    throw new Error(`oracle: ${zipPath} has property files ${propertyFiles.join(', ')}; this oracle reads only system/build.prop`);
  }
  return parseBuildProp(unzipMember(zipPath, 'system/build.prop').toString('utf8'));
}

export function expectedPropertyDiff(oldProps: Map<string, string>, newProps: Map<string, string>): ExpectedPropertyDiff {
  const diff: ExpectedPropertyDiff = { changed: new Map(), added: new Map(), removed: new Map() };
  for (const [name, oldValue] of oldProps) {
    const newValue = newProps.get(name);
    if (newValue === undefined) diff.removed.set(name, oldValue);
    else if (newValue !== oldValue) diff.changed.set(name, { old: oldValue, new: newValue });
  }
  for (const [name, newValue] of newProps) {
    if (!oldProps.has(name)) diff.added.set(name, newValue);
  }
  return diff;
}

/** `symlink("target", "/system/a", "/system/b");` statements of an edify updater-script. */
export function parseUpdaterSymlinks(script: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const statement of script.matchAll(/\bsymlink\(([^)]*)\)/g)) {
    const args = [...(statement[1] ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1] ?? '');
    const [target, ...paths] = args;
    if (target === undefined || paths.length === 0) throw new Error(`oracle: unexpected symlink statement ${statement[0]}`);
    for (const path of paths) links.set(path, target);
  }
  return links;
}

/**
 * Device path (`/system/…`) → entry, for every file member under `system/` and every symbolic
 * link the updater-script makes (a file-based OTA creates links when it installs).
 */
export function readSampleSystemFiles(zipPath: string): Map<string, SampleEntry> {
  const names = memberNames(zipPath);
  const entries = new Map<string, SampleEntry>();
  for (const member of names.filter((name) => name.startsWith('system/') && !name.endsWith('/'))) {
    const bytes = unzipMember(zipPath, member);
    entries.set(`/${member}`, { kind: 'file', sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
  }
  if (names.includes(UPDATER_SCRIPT)) {
    for (const [path, target] of parseUpdaterSymlinks(unzipMember(zipPath, UPDATER_SCRIPT).toString('utf8'))) entries.set(path, { kind: 'symlink', target });
  }
  return entries;
}

function sameEntry(a: SampleEntry, b: SampleEntry): boolean {
  if (a.kind === 'file' && b.kind === 'file') return a.sha256 === b.sha256;
  if (a.kind === 'symlink' && b.kind === 'symlink') return a.target === b.target;
  return false;
}

export function expectedFileDiff(oldFiles: Map<string, SampleEntry>, newFiles: Map<string, SampleEntry>): ExpectedFileDiff {
  const size = (entry: SampleEntry | undefined) => (entry?.kind === 'file' ? entry.size : null);
  const file = (path: string): ExpectedFile => ({ path, oldSize: size(oldFiles.get(path)), newSize: size(newFiles.get(path)) });
  const sorted = (paths: Iterable<string>) => [...paths].sort().map(file);
  return {
    added: sorted([...newFiles.keys()].filter((path) => !oldFiles.has(path))),
    removed: sorted([...oldFiles.keys()].filter((path) => !newFiles.has(path))),
    changed: sorted([...oldFiles].filter(([path, entry]) => newFiles.has(path) && !sameEntry(entry, newFiles.get(path) as SampleEntry)).map(([path]) => path)),
    unchanged: [...oldFiles]
      .filter(([path, entry]) => newFiles.has(path) && sameEntry(entry, newFiles.get(path) as SampleEntry))
      .map(([path, entry]) => ({ path, sha256: entry.kind === 'file' ? entry.sha256 : null }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
}

export interface ExpectedAppDiff {
  added: string[];
  removed: string[];
  /** Packages in both builds whose APK bytes differ, with the permissions each newly asks for. */
  changed: Map<string, { permissionsAdded: string[]; permissionsRemoved: string[] }>;
  /** Every permission each APK asks for, by package, as `aapt dump badging` lists them. */
  usesPermissions: { old: Map<string, string[]>; new: Map<string, string[]> };
}

function apkHash(zipPath: string, app: OracleApp): string {
  return createHash('sha256').update(unzipMember(zipPath, app.path.slice(1))).digest('hex');
}

export function expectedAppDiff(): ExpectedAppDiff {
  const oldApps = new Map(readSampleApps(SAMPLE_OLD).map((app) => [app.package, app]));
  const newApps = new Map(readSampleApps(SAMPLE_NEW).map((app) => [app.package, app]));
  const changed = new Map<string, { permissionsAdded: string[]; permissionsRemoved: string[] }>();
  for (const [name, after] of newApps) {
    const before = oldApps.get(name);
    if (before === undefined || apkHash(SAMPLE_OLD, before) === apkHash(SAMPLE_NEW, after)) continue;
    changed.set(name, {
      permissionsAdded: after.usesPermissions.filter((permission) => !before.usesPermissions.includes(permission)),
      permissionsRemoved: before.usesPermissions.filter((permission) => !after.usesPermissions.includes(permission)),
    });
  }
  const permissionsOf = (apps: Map<string, OracleApp>) => new Map([...apps].map(([name, app]) => [name, app.usesPermissions]));
  return {
    added: [...newApps.keys()].filter((name) => !oldApps.has(name)).sort(),
    removed: [...oldApps.keys()].filter((name) => !newApps.has(name)).sort(),
    changed,
    usesPermissions: { old: permissionsOf(oldApps), new: permissionsOf(newApps) },
  };
}

export interface ExpectedCloudMessaging {
  /** The report's words for each side's state. */
  old: 'On by default' | 'Opt-in' | 'Not found';
  new: 'On by default' | 'Opt-in' | 'Not found';
  /** Evidence paths of each side: the SMS app's preference XML. */
  oldPath: string | null;
  newPath: string | null;
}

/** The SMS app's "Mi Cloud Messaging" checkbox default in each sample, as aapt reads the APK. */
export function expectedCloudMessaging(): ExpectedCloudMessaging {
  const side = (zipPath: string) => {
    const preference = findPreferenceByTitle(zipPath, 'Mms.apk', /^Mi Cloud Messaging$/);
    return { state: preference === null ? ('Not found' as const) : preference.defaultOn ? ('On by default' as const) : ('Opt-in' as const), path: preference?.path ?? null };
  };
  const before = side(SAMPLE_OLD);
  const after = side(SAMPLE_NEW);
  return { old: before.state, new: after.state, oldPath: before.path, newPath: after.path };
}

/** Everything the tests check about the sample pair, computed once. */
export function sampleExpectations() {
  const oldProps = readSampleBuildProp(SAMPLE_OLD);
  const newProps = readSampleBuildProp(SAMPLE_NEW);
  const fingerprint = (props: Map<string, string>, side: string) => {
    const value = props.get('ro.build.fingerprint');
    if (value === undefined) throw new Error(`oracle: the ${side} sample has no ro.build.fingerprint`);
    return value;
  };
  return {
    properties: expectedPropertyDiff(oldProps, newProps),
    files: expectedFileDiff(readSampleSystemFiles(SAMPLE_OLD), readSampleSystemFiles(SAMPLE_NEW)),
    fingerprints: { old: fingerprint(oldProps, 'old'), new: fingerprint(newProps, 'new') },
  };
}
