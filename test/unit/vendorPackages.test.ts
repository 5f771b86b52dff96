// Firmware as vendors ship it (test/fixtures/vendor, built by scripts/fixtures/build-vendor-packages.mjs
// from the seed scenario's two builds): Samsung Odin tars, compressed fastboot members, split
// sparse chunks, a bare payload.bin and super_empty.img. Each is unpacked here with the real tools
// (tar, lz4 -dc, zstd/xz/bzip2/brotli/gzip -dc, simg2img, unzip) and its files read with debugfs;
// OTA Lens must read the same files, and find the cloud-messaging flip the scenario defines.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toCanonicalJson } from '../../shared/canonicalJson.js';
import { comparePackages } from '../../electron/engine/compare.js';
import { UnsupportedFormatError } from '../../electron/engine/errors.js';
import { withPackage } from '../../electron/engine/formats/registry.js';
import { buildInventory } from '../../electron/engine/inventory/buildInventory.js';
import type { ComparisonResult } from '../../shared/model.js';
import { debugfsEntries, tempDir, tool, type Entry } from '../support/ext4.js';
import { expectInputError } from '../support/inputError.js';
import { REPO_ROOT, sha256, unpackBootImage } from '../support/oracles.js';

const VENDOR = join(REPO_ROOT, 'test/fixtures/vendor');
const SCENARIOS = join(REPO_ROOT, 'test/fixtures/scenarios');
const OLD = 'resource-on-4.8.1';
const NEW = 'resource-off-4.8.22';

interface BuildInfo {
  images: { system: string; vendor: string; super: string };
  superExtents: { system_a: [number, number]; vendor_a: [number, number] };
  sparseChunks: number;
  odin: Record<'AP' | 'BL' | 'CP' | 'CSC' | 'HOME_CSC', string>;
}
const vendorJson = JSON.parse(readFileSync(join(VENDOR, 'vendor.json'), 'utf8')) as { builds: Record<string, BuildInfo>; superEmpty: { partitions: string[]; groups: string[] } };
const scenario = (JSON.parse(readFileSync(join(SCENARIOS, 'scenarios.json'), 'utf8')) as { scenarios: { id: string; expected: Record<string, { cloudMessaging: { old: { state: string }; new: { state: string }; change: string } }> }[] }).scenarios.find(
  (entry) => entry.id === 'resource-flip',
);
const expectedFlip = scenario?.expected['ab-ext4']?.cloudMessaging;

const scratch = tempDir('vendor-packages');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const work = (): string => {
  const dir = join(scratch, String(counter++));
  mkdirSync(dir, { recursive: true });
  return dir;
};

const odinFile = (build: string, slot: keyof BuildInfo['odin']): string => join(VENDOR, 'odin', build, (vendorJson.builds[build] as BuildInfo).odin[slot]);

/** The raw super.img the real tools make of a sparse image file (`simg2img`, which writes several chunks in order over one file). */
function simg2img(dir: string, sparseFiles: string[]): Buffer {
  const raw = join(dir, 'super.raw');
  tool('simg2img', [...sparseFiles, raw]);
  return readFileSync(raw);
}

/**
 * Checks a raw super.img made by the tools against the generator's record, cuts system_a and
 * vendor_a out of it, and lists their files with debugfs (system-as-root: /system is the image's
 * system/ folder).
 */
function filesViaDebugfs(build: string, superRaw: Buffer, dir: string): Map<string, Entry> {
  const info = vendorJson.builds[build] as BuildInfo;
  expect(sha256(superRaw)).toBe(info.images.super);
  const files = new Map<string, Entry>();
  for (const [partition, [offset, length]] of Object.entries(info.superExtents)) {
    const name = partition.replace(/_a$/, '');
    const image = join(dir, `${name}.img`);
    writeFileSync(image, superRaw.subarray(offset, offset + length));
    expect(sha256(readFileSync(image))).toBe(info.images[name as 'system' | 'vendor']);
    mkdirSync(join(dir, `${name}-dump`), { recursive: true });
    for (const entry of debugfsEntries(image, join(dir, `${name}-dump`))) {
      if (entry.type !== 'file') continue;
      // system is system-as-root: the device's /system is the image's system/ folder.
      const path = `/${entry.path.replace(/^\//, '')}`;
      if (name === 'system' && !path.startsWith('/system/')) continue;
      files.set(name === 'system' ? path : `/vendor${path}`, entry);
    }
  }
  return files;
}

