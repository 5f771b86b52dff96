/**
 * Resource limits on hostile input, each a typed InputError with the rest still read:
 * overlapping zip members (the non-recursive zip bomb), deflate members declaring more than
 * deflate can produce, archives nested past the `!/` depth cap, directory cycles in ext4, files
 * declaring far more bytes than the package could hold (a sparse size bomb).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import AdmZip from 'adm-zip';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../electron/engine/errors.js';
import { closePackage, openPackage } from '../../electron/engine/formats/registry.js';
import { buildInventory } from '../../electron/engine/inventory/buildInventory.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import { ZipArchive } from '../../electron/engine/zip/zipArchive.js';
import { MAX_DEFLATE_RATIO } from '../../electron/engine/zip/zipLimits.js';
import { REPO_ROOT } from '../support/oracles.js';

const CORPUS = `${REPO_ROOT}test/fixtures/malformed/corpus/`;
const temp = mkdtempSync(join(tmpdir(), 'otalens-limits-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function readMember(zipBytes: Buffer, name: string): Promise<Buffer> {
  const zip = await ZipArchive.open(new BufferByteSource('test.zip', zipBytes));
  try {
    return await zip.readAll(zip.get(name)!, 1 << 30);
  } finally {
    await zip.close();
  }
}

describe('zip limits', () => {
  it('refuses members that share or overlap their data, naming both and the offset', async () => {
    const bytes = readFileSync(`${CORPUS}apk-overlapping-entries.apk`);
    const error = await ZipArchive.open(new BufferByteSource('apk-overlapping-entries.apk', bytes)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ file: 'apk-overlapping-entries.apk', format: 'zip', offset: 0 });
    expect((error as InputError).problem).toBe('members "AndroidManifest.xml" and "resources.arsc" overlap (a zip bomb construction)');
  });

  it('refuses a deflated member declaring more than deflate can expand to, before inflating it', async () => {
    const bytes = readFileSync(`${CORPUS}apk-deflate-bomb.apk`);
    // The oracle: the corpus member's sizes as adm-zip reads them from the central directory.
    const header = new AdmZip(bytes).getEntry('AndroidManifest.xml')!.header;
    expect(header.size).toBe(0xfffffff0);
    expect(header.size).toBeGreaterThan(header.compressedSize * MAX_DEFLATE_RATIO);
    const zip = await ZipArchive.open(new BufferByteSource('apk-deflate-bomb.apk', bytes));
    const error = await zip.openStream(zip.get('AndroidManifest.xml')!).catch((caught: unknown) => caught);
    await zip.close();
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ format: 'zip › AndroidManifest.xml', offset: 0 });
    expect((error as InputError).problem).toContain(`declares ${0xfffffff0} bytes from ${header.compressedSize} compressed`);
  });

  it('still reads a legitimately highly compressed member (8 MiB of zeros, near the deflate limit)', async () => {
    const zeros = Buffer.alloc(8 << 20);
    const archive = new AdmZip();
    archive.addFile('zeros.bin', zeros);
    const bytes = archive.toBuffer();
    const compressed = deflateRawSync(zeros, { level: 9 }).length;
    expect(zeros.length / compressed).toBeGreaterThan(500);
    expect((await readMember(bytes, 'zeros.bin')).equals(zeros)).toBe(true);
  });
});

describe('nesting and cycles', () => {
  it('does not enter archives nested more than 4 deep in a device path', async () => {
    const handle = await openPackage(`${REPO_ROOT}test/fixtures/scenarios/file-ota/literal-on-4.7.4.zip`);
    try {
      const deep = `/system/priv-app/Mms/Mms.apk${'!/a.zip'.repeat(4)}!/x`;
      await expect(handle.opened.tree.list(deep)).rejects.toThrow('archives nested more than 4 deep are not entered');
      expect((await handle.opened.tree.list('/system/priv-app/Mms/Mms.apk!/'))?.map((entry) => entry.path)).toContain('/system/priv-app/Mms/Mms.apk!/AndroidManifest.xml');
    } finally {
      await closePackage(handle);
    }
  });

  it('ends the walk of an ext4 image whose directory links back to the root, reporting the loop', async () => {
    // The loop is made by debugfs (a hard link to the root directory), the image by mke2fs.
    const tree = join(temp, 'tree');
    mkdirSync(join(tree, 'etc'), { recursive: true });
    mkdirSync(join(tree, 'app'), { recursive: true });
    writeFileSync(join(tree, 'etc', 'hosts'), '127.0.0.1 localhost\n');
    writeFileSync(join(tree, 'build.prop'), 'ro.build.fingerprint=loop/test\n');
    const image = join(temp, 'system.img');
    execFileSync('mke2fs', ['-q', '-F', '-t', 'ext4', '-O', '^has_journal', '-E', 'hash_seed=7c4b1e6a-1111-4222-8333-944455556666', '-U', '7c4b1e6a-1111-4222-8333-944455556666', '-d', tree, '-b', '4096', image, '4M'], {
      env: { ...process.env, E2FSPROGS_FAKE_TIME: '1700000000' },
    });
    execFileSync('debugfs', ['-w', '-R', 'ln <2> /etc/loop', image], { stdio: 'ignore' });
    expect(execFileSync('debugfs', ['-R', 'ls -l /etc', image], { stdio: ['ignore', 'pipe', 'ignore'] }).toString()).toMatch(/^\s*2\s+40755 .* loop\s*$/m);

    const started = Date.now();
    const { inventory } = await buildInventory(image, { pool: null });
    expect(Date.now() - started).toBeLessThan(20_000);
    const paths = inventory.files.map((file) => file.path);
    expect(paths).toContain('/system/build.prop');
    expect(paths.some((path) => path.includes('/loop/'))).toBe(false);
    expect(inventory.problems.map((problem) => problem.message).join('\n')).toMatch(/directory loop: entry points back to the root \(inode 2\)/);
  });
});

describe('entry count cap', () => {
  it('stops listing after the cap with a problem naming the first entry left out, and reads what it listed', async () => {
    const PACKAGE = `${REPO_ROOT}test/fixtures/scenarios/file-ota/literal-on-4.7.4.zip`;
    const full = await buildInventory(PACKAGE, { pool: null });
    const capped = await buildInventory(PACKAGE, { pool: null, maxEntries: 5 });
    expect(capped.inventory.files).toEqual(full.inventory.files.slice(0, 5));
    const leftOut = full.inventory.files[5]!.path;
    expect(capped.inventory.problems).toContainEqual({ path: leftOut, message: 'not listed: the package has more than 5 entries; this one and the rest are left out' });
  });
});

describe('size bombs', () => {
  it('does not hash a 200 GiB sparse file in a 4 MiB ext4 image, and reads everything else', async () => {
    const tree = join(temp, 'bomb-tree');
    mkdirSync(tree, { recursive: true });
    const buildProp = 'ro.build.fingerprint=size/bomb\n';
    writeFileSync(join(tree, 'build.prop'), buildProp);
    writeFileSync(join(tree, 'huge.bin'), '');
    truncateSync(join(tree, 'huge.bin'), 200 * 2 ** 30);
    const image = join(temp, 'bomb', 'system.img');
    mkdirSync(join(temp, 'bomb'));
    execFileSync('mke2fs', ['-q', '-F', '-t', 'ext4', '-O', '^has_journal', '-U', '2b7e1516-28ae-4d2a-abf7-158809cf4f3c', '-d', tree, '-b', '4096', image, '4M'], {
      env: { ...process.env, E2FSPROGS_FAKE_TIME: '1700000000' },
    });
    // debugfs is the oracle for the size the image declares.
    expect(execFileSync('debugfs', ['-R', 'stat /huge.bin', image], { stdio: ['ignore', 'pipe', 'ignore'] }).toString()).toMatch(/Size: 214748364800\b/);

    const started = Date.now();
    const { inventory } = await buildInventory(image, { pool: null });
    expect(Date.now() - started).toBeLessThan(20_000);
    const huge = inventory.files.find((file) => file.path === '/system/huge.bin');
    expect(huge).toMatchObject({ size: 200 * 2 ** 30, sha256: null });
    const problem = inventory.problems.find((entry) => entry.path === '/system/huge.bin');
    expect(problem?.message).toContain('declares 214748364800 bytes, more than 64 times the package: not read (a size bomb?)');
    const prop = inventory.files.find((file) => file.path === '/system/build.prop');
    expect(prop?.sha256).toBe(createHash('sha256').update(buildProp).digest('hex'));
  });
});

describe('per-file time budget', () => {
  it('reports a file that takes longer than its budget, and the inventory completes', async () => {
    const folder = join(temp, 'slow');
    mkdirSync(join(folder, 'system'), { recursive: true });
    writeFileSync(join(folder, 'system', 'build.prop'), 'ro.build.fingerprint=x/y/z:14/A/1:user/release-keys\n');
    writeFileSync(join(folder, 'system', 'big.img'), '');
    truncateSync(join(folder, 'system', 'big.img'), 256 << 20);
    // 256 MiB at a required 1 TB/s with a 1 ms floor: no machine reads it in time.
    const { inventory } = await buildInventory(folder, { pool: null, fileTimeBudget: { floorMs: 1, bytesPerSecond: 1e12 } });
    expect(inventory.problems).toContainEqual({ path: '/system/big.img', message: 'not read: took longer than 0 s (the time allowed for a file of this size)' });
    expect(inventory.files.find((entry) => entry.path === '/system/big.img')?.sha256).toBeNull();
    expect(inventory.files.map((entry) => entry.path)).toEqual(['/system', '/system/big.img', '/system/build.prop']);
  });
});

describe('configuration file size cap', () => {
  it('hashes but does not parse an init script of megabytes, reporting it, and parses the others', async () => {
    const folder = join(temp, 'huge-rc');
    mkdirSync(join(folder, 'system', 'etc', 'init'), { recursive: true });
    writeFileSync(join(folder, 'system', 'build.prop'), 'ro.build.fingerprint=x/y/z:14/A/1:user/release-keys\n');
    const small = 'service small /system/bin/small\n    class main\n';
    writeFileSync(join(folder, 'system', 'etc', 'init', 'small.rc'), small);
    // 2 MiB of service definitions: parsed, it would add tens of thousands of services.
    const stanza = 'service s /system/bin/s\n    user root\n';
    const huge = stanza.repeat(Math.ceil((2 << 20) / stanza.length));
    writeFileSync(join(folder, 'system', 'etc', 'init', 'huge.rc'), huge);
    const { inventory } = await buildInventory(folder, { pool: null });
    expect(inventory.initServices.map((service) => service.name)).toEqual(['small']);
    expect(inventory.problems).toContainEqual({
      path: '/system/etc/init/huge.rc',
      message: `not read as a configuration file: ${Buffer.byteLength(huge)} bytes, more than the 1 MiB any real one needs (hashed and compared as a file)`,
    });
    expect(inventory.files.find((entry) => entry.path === '/system/etc/init/huge.rc')?.sha256).toBe(createHash('sha256').update(huge).digest('hex'));
  });
});

describe('configuration text budget', () => {
  it('parses init scripts up to 8 MiB in all, in walk order, and reports the ones after', async () => {
    const folder = join(temp, 'many-rc');
    mkdirSync(join(folder, 'system', 'etc', 'init'), { recursive: true });
    writeFileSync(join(folder, 'system', 'build.prop'), 'ro.build.fingerprint=x/y/z:14/A/1:user/release-keys\n');
    // Nine scripts of exactly 1 MiB each: one service, then comment lines.
    const scripts = Array.from({ length: 9 }, (_, index) => {
      const head = `service s${index} /system/bin/s${index}\n`;
      const name = `part${index}.rc`;
      writeFileSync(join(folder, 'system', 'etc', 'init', name), head + '#'.repeat((1 << 20) - head.length - 1) + '\n');
      return name;
    });
    const { inventory } = await buildInventory(folder, { pool: null });
    // Walk order is code-unit order of names: part0 … part8; the first eight make 8 MiB.
    expect(inventory.initServices.map((service) => service.name)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7']);
    const reported = inventory.problems.filter((problem) => problem.message.startsWith('not read as a configuration file'));
    expect(reported).toEqual([
      {
        path: `/system/etc/init/${scripts[8]}`,
        message: `not read as a configuration file: the 8 MiB of configuration files read per build were reached (${8 << 20} bytes before it) (hashed and compared as a file)`,
      },
    ]);
  });
});
