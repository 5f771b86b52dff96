// `otalens extract`: partition images compared with simg2img and the fixture generators' hashes,
// folders compared with debugfs rdump and fsck.erofs --extract, and the refusals: hostile names, a
// link planted in the output folder, an existing file.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { extractTree } from '../../electron/engine/extract/extractTree.js';
import { OutputFolder } from '../../electron/engine/extract/outputFolder.js';
import { DeviceTree } from '../../electron/engine/vfs/deviceTree.js';
import type { FileTree, TreeNode } from '../../electron/engine/vfs/fileTree.js';
import { unpackSpecialImages } from '../support/ext4.js';
import { REPO_ROOT, run, sha256 } from '../support/oracles.js';

const BIN = join(REPO_ROOT, 'bin', 'otalens');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
const temp = mkdtempSync(join(tmpdir(), 'otalens-extract-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function otalens(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(BIN, args, { cwd: temp, maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
}

const fileSha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const fresh = (name: string) => {
  const path = join(temp, name);
  rmSync(path, { recursive: true, force: true });
  return path;
};

/** Every entry below `root`: folders, files with SHA-256, links with targets (lost+found left out). */
function listing(root: string, prefix = ''): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.name !== 'lost+found')
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const path = join(root, entry.name);
      const name = `${prefix}/${entry.name}`;
      if (entry.isSymbolicLink()) return [`l ${name} -> ${readlinkSync(path)}`];
      if (entry.isDirectory()) return [`d ${name}`, ...listing(path, name)];
      return [`f ${name} ${fileSha256(path)}`];
    });
}

