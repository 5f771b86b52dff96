// Boot image headers and kernel banners, checked against AOSP's unpack_bootimg (Debian's
// mkbootimg package) and the kernel it extracts, decoded by gzip / lz4 and searched for the banner
// with a plain byte search. Fixtures: scripts/fixtures/build-boot.mjs (test/fixtures/boot).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBootImage } from '../../electron/engine/boot/bootImage.js';
import { readBootHeader } from '../../electron/engine/boot/bootHeader.js';
import { comparePackages } from '../../electron/engine/compare.js';
import { describePackage } from '../../electron/engine/describe.js';
import { InputError } from '../../electron/engine/errors.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import type { Problem } from '../../shared/model.js';
import { markdownSummary, textSummary } from '../../shared/summary.js';
import { REPO_ROOT, unpackBootImage, type UnpackedBootImage } from '../support/oracles.js';

const BOOT = join(REPO_ROOT, 'test', 'fixtures', 'boot');
const images = (JSON.parse(readFileSync(join(BOOT, 'images.json'), 'utf8')) as { images: Record<string, { kind: string }> }).images;
const bootImages = Object.entries(images).filter(([, facts]) => facts.kind === 'boot-image' || facts.kind === 'vendor-boot-image').map(([name]) => name);
const temp = mkdtempSync(join(tmpdir(), 'otalens-boot-oracle-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** unpack_bootimg's printed fields and the kernel file it wrote. */
const unpackBootimg = (name: string): UnpackedBootImage => unpackBootImage(join(BOOT, name), join(temp, name));

/** The kernel's banner by the real decompressors: gzip -dc, lz4 -dc, or the bytes as they are. */
function oracleBanner(kernel: Buffer): { banner: string | null; encoding: string } {
  const search = (bytes: Buffer): string | null => {
    const match = /Linux version \d[^\n\0]*/.exec(bytes.toString('latin1'));
    return match === null ? null : match[0];
  };
  if (kernel.length === 0) return { banner: null, encoding: 'none' };
  if (kernel[0] === 0x1f && kernel[1] === 0x8b) return { banner: search(execFileSync('gzip', ['-dc'], { input: kernel })), encoding: 'gzip' };
  if (kernel.readUInt32LE(0) === 0x184c2102) return { banner: search(execFileSync('lz4', ['-dc'], { input: kernel })), encoding: 'lz4' };
  const raw = search(kernel);
  if (raw !== null) return { banner: raw, encoding: 'raw' };
  // A zImage: the gzip payload after the decompressor stub; gzip -dc ignores nothing before it, so cut there.
  const at = kernel.indexOf(Buffer.from([0x1f, 0x8b, 0x08]));
  return { banner: at === -1 ? null : search(execFileSync('gzip', ['-dc'], { input: kernel.subarray(at) })), encoding: 'gzip' };
}

describe('boot image headers (v0–v4) against unpack_bootimg', () => {
  for (const name of bootImages) {
    it(name, async () => {
      const oracle = unpackBootimg(name);
      const problems: Problem[] = [];
      const info = await readBootImage('boot', new BufferByteSource(name, readFileSync(join(BOOT, name))), problems);
      expect(problems).toEqual([]);
      if (info === null) throw new Error('not read as a boot image');
      const isVendor = oracle.fields.get('boot_magic') === 'VNDRBOOT';
      expect(info.kind).toBe(isVendor ? 'vendor-boot-image' : 'boot-image');
      expect(String(info.headerVersion)).toBe(oracle.fields.get(isVendor ? 'vendor boot image header version' : 'boot image header version'));
      expect(info.osVersion ?? '0.0.0').toBe(oracle.fields.get('os version') ?? '0.0.0');
      expect(info.securityPatch ?? '2000-00').toBe(oracle.fields.get('os patch level') ?? '2000-00');
      const kernel = oracleBanner(isVendor ? Buffer.alloc(0) : (oracle.kernel ?? Buffer.alloc(0)));
      expect(info.kernelEncoding).toBe(kernel.encoding);
      expect(info.kernelBanner).toBe(kernel.banner);
      if (kernel.banner !== null) expect(info.kernelVersion).toBe(kernel.banner.split(' ')[2]);
    });
  }
});

describe('broken boot images', () => {
  const v2 = readFileSync(join(BOOT, 'boot-v2-gzip.img'));
  const read = (bytes: Buffer) => readBootHeader(new BufferByteSource('broken.img', bytes), 'boot');

  it('refuses a truncated header, an impossible page size, an unknown version and a kernel past the end', async () => {
    await expect(read(v2.subarray(0, 600))).rejects.toThrow(InputError);
    await expect(read(v2.subarray(0, 600))).rejects.toThrow(/broken\.img: boot › boot image header at offset 0: truncated/);
    const badPage = Buffer.from(v2);
    badPage.writeUInt32LE(3000, 36);
    await expect(read(badPage)).rejects.toThrow(/page size 3000 is impossible/);
    const badVersion = Buffer.from(v2);
    badVersion.writeUInt32LE(9, 40);
    await expect(read(badVersion)).rejects.toThrow(/header version 9 is not known/);
    await expect(read(v2.subarray(0, 8192))).rejects.toThrow(/the kernel \(\d+ bytes at 4096\) runs past the end of the image \(8192 bytes\)/);
    expect(await read(Buffer.from('not a boot image at all'))).toBeNull();
  });

  it('keeps the header facts and reports the kernel when its compressed data is corrupt', async () => {
    const v3 = Buffer.from(readFileSync(join(BOOT, 'boot-v3-lz4.img')));
    v3.fill(0xee, 4096 + 8, 4096 + 64); // inside the first LZ4 block
    const problems: Problem[] = [];
    const info = await readBootImage('boot', new BufferByteSource('corrupt.img', v3), problems);
    expect(info).toMatchObject({ securityPatch: '2022-01', osVersion: '12.0.0', kernelVersion: null });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('/boot');
    expect(problems[0]?.message).toMatch(/^kernel version not read: corrupt\.img › kernel: lz4 \(legacy\) at offset 4: corrupt LZ4 block/);
  });
});

describe('boot facts of a package', () => {
  it('lists every partition with its kind, and the boot facts from boot and init_boot', async () => {
    const description = await describePackage(join(BOOT, 'fastboot-new.zip'));
    expect(description.partitions.map(({ name, kind }) => `${name}:${kind}`)).toEqual([
      'boot:boot-image', 'init_boot:boot-image', 'vendor_boot:vendor-boot-image', 'vbmeta:vbmeta', 'dtbo:dtbo', 'modem:raw-data', 'system:file-system',
    ]);
    const boot = unpackBootimg('boot-v4-new.img');
    const kernel = oracleBanner(boot.kernel ?? Buffer.alloc(0));
    expect(description.boot).toMatchObject({ securityPatch: boot.fields.get('os patch level'), osVersion: boot.fields.get('os version'), kernelVersion: kernel.banner?.split(' ')[2] });
    expect(description.boot?.images.map((image) => image.partition)).toEqual(['boot', 'init_boot', 'vendor_boot']);
    expect(description.problems).toEqual([]);
  });

  it('compares the patch levels next to the Android security patch, in text and Markdown', async () => {
    const result = await comparePackages(join(BOOT, 'fastboot-old.zip'), join(BOOT, 'fastboot-new.zip'), { parallel: false });
    const [oldBoot, newBoot] = ['boot-v4-old.img', 'boot-v4-new.img'].map(unpackBootimg);
    const oldKernel = oracleBanner(oldBoot?.kernel ?? Buffer.alloc(0)).banner?.split(' ')[2];
    const newKernel = oracleBanner(newBoot?.kernel ?? Buffer.alloc(0)).banner?.split(' ')[2];
    expect(result.old.boot?.securityPatch).toBe(oldBoot?.fields.get('os patch level'));
    expect(result.new.boot?.securityPatch).toBe(newBoot?.fields.get('os patch level'));
    const text = textSummary(result);
    expect(text).toContain(`Boot patch level: ${oldBoot?.fields.get('os patch level')} → ${newBoot?.fields.get('os patch level')}`);
    expect(text).toContain(`Kernel:           ${oldKernel} → ${newKernel}`);
    expect(text).toMatch(/Security patch: {3}2024-11-05 → 2024-12-05/);
    const markdown = markdownSummary(result);
    expect(markdown).toContain(`- Boot patch level: \`${oldBoot?.fields.get('os patch level')}\` → \`${newBoot?.fields.get('os patch level')}\``);
    expect(markdown).toContain(`| Kernel | \`${oldKernel}\` | \`${newKernel}\` |`);
  });
});