/** OTA Lens's inventory of a package: its file hashes under /system and /vendor, and its problems. */
async function inventoryOf(path: string): Promise<{ files: Map<string, string>; problems: string[]; format: string; partitions: string[]; bootPatch: string | null }> {
  const { inventory } = await buildInventory(path, { pool: null });
  const files = new Map(inventory.files.filter((entry) => entry.type === 'file' && /^\/(system|vendor)\//.test(entry.path)).map((entry) => [entry.path, entry.sha256 ?? '']));
  return {
    files,
    problems: inventory.problems.map((problem) => `${problem.path}: ${problem.message}`),
    format: inventory.package.format,
    partitions: inventory.package.partitions.map((partition) => partition.name),
    bootPatch: inventory.package.boot?.securityPatch ?? null,
  };
}

function expectSameFiles(ours: Map<string, string>, oracle: Map<string, Entry>): void {
  expect([...ours.keys()].sort()).toEqual([...oracle.keys()].sort());
  for (const [path, entry] of oracle) expect(ours.get(path), path).toBe(entry.sha256);
  expect(oracle.size).toBeGreaterThan(10);
}

async function expectCloudMessagingFlip(oldPath: string, newPath: string): Promise<ComparisonResult> {
  expect(expectedFlip).toBeDefined();
  const result = await comparePackages(oldPath, newPath, { parallel: false });
  const verdict = result.features.find((feature) => feature.id === 'cloud-messaging');
  expect(verdict?.old.state).toBe(expectedFlip?.old.state);
  expect(verdict?.new.state).toBe(expectedFlip?.new.state);
  expect(verdict?.change).toBe(expectedFlip?.change);
  expect(verdict?.change).toBe('now-opt-in');
  return result;
}

describe('Samsung Odin firmware', () => {
  it('a single AP .tar.md5 reads as the files debugfs finds in its super.img.lz4 (tar, lz4 -dc, simg2img)', async () => {
    const dir = work();
    const ap = odinFile(OLD, 'AP');
    tool('tar', ['-xf', ap, '-C', dir, 'super.img.lz4', 'boot.img.lz4']);
    tool('lz4', ['-dqf', join(dir, 'super.img.lz4'), join(dir, 'super.simg')]);
    tool('lz4', ['-dqf', join(dir, 'boot.img.lz4'), join(dir, 'boot.img')]);
    const oracle = filesViaDebugfs(OLD, simg2img(dir, [join(dir, 'super.simg')]), dir);
    const bootPatch = unpackBootImage(join(dir, 'boot.img'), join(dir, 'boot')).fields.get('os patch level');
    const ours = await inventoryOf(ap);
    expect(ours.format).toBe('odin-tar');
    expect(ours.partitions).toEqual(expect.arrayContaining(['boot', 'super', 'system', 'vendor', 'vbmeta']));
    expect(ours.problems).toEqual([]);
    expect(bootPatch).toMatch(/^\d{4}-\d{2}$/);
    expect(ours.bootPatch).toBe(bootPatch);
    expectSameFiles(ours.files, oracle);
  });

  it('the set, as a folder and as a zip, is one device: AP, BL, CP and CSC partitions together, the MD5 lines checked', async () => {
    for (const path of [join(VENDOR, 'odin', OLD), join(VENDOR, 'odin', `${OLD}.zip`)]) {
      const ours = await inventoryOf(path);
      expect(ours.format).toBe('odin-set');
      expect(ours.partitions).toEqual(expect.arrayContaining(['system', 'vendor', 'sboot', 'modem', 'optics']));
      expect(ours.problems.filter((problem) => /MD5/.test(problem))).toEqual([]);
      expect(ours.problems).toContain(`${(vendorJson.builds[OLD] as BuildInfo).odin.HOME_CSC}: not read: it holds the same partitions as the CSC file next to it (HOME_CSC only keeps user data when flashed)`);
    }
  });

  it('a damaged download (a byte changed, or a wrong MD5 line) is a problem naming md5sum\'s digest, and the rest is still read', async () => {
    const dir = work();
    const original = readFileSync(odinFile(OLD, 'AP'));
    // The MD5 line follows the tar's zero padding.
    const line = original.toString('latin1', original.lastIndexOf(0) + 1);
    expect(line).toMatch(/^[0-9a-f]{32} {2}AP_\S+\.tar\n$/);
    const tarLength = original.length - line.length;
    // A byte of the tar's end padding: the archive still reads, its MD5 no longer matches.
    const damaged = Buffer.from(original);
    damaged[tarLength - 100] = 0x41;
    const damagedPath = join(dir, 'AP_damaged.tar.md5');
    writeFileSync(damagedPath, damaged);
    writeFileSync(join(dir, 'damaged.tar'), damaged.subarray(0, tarLength));
    const actual = tool('md5sum', [join(dir, 'damaged.tar')]).toString('utf8').slice(0, 32);
    const ours = await inventoryOf(damagedPath);
    expect(ours.problems).toContain(`AP_damaged.tar.md5: MD5 mismatch: the file states ${line.slice(0, 32)}, its bytes hash to ${actual}: the download is damaged (get it again)`);
    expect(ours.files.size).toBeGreaterThan(10);
    // A wrong digest in the line itself.
    const wrongLine = Buffer.concat([original.subarray(0, tarLength), Buffer.from(`${'0'.repeat(32)}${line.slice(32)}`, 'latin1')]);
    writeFileSync(join(dir, 'AP_wrong.tar.md5'), wrongLine);
    expect((await inventoryOf(join(dir, 'AP_wrong.tar.md5'))).problems.some((problem) => problem.startsWith(`AP_wrong.tar.md5: MD5 mismatch: the file states ${'0'.repeat(32)}`))).toBe(true);
  });

  it('a damaged super.img.lz4 inside is a problem for its partitions, with the LZ4 layer named', async () => {
    const dir = work();
    tool('tar', ['-xf', odinFile(OLD, 'AP'), '-C', dir]);
    const lz4 = readFileSync(join(dir, 'super.img.lz4'));
    // Truncate the frame: lz4 -t agrees it is damaged.
    writeFileSync(join(dir, 'super.img.lz4'), lz4.subarray(0, lz4.length - 4000));
    expect(() => tool('lz4', ['-tq', join(dir, 'super.img.lz4')])).toThrow();
    tool('tar', ['--format=ustar', '-C', dir, '-cf', join(dir, 'AP_cut.tar'), 'boot.img.lz4', 'super.img.lz4', 'vbmeta.img.lz4']);
    const md5 = tool('md5sum', [join(dir, 'AP_cut.tar')]).toString('utf8').slice(0, 32);
    writeFileSync(join(dir, 'AP_cut.tar.md5'), Buffer.concat([readFileSync(join(dir, 'AP_cut.tar')), Buffer.from(`${md5}  AP_cut.tar\n`)]));
    const ours = await inventoryOf(join(dir, 'AP_cut.tar.md5'));
    expect(ours.problems.some((problem) => problem.startsWith('/super: partition not read: ') && problem.includes('lz4 frame') && problem.includes('truncated'))).toBe(true);
    expect(ours.partitions).toEqual(expect.arrayContaining(['boot', 'vbmeta']));
  });

  it('the cloud-messaging flip, end to end, from the Odin zips', async () => {
    await expectCloudMessagingFlip(join(VENDOR, 'odin', `${OLD}.zip`), join(VENDOR, 'odin', `${NEW}.zip`));
  });

  it('reads the same with its files decoded (LZ4 blocks, sparse, ext4) and hashed in worker threads', async () => {
    const [oldPath, newPath] = [join(VENDOR, 'odin', `${OLD}.zip`), join(VENDOR, 'odin', `${NEW}.zip`)];
    const onThisThread = toCanonicalJson(await comparePackages(oldPath, newPath, { parallel: false }));
    expect(toCanonicalJson(await comparePackages(oldPath, newPath, { parallel: true, readerWorkers: true }))).toBe(onThisThread);
  });
});

describe('compressed members in factory packages', () => {
  it('images/super.img.zst in a zip reads as debugfs reads the image zstd -dc and simg2img make', async () => {
    const dir = work();
    writeFileSync(join(dir, 'super.img.zst'), tool('unzip', ['-p', join(VENDOR, 'compressed', `${OLD}.zip`), 'images/super.img.zst']));
    writeFileSync(join(dir, 'super.simg'), tool('zstd', ['-dc', join(dir, 'super.img.zst')]));
    const oracle = filesViaDebugfs(OLD, simg2img(dir, [join(dir, 'super.simg')]), dir);
    const ours = await inventoryOf(join(VENDOR, 'compressed', `${OLD}.zip`));
    expect(ours.format).toBe('factory-zip');
    expectSameFiles(ours.files, oracle);
  });

  it('.xz and .bz2 members of a tgz, .br and .gz files of a folder hold the images the tools decode', async () => {
    const dir = work();
    tool('tar', ['-xzf', join(VENDOR, 'compressed', `${OLD}.tgz`), '-C', dir]);
    const info = vendorJson.builds[OLD] as BuildInfo;
    expect(sha256(tool('xz', ['-dc', join(dir, 'images/system.img.xz')]))).toBe(info.images.system);
    expect(sha256(tool('bzip2', ['-dc', join(dir, 'images/vendor.img.bz2')]))).toBe(info.images.vendor);
    expect(sha256(tool('brotli', ['-dc', join(VENDOR, 'compressed', OLD, 'system.img.br')]))).toBe(info.images.system);
    expect(sha256(tool('gzip', ['-dc', join(VENDOR, 'compressed', OLD, 'vendor.img.gz')]))).toBe(info.images.vendor);
    // The same images as the zip's super.img holds: their files are the ones checked above.
    const reference = await inventoryOf(join(VENDOR, 'compressed', `${OLD}.zip`));
    for (const [path, format] of [[join(VENDOR, 'compressed', `${OLD}.tgz`), 'factory-tar'], [join(VENDOR, 'compressed', OLD), 'factory-folder']] as const) {
      const ours = await inventoryOf(path);
      expect(ours.format).toBe(format);
      expect(ours.files).toEqual(reference.files);
    }
  });

  it('the cloud-messaging flip, end to end, from the zstd-compressed fastboot zips', async () => {
    await expectCloudMessagingFlip(join(VENDOR, 'compressed', `${OLD}.zip`), join(VENDOR, 'compressed', `${NEW}.zip`));
  });
});

describe('split sparse images', () => {
  const chunksOf = (dir: string, build: string): string[] => {
    tool('unzip', ['-q', '-o', join(VENDOR, 'sparsechunks', `${build}.zip`), '-d', dir]);
    return readdirSync(dir)
      .filter((name) => name.startsWith('super.img_sparsechunk.'))
      .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));
  };

  it('the chunks together are the image simg2img writes from them in order, and each alone is not', async () => {
    const dir = work();
    const chunks = chunksOf(dir, OLD);
    expect(chunks.length).toBe((vendorJson.builds[OLD] as BuildInfo).sparseChunks);
    const whole = simg2img(dir, chunks.map((name) => join(dir, name)));
    for (const name of chunks) expect(sha256(simg2img(work(), [join(dir, name)]))).not.toBe(sha256(whole));
    const oracle = filesViaDebugfs(OLD, whole, dir);
    const ours = await inventoryOf(join(VENDOR, 'sparsechunks', `${OLD}.zip`));
    expectSameFiles(ours.files, oracle);
  });

  it('a missing or corrupt chunk makes super a problem that names it', async () => {
    const dir = work();
    const chunks = chunksOf(dir, OLD);
    rmSync(join(dir, chunks[1] as string));
    const missing = await inventoryOf(dir);
    expect(missing.problems.some((problem) => problem.startsWith('/super: partition not read: super.img_sparsechunk.1: sparse chunks: sparse chunk 1 of super.img is missing'))).toBe(true);
    const corrupt = work();
    for (const name of chunks) if (name !== chunks[1]) copyFileSync(join(dir, name), join(corrupt, name));
    const bytes = readFileSync(join(dir, chunks[0] as string));
    writeFileSync(join(corrupt, chunks[1] as string), bytes.subarray(0, 5000));
    const cut = await inventoryOf(corrupt);
    expect(cut.problems.some((problem) => problem.startsWith('/super: partition not read: ') && /sparse/.test(problem) && /truncated|past the end/.test(problem))).toBe(true);
  });

  it('the cloud-messaging flip, end to end, from the chunked zips', async () => {
    await expectCloudMessagingFlip(join(VENDOR, 'sparsechunks', `${OLD}.zip`), join(VENDOR, 'sparsechunks', `${NEW}.zip`));
  });
});