/** Like `listing`, but names as their raw bytes (hex-escaped where not printable ASCII), types from lstat. */
function rawListing(root: string | Buffer, prefix = ''): string[] {
  const shown = (name: Buffer) => [...name].map((byte) => (byte >= 0x21 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\${byte.toString(16).padStart(2, '0')}`)).join('');
  return readdirSync(root, { encoding: 'buffer' })
    .filter((name) => name.toString('latin1') !== 'lost+found')
    .sort(Buffer.compare)
    .flatMap((name) => {
      const path = Buffer.concat([Buffer.from(root), Buffer.from('/'), name]);
      const line = `${prefix}/${shown(name)}`;
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) return [`l ${line} -> ${shown(readlinkSync(path, { encoding: 'buffer' }))}`];
      if (stats.isDirectory()) return [`d ${line}`, ...rawListing(path, line)];
      if (!stats.isFile()) return [];
      return [`f ${line} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`];
    });
}

describe('otalens extract --partition', () => {
  it('writes a payload partition whose SHA-256 is the one build-payload.mjs recorded', () => {
    const payload = JSON.parse(readFileSync(join(FIXTURES, 'payload', 'payload.json'), 'utf8')) as { full: { partitions: Record<string, { size: number; sha256: string }> } };
    for (const [name, facts] of Object.entries(payload.full.partitions)) {
      const out = fresh(`payload-${name}.img`);
      const { status, stdout, stderr } = otalens('extract', join(FIXTURES, 'payload', 'ota-full.zip'), '--partition', name, '-o', out);
      expect(stderr).toBe('');
      expect(status).toBe(0);
      expect(stdout).toBe(`wrote ${out}: partition ${name}, ${facts.size} bytes\n`);
      expect(fileSha256(out)).toBe(facts.sha256);
    }
  });

  it('writes the super image as simg2img does, and its logical partitions as build-sparse-super.mjs put them in', () => {
    const raw = fresh('super-simg2img.img');
    run('simg2img', [join(FIXTURES, 'sparse', 'super.simg'), raw]);
    const out = fresh('super.img');
    expect(otalens('extract', join(FIXTURES, 'sparse', 'super.simg'), '--partition', 'super', '-o', out).status).toBe(0);
    expect(readFileSync(out).equals(readFileSync(raw))).toBe(true);
    const images = JSON.parse(readFileSync(join(FIXTURES, 'sparse', 'images.json'), 'utf8')) as { images: Record<string, { size: number; sha256: string }> };
    for (const [name, facts] of Object.entries(images.images)) {
      const logical = fresh(`super-${name}.img`);
      // The slot suffix as it is in the metadata (system_a) is accepted too.
      expect(otalens('extract', join(FIXTURES, 'sparse', 'super.simg'), '-p', `${name}_a`, '-o', logical).status).toBe(0);
      expect(lstatSync(logical).size).toBe(facts.size);
      expect(fileSha256(logical)).toBe(facts.sha256);
    }
  });

  it('refuses an existing file and a planted link, and says which partitions there are', () => {
    const existing = join(temp, 'exists.img');
    writeFileSync(existing, 'keep me');
    const refused = otalens('extract', join(FIXTURES, 'boot', 'fastboot-new.zip'), '--partition', 'boot', '-o', existing);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/refusing to write .*exists\.img: .* already exists: not overwritten/);
    expect(readFileSync(existing, 'utf8')).toBe('keep me');

    const target = join(temp, 'link-target.img');
    const link = join(temp, 'planted.img');
    rmSync(link, { force: true });
    symlinkSync(target, link);
    expect(otalens('extract', join(FIXTURES, 'boot', 'fastboot-new.zip'), '--partition', 'boot', '-o', link).status).toBe(1);
    expect(existsSync(target)).toBe(false);

    const missing = otalens('extract', join(FIXTURES, 'boot', 'fastboot-new.zip'), '--partition', 'radio', '-o', fresh('radio.img'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('otalens: fastboot-new.zip: partitions: no partition image named radio (the package has: boot, init_boot, vendor_boot, vbmeta, dtbo, modem, system)\n');
    const folders = otalens('extract', join(REPO_ROOT, 'samples', 'sample-new.zip'), '--partition', 'system', '-o', fresh('system.img'));
    expect(folders.status).toBe(2);
    expect(folders.stderr).toMatch(/not as images: extract a folder with otalens extract PKG PATH -o DIR/);
  });

  it('needs exactly one of --partition and PATH, and -o', () => {
    expect(otalens('extract', join(FIXTURES, 'boot', 'fastboot-new.zip')).status).toBe(1);
    expect(otalens('extract', join(FIXTURES, 'boot', 'fastboot-new.zip'), '/system', '--partition', 'boot', '-o', 'x').status).toBe(1);
    expect(otalens('extract', join(FIXTURES, 'boot', 'fastboot-new.zip'), '/system').stderr).toMatch(/-o is needed/);
  });
});

describe('otalens extract PATH', () => {
  it('writes an ext4 folder as debugfs rdump does', () => {
    const image = join(FIXTURES, 'block-ota', 'system.img');
    const oracle = fresh('rdump');
    mkdirSync(oracle);
    run('debugfs', ['-R', `rdump /etc ${oracle}`, image]);
    const out = fresh('ext4-out');
    const { status, stdout, stderr } = otalens('extract', image, '/system/etc', '-o', out);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^wrote .*ext4-out: \d+ files \(/);
    expect(listing(out)).toEqual(listing(oracle));
    expect(listing(out).length).toBeGreaterThan(3);
  });

  it('writes raw (non-UTF-8, backslash) names as the bytes debugfs rdump writes, special files reported', () => {
    const image = unpackSpecialImages(fresh('special-images'))['ext4-special.img'];
    const oracle = fresh('special-rdump');
    mkdirSync(oracle);
    run('debugfs', ['-R', `rdump / ${oracle}`, image]);
    const out = fresh('special-out');
    const { status, stderr } = otalens('extract', image, '/system', '-o', out);
    expect(status).toBe(0);
    const oracleListing = rawListing(oracle);
    expect(rawListing(join(out, 'system'))).toEqual(oracleListing);
    // The fixture holds names that are not UTF-8 and a name with a backslash: written as their bytes.
    expect(oracleListing.some((line) => /\\[89a-f][0-9a-f]/.test(line))).toBe(true);
    expect(oracleListing.some((line) => line.includes('\\5c'))).toBe(true);
    // Device nodes, FIFOs and sockets are not made; each is named on stderr.
    expect(stderr).toMatch(/not written: a (char-device|block-device|fifo|socket)/);
  });

  it('writes a whole EROFS image as fsck.erofs --extract does, links as links', () => {
    const image = join(FIXTURES, 'erofs', 'lz4hc.erofs');
    const oracle = fresh('fsck-out');
    run('fsck.erofs', [`--extract=${oracle}`, image]);
    const out = fresh('erofs-out');
    expect(otalens('extract', image, '/system', '-o', out).status).toBe(0);
    expect(listing(join(out, 'system'))).toEqual(listing(oracle));
    expect(listing(oracle).some((line) => line.startsWith('l '))).toBe(true);
  });

  it('does not write through a link planted in the output folder, and writes the rest', () => {
    const image = join(FIXTURES, 'block-ota', 'system.img');
    const elsewhere = fresh('elsewhere');
    mkdirSync(elsewhere);
    const out = fresh('planted-out');
    mkdirSync(join(out, 'system'), { recursive: true });
    symlinkSync(elsewhere, join(out, 'system', 'etc'));
    const { status, stderr } = otalens('extract', image, '/system', '-o', out);
    expect(status).toBe(0);
    expect(stderr).toMatch(/^otalens: \/system\/etc: not written: .*planted-out\/system\/etc is a symbolic link already there: not written through$/m);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(existsSync(join(out, 'system', 'build.prop'))).toBe(true);

    // Planted at the top: nothing can be written, exit 2.
    const top = fresh('planted-top');
    mkdirSync(top);
    symlinkSync(elsewhere, join(top, 'system'));
    const refused = otalens('extract', image, '/system', '-o', top);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/nothing could be written: \/system: not written: .* is a symbolic link already there/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('never writes a hostile name, and keeps a link target as text without following it', async () => {
    const nodes: Record<string, TreeNode[]> = {
      '': [
        { name: '..', type: 'file', size: 1 },
        { name: 'a/b', type: 'file', size: 1 },
        { name: 'nul\0name', type: 'file', size: 1 },
        { name: 'escape', type: 'symlink', size: 0, target: '../../../../etc/passwd' },
        { name: 'ok.txt', type: 'file', size: 2 },
      ],
    };
    const hostile: FileTree = {
      list: async (path) => nodes[path] ?? null,
      stat: async (path) => (path === '' ? { name: '', type: 'directory', size: 0 } : (nodes[''] ?? []).find((node) => node.name === path) ?? null),
      openStream: async () => Readable.from([Buffer.from('ok')]),
      openSource: async () => {
        throw new Error('not used');
      },
    };
    const out = fresh('hostile-out');
    const result = await extractTree(new DeviceTree(new Map([['system', hostile]]), 'hostile.img'), '/system', await OutputFolder.open(out), 'hostile.img');
    expect(result.problems.map((problem) => problem.path)).toEqual(['/system/..', '/system/a/b', '/system/nul\0name']);
    expect(result.problems.every((problem) => problem.message.startsWith('not written: '))).toBe(true);
    expect(listing(out)).toEqual(['d /system', `l /system/escape -> ../../../../etc/passwd`, `f /system/ok.txt ${sha256(Buffer.from('ok'))}`]);
    expect(result.written).toEqual({ files: 1, folders: 1, links: 1, bytes: 2 });
  });
});
