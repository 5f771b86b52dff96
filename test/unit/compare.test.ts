import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCanonicalJson } from '../../shared/canonicalJson.js';
import type { FileDiff, Progress } from '../../shared/model.js';
import { comparePackages } from '../../electron/engine/compare.js';
import { compareInWorker } from '../../electron/engine/compareInWorker.js';
import { CancelledError, InputError } from '../../electron/engine/errors.js';
import { buildInventory, type InventoryProgress } from '../../electron/engine/inventory/buildInventory.js';
import { propsFromText, run, SAMPLE_NEW, SAMPLE_OLD, sha256, unzipMember, unzipNames, zipLayout } from '../support/oracles.js';

const temp = mkdtempSync(join(tmpdir(), 'otalens-compare-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function filePaths(files: FileDiff): { added: string[]; removed: string[]; changed: string[] } {
  return { added: files.added.map((f) => f.path), removed: files.removed.map((f) => f.path), changed: files.changed.map((f) => f.path) };
}

/** The expected file diff, computed from Info-ZIP's listing and extraction alone. */
function oracleFileDiff(oldZip: string, newZip: string): { added: string[]; removed: string[]; changed: string[]; unchanged: [string, string][] } {
  const hashes = (zip: string): Map<string, string> =>
    new Map(
      unzipNames(zip)
        .filter((name) => name.startsWith('system/') && !name.endsWith('/'))
        .map((name) => [`/${name}`, sha256(unzipMember(zip, name))]),
    );
  const before = hashes(oldZip);
  const after = hashes(newZip);
  return {
    added: [...after.keys()].filter((path) => !before.has(path)).sort(),
    removed: [...before.keys()].filter((path) => !after.has(path)).sort(),
    changed: [...after.keys()].filter((path) => before.has(path) && before.get(path) !== after.get(path)).sort(),
    unchanged: [...after].filter(([path, hash]) => before.get(path) === hash).sort(([a], [b]) => (a < b ? -1 : 1)),
  };
}

describe('comparePackages on the sample pair', () => {
  it('finds exactly the property changes an independent reading of both build.prop files shows', async () => {
    const result = await comparePackages(SAMPLE_OLD, SAMPLE_NEW);
    const before = propsFromText(unzipMember(SAMPLE_OLD, 'system/build.prop').toString('utf8'));
    const after = propsFromText(unzipMember(SAMPLE_NEW, 'system/build.prop').toString('utf8'));

    const changed = Object.keys(after).filter((name) => name in before && before[name] !== after[name]).sort();
    expect(result.properties.changed.map((change) => change.name)).toEqual(changed);
    const layer = '/system/build.prop';
    for (const change of result.properties.changed) {
      expect(change).toEqual({ name: change.name, old: before[change.name], new: after[change.name], oldLayer: layer, newLayer: layer });
    }
    expect(result.properties.added).toEqual(Object.keys(after).filter((name) => !(name in before)).sort().map((name) => ({ name, old: null, new: after[name], oldLayer: null, newLayer: layer })));
    expect(result.properties.removed).toEqual(Object.keys(before).filter((name) => !(name in after)).sort().map((name) => ({ name, old: before[name], new: null, oldLayer: layer, newLayer: null })));

    expect(result.schemaVersion).toBe(2);
    expect(result.old.fingerprint).toBe(before['ro.build.fingerprint']);
    expect(result.new.fingerprint).toBe(after['ro.build.fingerprint']);
    expect(result.old.sha256).toBe(sha256(readFileSync(SAMPLE_OLD)));
    expect(result.new.sha256).toBe(sha256(readFileSync(SAMPLE_NEW)));
    expect(result.old).toMatchObject({ file: 'sample-old.zip', format: 'file-ota-zip' });
  });

  it('finds exactly the file changes Info-ZIP extraction shows', async () => {
    const result = await comparePackages(SAMPLE_OLD, SAMPLE_NEW);
    const { unchanged, ...changes } = oracleFileDiff(SAMPLE_OLD, SAMPLE_NEW);
    expect(filePaths(result.files)).toEqual(changes);
    // Unchanged files (not the links the updater-script makes, which have no content) with the hash of what unzip extracts.
    expect(unchanged.length).toBeGreaterThan(0);
    expect(result.files.unchanged.filter((file) => file.sha256 !== null).map((file) => [file.path, file.sha256])).toEqual(unchanged);
    const sizeOf = (zip: string, path: string): number => unzipMember(zip, path.slice(1)).length;
    for (const change of result.files.changed) expect([change.oldSize, change.newSize], change.path).toEqual([sizeOf(SAMPLE_OLD, change.path), sizeOf(SAMPLE_NEW, change.path)]);
    for (const change of result.files.added) expect(change.newSize, change.path).toBe(sizeOf(SAMPLE_NEW, change.path));
    expect(result.problems).toEqual({ old: [], new: [] });
  });

  it('gives byte-identical JSON on every run', async () => {
    const first = toCanonicalJson(await comparePackages(SAMPLE_OLD, SAMPLE_NEW));
    const second = toCanonicalJson(await comparePackages(SAMPLE_OLD, SAMPLE_NEW));
    expect(second).toBe(first);
    expect(first).not.toContain(temp);
    expect(first).not.toMatch(/\/work\/|\/home\//);
  });

  it('falls back to the OTA metadata post-build when build.prop has no fingerprint', async () => {
    const script = `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('META-INF/com/android/metadata', 'post-build=acme/box/box:4.4/X/7:user/release-keys\\nota-type=FILE\\n')
    z.writestr('system/build.prop', 'ro.build.id=X\\n')
`;
    const zipPath = join(temp, 'nofp.zip');
    run('python3', ['-c', script, zipPath]);
    const snapshot = (await buildInventory(zipPath, { pool: null })).inventory;
    expect(snapshot.package.fingerprint).toBe('acme/box/box:4.4/X/7:user/release-keys');
    expect(snapshot.package.fingerprintSource).toBe('META-INF/com/android/metadata post-build');
  });
});

describe('damaged input', () => {
  it('reports a corrupt member, skips it, and still compares the rest', async () => {
    const bytes = Buffer.from(readFileSync(SAMPLE_NEW));
    const victim = zipLayout(SAMPLE_NEW).find((member) => member.name === 'system/bin/toolbox');
    if (victim === undefined) throw new Error('sample lacks system/bin/toolbox');
    const at = victim.dataOffset + Math.floor(victim.compressedSize / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    const damaged = join(temp, 'damaged-new.zip');
    writeFileSync(damaged, bytes);

    const result = await comparePackages(SAMPLE_OLD, damaged);
    expect(result.problems.new.map((problem) => problem.path)).toEqual(['/system/bin/toolbox']);
    expect(result.problems.new[0]?.message).toMatch(/damaged-new\.zip: zip › system\/bin\/toolbox/);
    const { unchanged, ...expected } = oracleFileDiff(SAMPLE_OLD, SAMPLE_NEW);
    // Same size, unknown content: the damaged file is claimed neither changed nor unchanged; everything else is as unzip says.
    expect(filePaths(result.files)).toEqual({ ...expected, changed: expected.changed.filter((path) => path !== '/system/bin/toolbox') });
    expect(unchanged.map(([path]) => path)).toContain('/system/bin/toolbox');
    expect(result.files.unchanged.filter((file) => file.sha256 !== null).map((file) => [file.path, file.sha256])).toEqual(unchanged.filter(([path]) => path !== '/system/bin/toolbox'));
    expect(result.properties.changed.length).toBeGreaterThan(0);
  });

  it('refuses a truncated package with an InputError naming it', async () => {
    const truncated = join(temp, 'truncated.zip');
    writeFileSync(truncated, readFileSync(SAMPLE_OLD).subarray(0, 1500));
    await expect(comparePackages(truncated, SAMPLE_NEW)).rejects.toThrow(/^truncated\.zip: zip at offset 1500: not a zip file, or a truncated one/);
  });

  it('names the layer of a damaged payload.bin, and says when a zip is no firmware at all', async () => {
    const script = `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('payload.bin', b'CrAU')
    z.writestr('payload_properties.txt', 'FILE_HASH=x\\n')
with zipfile.ZipFile(sys.argv[2], 'w') as z:
    z.writestr('readme.txt', 'hello')
`;
    const abOta = join(temp, 'ab-ota.zip');
    const notFirmware = join(temp, 'photos.zip');
    run('python3', ['-c', script, abOta, notFirmware]);
    const error = await comparePackages(abOta, SAMPLE_NEW).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('ab-ota.zip › payload.bin: payload.bin at offset 0: too short for a payload header (truncated?) (expected 24 bytes)');
    await expect(comparePackages(notFirmware, SAMPLE_NEW)).rejects.toThrow(/^photos\.zip: zip: a zip file, but not a firmware package/);
  });
});

describe('an unpacked folder', () => {
  let folder: string;
  beforeAll(() => {
    folder = join(temp, 'unpacked-old');
    run('unzip', ['-q', SAMPLE_OLD, '-d', folder]);
    for (const name of ['ls', 'ps', 'cat']) symlinkSync('toolbox', join(folder, 'system', 'bin', name));
  });

  it('inventories to the same entries as the zip it was unpacked from (sha256sum-checked)', async () => {
    const fromFolder = (await buildInventory(folder, { pool: null })).inventory;
    const fromZip = (await buildInventory(SAMPLE_OLD, { pool: null })).inventory;
    expect(fromFolder.package.format).toBe('directory');
    expect(fromFolder.package.sha256).toBeNull();
    // A folder on disk carries no device metadata (its modes and owners are the host's); the zip's come from its updater-script lines.
    expect(fromFolder.files.filter((entry) => entry.metadata !== undefined)).toEqual([]);
    const withoutMetadata = fromZip.files.map((entry) => {
      const copy = { ...entry };
      delete copy.metadata;
      return copy;
    });
    expect(fromFolder.files).toEqual(withoutMetadata);
    const buildProp = fromFolder.files.find((entry) => entry.path === '/system/build.prop');
    expect(buildProp?.sha256).toBe(run('sha256sum', [join(folder, 'system', 'build.prop')]).split(' ')[0]);
    expect(fromFolder.package.fingerprint).toBe(fromZip.package.fingerprint);
  });

  it('reports symlinks as links and never follows them out of the folder', async () => {
    const escape = join(temp, 'unpacked-escape');
    run('unzip', ['-q', SAMPLE_OLD, '-d', escape]);
    symlinkSync('/etc', join(escape, 'system', 'etc', 'host-etc'));
    const snapshot = (await buildInventory(escape, { pool: null })).inventory;
    expect(snapshot.files.find((entry) => entry.path === '/system/etc/host-etc')).toEqual({ path: '/system/etc/host-etc', type: 'symlink', size: 0, target: '/etc', sha256: null });
    expect(snapshot.files.some((entry) => entry.path.startsWith('/system/etc/host-etc/'))).toBe(false);
  });
});

describe('progress', () => {
  it('reports bytes while a large file is still being hashed', async () => {
    const folder = join(temp, 'big-file');
    run('mkdir', ['-p', join(folder, 'system')]);
    run('truncate', ['-s', '40M', join(folder, 'system', 'big.img')]);
    const seen: InventoryProgress[] = [];
    await buildInventory(folder, { pool: null, onProgress: (progress) => seen.push(progress) });
    const midFile = seen.filter((progress) => progress.filesDone === 0 && progress.bytesDone > 0);
    expect(midFile.length).toBeGreaterThanOrEqual(4);
    expect(seen.at(-1)).toEqual({ filesDone: 1, filesTotal: 1, bytesDone: 40 * 1024 * 1024, appsDone: 0, appsTotal: 0 });
  });
});

describe('compareInWorker', () => {
  it('gives the same result as in-process comparison and reports progress', async () => {
    const progress: Progress[] = [];
    const result = await compareInWorker(SAMPLE_OLD, SAMPLE_NEW, { onProgress: (p) => progress.push(p) });
    expect(toCanonicalJson(result)).toBe(toCanonicalJson(await comparePackages(SAMPLE_OLD, SAMPLE_NEW)));
    expect(progress[0]?.stage).toBe('opening');
    expect(progress.at(-1)?.stage).toBe('done');
    // Each build reports its files all read (more than once when its apps finish later).
    const reading = progress.filter((p) => p.stage === 'reading' && p.total !== undefined && p.done === p.total);
    expect([...new Set(reading.map((p) => p.side))].sort()).toEqual(['new', 'old']);
  });

  it('rebuilds input errors with their message', async () => {
    await expect(compareInWorker(join(temp, 'missing.zip'), SAMPLE_NEW)).rejects.toThrow(InputError);
    await expect(compareInWorker(join(temp, 'missing.zip'), SAMPLE_NEW)).rejects.toThrow(/missing\.zip: file: no such file or folder/);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const pending = compareInWorker(SAMPLE_OLD, SAMPLE_NEW, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });
});