describe('a bare payload.bin', () => {
  const payloadOf = (zip: string, name: string): string => {
    const dir = work();
    const path = join(dir, name);
    writeFileSync(path, tool('unzip', ['-p', zip, 'payload.bin']));
    return path;
  };

  it('a full payload reads as its OTA zip does, and shows the cloud-messaging flip', async () => {
    const oldPayload = payloadOf(join(SCENARIOS, 'ab-ext4', `${OLD}.zip`), 'payload.bin');
    const newPayload = payloadOf(join(SCENARIOS, 'ab-ext4', `${NEW}.zip`), 'payload.bin');
    const ours = await inventoryOf(oldPayload);
    expect(ours.format).toBe('payload-bin');
    expect(ours.files).toEqual((await inventoryOf(join(SCENARIOS, 'ab-ext4', `${OLD}.zip`))).files);
    await expectCloudMessagingFlip(oldPayload, newPayload);
  });

  it('a delta payload is refused as incremental, naming what it patches from its manifest', async () => {
    const path = payloadOf(join(REPO_ROOT, 'test/fixtures/payload/ota-delta.zip'), 'delta.bin');
    const recorded = (JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/payload/payload.json'), 'utf8')) as { full: { partitions: { system: { sha256: string } } } }).full.partitions.system;
    const error = await expectInputError(withPackage(path, async () => undefined));
    expect(error).toBeInstanceOf(UnsupportedFormatError);
    expect(error.message).toContain('an incremental OTA (payload minor version 8; it patches system (old size 6 MiB, old SHA-256 ');
    // The delta patches the full fixture's system image: its hash is the old one.
    expect(error.message).toContain(`old SHA-256 ${recorded.sha256}`);
  });
});

describe('super_empty.img', () => {
  it('is a layout without data: its partitions and groups listed, and one problem saying there are no files to compare', async () => {
    const { inventory } = await buildInventory(join(VENDOR, 'super_empty.img'), { pool: null });
    expect(inventory.package.format).toBe('super-empty');
    expect(inventory.package.partitions.map((partition) => partition.name)).toEqual(vendorJson.superEmpty.partitions);
    expect(inventory.files).toEqual([]);
    const problem = inventory.problems.find((entry) => entry.path === '/');
    expect(problem?.message).toMatch(/^no files to compare: super_empty\.img is a partition layout without data \(4 partitions in /);
    for (const group of vendorJson.superEmpty.groups.filter((name) => name !== 'default')) expect(problem?.message).toContain(group);
  });
});
