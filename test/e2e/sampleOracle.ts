import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/**
 * What the sample packages contain, read with Info-ZIP's `unzip` and parsed here, never through
 * the engine: the tests compare the app's output against this.
 */

export const SAMPLE_OLD = fileURLToPath(new URL('../../samples/sample-old.zip', import.meta.url));
export const SAMPLE_NEW = fileURLToPath(new URL('../../samples/sample-new.zip', import.meta.url));

export interface ExpectedPropertyDiff {
  changed: Map<string, { old: string; new: string }>;
  added: Map<string, string>;
  removed: Map<string, string>;
}

export interface ExpectedFileDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

function unzipMember(zipPath: string, member: string): Buffer {
  return execFileSync('unzip', ['-p', zipPath, member], { maxBuffer: 256 * 1024 * 1024 });
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

export function readSampleBuildProp(zipPath: string): Map<string, string> {
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

/** Device path (`/system/…`) → SHA-256 of the content, for every file member under `system/`. */
export function readSampleSystemFiles(zipPath: string): Map<string, string> {
  const members = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' })
    .split('\n')
    .filter((name) => name.startsWith('system/') && !name.endsWith('/'));
  const files = new Map<string, string>();
  for (const member of members) {
    if (/[[\]*?\\]/.test(member)) throw new Error(`oracle: member name ${member} would be read by unzip as a pattern`);
    files.set(`/${member}`, createHash('sha256').update(unzipMember(zipPath, member)).digest('hex'));
  }
  return files;
}

export function expectedFileDiff(oldFiles: Map<string, string>, newFiles: Map<string, string>): ExpectedFileDiff {
  const sorted = (paths: Iterable<string>) => [...paths].sort();
  return {
    added: sorted([...newFiles.keys()].filter((path) => !oldFiles.has(path))),
    removed: sorted([...oldFiles.keys()].filter((path) => !newFiles.has(path))),
    changed: sorted([...oldFiles].filter(([path, hash]) => newFiles.has(path) && newFiles.get(path) !== hash).map(([path]) => path)),
  };
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
