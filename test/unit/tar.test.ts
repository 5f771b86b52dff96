import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TarArchive, type TarMember } from '../../electron/engine/containers/tar/tarArchive.js';
import { BufferByteSource, FileByteSource, readChunks, type ByteSource } from '../../electron/engine/io/byteSource.js';
import { ZipArchive } from '../../electron/engine/zip/zipArchive.js';
import { ext4RdumpDigest } from '../support/ext4.js';
import { expectInputError } from '../support/inputError.js';
import { REPO_ROOT, run, sha256, unzipMember, unzipNames } from '../support/oracles.js';

const FACTORY = `${REPO_ROOT}test/fixtures/factory`;
const temp = mkdtempSync(join(tmpdir(), 'otalens-tar-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const LONG_TARGET = `../${'very-long-link-target-'.repeat(7)}.so`;
/** Longer than the 100-byte name field, with a short last segment: ustar splits it into prefix/name. */
const DEEP_PATH = `system/${'deep-folder-name/'.repeat(6)}leaf.txt`;

// The common fixture tree plus what it lacks for tar: a hard link and a symlink whose target is
// longer than the 100-byte link field (GNU `K` records, pax `linkpath`).
const tree = join(temp, 'tree');
beforeAll(() => {
  run('node', [`${REPO_ROOT}scripts/fixtures/make-tree.mjs`, tree]);
  linkSync(join(tree, 'system/etc/hosts'), join(tree, 'system/etc/hosts-hardlink'));
  symlinkSync(LONG_TARGET, join(tree, 'system/lib/long-link'));
  mkdirSync(join(tree, DEEP_PATH, '..'), { recursive: true });
  writeFileSync(join(tree, DEEP_PATH), 'deep leaf\n');
});

interface OracleEntry {
  /** Name as stored, for `tar -xOf`. */
  raw: string;
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  size: number;
  linkTarget?: string;
}

const TYPES: Record<string, OracleEntry['type']> = { '-': 'file', d: 'directory', l: 'symlink', h: 'hardlink' };

/** GNU tar's own listing (`tar -tvf`), names printed literally. */
function tarListing(archive: string): OracleEntry[] {
  const lines = run('tar', ['--quoting-style=literal', '-tvf', archive]).split('\n').filter((line) => line !== '');
  return lines.map((line) => {
    const match = /^(.)\S+ \S+\s+(\d+) \d{4}-\d\d-\d\d \d\d:\d\d (.*)$/.exec(line);
    if (match === null) throw new Error(`unexpected tar -tv line: ${line}`);
    const type = TYPES[match[1] ?? ''] ?? 'other';
    let raw = match[3] ?? '';
    let linkTarget: string | undefined;
    const separator = type === 'symlink' ? ' -> ' : type === 'hardlink' ? ' link to ' : null;
    if (separator !== null) {
      const at = raw.indexOf(separator);
      linkTarget = raw.slice(at + separator.length);
      raw = raw.slice(0, at);
    }
    const entry: OracleEntry = { raw, name: normalize(raw), type, size: Number(match[2]) };
    if (linkTarget !== undefined) entry.linkTarget = type === 'hardlink' ? normalize(linkTarget) : linkTarget;
    return entry;
  });
}

function normalize(name: string): string {
  return name.split('/').filter((segment) => segment !== '' && segment !== '.').join('/');
}

/** Every file's bytes as GNU tar extracts them, keyed by normalized name. */
function tarExtractHashes(archive: string): Map<string, string> {
  const out = mkdtempSync(join(temp, 'x-'));
  run('tar', ['-xf', archive, '-C', out]);
  const hashes = new Map<string, string>();
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(out, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) hashes.set(path, sha256(readFileSync(join(out, path))));
    }
  };
  walk('');
  rmSync(out, { recursive: true, force: true });
  return hashes;
}

async function readAll(source: ByteSource): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of readChunks(source, 0, source.size, 100_000)) parts.push(chunk);
  return Buffer.concat(parts);
}

async function sha256Of(source: ByteSource): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of readChunks(source, 0, source.size, 100_000)) hash.update(chunk);
  return hash.digest('hex');
}

function ourListing(archive: TarArchive): OracleEntry[] {
  return archive.members.map((member) => ({
    raw: '',
    name: member.name,
    type: member.type,
    size: member.type === 'hardlink' ? 0 : member.size,
    ...(member.linkTarget === undefined ? {} : { linkTarget: member.linkTarget }),
  }));
}

function withoutRaw(entries: OracleEntry[]): Omit<OracleEntry, 'raw'>[] {
  return entries.filter((entry) => entry.name !== '').map(({ raw: _raw, ...rest }) => rest);
}

/** Opens ARCHIVE and checks listing and every file's bytes against GNU tar. */
async function expectSameAsGnuTar(path: string): Promise<TarArchive> {
  const archive = await TarArchive.open(await FileByteSource.open(path, 'archive'));
  expect(archive.problems).toEqual([]);
  expect(withoutRaw(ourListing(archive))).toEqual(withoutRaw(tarListing(path)));
  const hashes = tarExtractHashes(path);
  const files = archive.members.filter((member) => member.type === 'file' || member.type === 'hardlink');
  expect(files.map((member) => member.name).sort()).toEqual([...hashes.keys()].sort());
  for (const member of files) expect(await sha256Of(member.open()), member.name).toBe(hashes.get(member.name));
  return archive;
}

/** One member's bytes as `tar -xOf` prints them. */
function gnuTarMember(archive: string, name: string): Buffer {
  return execFileSync('tar', ['-xOf', archive, name], { maxBuffer: 64 << 20 });
}

function tarOf(name: string, args: string[]): string {
  const path = join(temp, name);
  run('tar', ['--sort=name', ...args, '-cf', path, '-C', tree, 'system']);
  return path;
}

function member(archive: TarArchive, name: string): TarMember {
  const found = archive.get(name);
  if (found === undefined) throw new Error(`no member ${name}`);
  return found;
}

describe('TarArchive against GNU tar', () => {
  it('reads a GNU-format tar: long names (L), long link targets (K), symlinks, hard links, non-ASCII names', async () => {
    const path = tarOf('gnu.tar', ['--format=gnu']);
    const bytes = readFileSync(path);
    expect(bytes.includes(Buffer.from('././@LongLink')), 'GNU tar wrote long-name records').toBe(true);
    const archive = await expectSameAsGnuTar(path);
    const longName = archive.members.find((entry) => entry.name.startsWith('system/lib/long-name-'));
    expect(longName?.name.length).toBeGreaterThan(100);
    expect(member(archive, 'system/lib/long-link').linkTarget).toBe(LONG_TARGET);
    expect(member(archive, 'system/bin/sh')).toMatchObject({ type: 'symlink', linkTarget: 'toolbox' });
    // Extraction (checked above) writes a hard link as its target's content; tar -xO prints the target's.
    // --sort=name stores hosts first, so hosts-hardlink is the link; tar -xO prints nothing for a
    // link, so its content is compared with its target's.
    expect(member(archive, 'system/etc/hosts-hardlink')).toMatchObject({ type: 'hardlink', linkTarget: 'system/etc/hosts' });
    const hosts = gnuTarMember(path, 'system/etc/hosts');
    expect(hosts.length).toBeGreaterThan(0);
    expect((await readAll(member(archive, 'system/etc/hosts-hardlink').open())).equals(hosts)).toBe(true);
    await archive.close();
  });

  it('reads a pax tar (x headers with path, linkpath, mtime) and a ustar tar (prefix field)', async () => {
    const pax = tarOf('pax.tar', ['--format=pax', '--pax-option=exthdr.name=%d/PaxHeaders/%f']);
    expect(readFileSync(pax).includes(Buffer.from('PaxHeaders/'))).toBe(true);
    await (await expectSameAsGnuTar(pax)).close();
    // ustar cannot hold a 123-byte file name or link target; leave those out of this one.
    const ustar = join(temp, 'ustar.tar');
    run('tar', ['--sort=name', '--format=ustar', '--exclude=system/lib/long-*', '-cf', ustar, '-C', tree, 'system']);
    const prefixed = readFileSync(ustar);
    expect(prefixed.includes(Buffer.from('@LongLink')) || prefixed.includes(Buffer.from('PaxHeaders'))).toBe(false);
    const archive = await expectSameAsGnuTar(ustar);
    expect(sha256(await readAll(member(archive, DEEP_PATH).open()))).toBe(sha256(Buffer.from('deep leaf\n')));
    await archive.close();
  });

  it('reads a gzip-compressed tar (tgz) and names with a leading ./', async () => {
    const path = join(temp, 'dot.tgz');
    run('tar', ['--sort=name', '-czf', path, '-C', tree, '.']);
    const archive = await expectSameAsGnuTar(path);
    expect(archive.compression).toBe('gzip');
    expect(archive.get('system/build.prop')).toBeDefined();
    // Out of order reads restart the decoder and still give the right bytes.
    const names = ['system/lib/zeros-and-data.bin', 'system/build.prop', 'system/bin/toolbox', 'system/build.prop'];
    for (const name of names) expect(sha256(await readAll(member(archive, name).open())), name).toBe(sha256(readFileSync(join(tree, name))));
    await archive.close();
  });

  it('applies a pax global header (g) and a pax size record that overrides the header size field', async () => {
    const path = join(temp, 'pax-size.tar');
    const script = `
import io, sys, tarfile
path = sys.argv[1]
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT, pax_headers={'comment': 'global'}) as t:
    data = bytes(range(256)) * 20
    info = tarfile.TarInfo('dir/sized.bin'); info.size = len(data); info.mtime = 1700000000
    info.pax_headers = {'size': str(len(data))}
    t.addfile(info, io.BytesIO(data))
    info = tarfile.TarInfo('dir/after.txt'); info.size = 3; info.mtime = 1700000000
    t.addfile(info, io.BytesIO(b'end'))
raw = bytearray(buf.getvalue())
# Find the ustar header of dir/sized.bin (after its x header) and zero its size field.
at = 0
while True:
    name = raw[at:at+100].split(b'\\0')[0]
    size = int(raw[at+124:at+136].split(b'\\0')[0].strip() or b'0', 8)
    if name == b'dir/sized.bin' and raw[at+156:at+157] == b'0':
        raw[at+124:at+136] = b'00000000000\\0'
        raw[at+148:at+156] = b' ' * 8
        raw[at+148:at+156] = ('%06o\\0 ' % sum(raw[at:at+512])).encode()
        break
    at += 512 + (size + 511) // 512 * 512
open(path, 'wb').write(raw)
`;
    run('python3', ['-c', script, path]);
    expect(String.fromCharCode(readFileSync(path)[156] ?? 0), 'the archive starts with a global header').toBe('g');
    const archive = await expectSameAsGnuTar(path);
    expect(member(archive, 'dir/sized.bin').size).toBe(5120);
    await archive.close();
  });

  it('reads a GNU base-256 size field', async () => {
    const path = tarOf('b256.tar', ['--format=gnu']);
    const bytes = Buffer.from(readFileSync(path));
    // Rewrite the first header's size (a directory, then the first file) as base-256 and fix the checksum.
    let at = 0;
    while (bytes[at + 156] !== 0x30) at += 512 + Math.ceil(parseInt(bytes.toString('latin1', at + 124, at + 135), 8) / 512) * 512;
    const size = parseInt(bytes.toString('latin1', at + 124, at + 135), 8);
    bytes.fill(0, at + 124, at + 136);
    bytes[at + 124] = 0x80;
    bytes.writeUInt32BE(size, at + 132);
    bytes.fill(0x20, at + 148, at + 156);
    let sum = 0;
    for (let i = at; i < at + 512; i++) sum += bytes[i] ?? 0;
    bytes.write(`${sum.toString(8).padStart(6, '0')}\0 `, at + 148, 'latin1');
    writeFileSync(path, bytes);
    await (await expectSameAsGnuTar(path)).close();
  });
});

describe('factory package fixtures', () => {
  it('lists the Pixel-style factory tgz like GNU tar and reads the image zip inside it', async () => {
    const path = `${FACTORY}/example-factory-1234.tgz`;
    const archive = await expectSameAsGnuTar(path);
    const imageZip = member(archive, 'example-factory-1234/image-example-1234.zip');
    const zipPath = join(temp, 'image-example-1234.zip');
    writeFileSync(zipPath, gnuTarMember(path, 'example-factory-1234/image-example-1234.zip'));
    // The zip inside the tgz, read through the tgz by random access (its directory is at the end).
    const zip = await ZipArchive.open(imageZip.open());
    try {
      expect(zip.members.map((entry) => entry.name).sort()).toEqual(unzipNames(zipPath).sort());
      const system = zip.get('system.img');
      if (system === undefined) throw new Error('no system.img');
      expect(await sha256Of(await zip.openSource(system))).toBe(sha256(unzipMember(zipPath, 'system.img')));
    } finally {
      await zip.close();
      await archive.close();
    }
  });

  it('can keep a decompressed copy of a tgz on disk while listing it, and removes it on close', async () => {
    const path = `${FACTORY}/example-factory-1234.tgz`;
    const spool = join(temp, 'spool');
    mkdirSync(spool);
    const archive = await TarArchive.open(await FileByteSource.open(path, 'factory.tgz'), { spoolDirectory: spool });
    expect(readdirSync(spool)).toHaveLength(1);
    const name = 'example-factory-1234/image-example-1234.zip';
    const expected = sha256(gnuTarMember(path, name));
    // Backwards and forwards: the copy on disk serves both.
    const source = member(archive, name).open();
    const tail = await source.read(source.size - 100, 100);
    expect(tail.equals(gnuTarMember(path, name).subarray(-100))).toBe(true);
    expect(await sha256Of(source)).toBe(expected);
    await archive.close();
    expect(readdirSync(spool)).toEqual([]);

    const half = readFileSync(path).subarray(0, 300_000);
    await expectInputError(TarArchive.open(new BufferByteSource('half.tgz', half), { spoolDirectory: spool }));
    expect(readdirSync(spool), 'a failed open leaves nothing behind').toEqual([]);
  });

  it('lists the fastboot-style tgz and tar (images/*.img) like GNU tar, as plain slices for the tar', async () => {
    const tgz = await expectSameAsGnuTar(`${FACTORY}/example-fastboot-1234.tgz`);
    expect(tgz.get('example-fastboot-1234/images/system.img')?.type).toBe('file');
    await tgz.close();
    const tar = await expectSameAsGnuTar(`${FACTORY}/example-fastboot-1234.tar`);
    expect(tar.compression).toBe('none');
    const system = member(tar, 'example-fastboot-1234/images/system.img');
    // Android sparse magic, read straight from the file.
    expect((await system.open().read(0, 4)).readUInt32LE(0)).toBe(0xed26ff3a);
    await tar.close();
  });
});

/** What an image holds: for ext4 (raw or sparse) the files debugfs extracts, else its hash. */
function imageDigest(path: string): string[] {
  let raw = path;
  const bytes = readFileSync(path);
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0xed26ff3a) {
    raw = `${path}.raw`;
    run('simg2img', [path, raw]);
  }
  const rawBytes = readFileSync(raw);
  if (rawBytes.length < 2048 || rawBytes.readUInt16LE(1024 + 0x38) !== 0xef53) return [sha256(rawBytes)];
  return ext4RdumpDigest(raw, temp);
}

/** An extracted package's content: plain files by hash, zips by their members, images by their files. */
function packageDigest(root: string): string[] {
  const lines: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const path = join(root, child);
      if (entry.isDirectory()) walk(child);
      else if (child.endsWith('.zip')) {
        for (const name of unzipNames(path)) {
          const extracted = join(temp, `member-${name}`);
          writeFileSync(extracted, unzipMember(path, name));
          lines.push(...imageDigest(extracted).map((line) => `${child}!${name} ${line}`));
        }
      } else lines.push(...imageDigest(path).map((line) => `${child} ${line}`));
    }
  };
  walk('');
  return lines.sort();
}

describe('factory fixture script', () => {
  it('rebuilds the same packages: same members, same bytes outside images, same files in every image', () => {
    const out = join(temp, 'rebuilt-factory');
    mkdirSync(out);
    run('node', [`${REPO_ROOT}scripts/fixtures/build-factory.mjs`, out]);
    for (const name of ['example-factory-1234.tgz', 'example-fastboot-1234.tgz', 'example-fastboot-1234.tar']) {
      const names = (path: string): string[] => tarListing(path).map((entry) => `${entry.type} ${entry.name}`);
      expect(names(join(out, name)), name).toEqual(names(`${FACTORY}/${name}`));
      const committed = mkdtempSync(join(temp, 'committed-'));
      const rebuilt = mkdtempSync(join(temp, 'rebuilt-'));
      run('tar', ['-xf', `${FACTORY}/${name}`, '-C', committed]);
      run('tar', ['-xf', join(out, name), '-C', rebuilt]);
      const digest = packageDigest(rebuilt);
      expect(digest.some((line) => line.includes('system.img f /build.prop')), name).toBe(true);
      expect(digest, name).toEqual(packageDigest(committed));
    }
  });
});

describe('corrupt and hostile tar input', () => {
  it('reports a header with a bad checksum, naming the archive, the layer and the header offset', async () => {
    const path = tarOf('checksum.tar', ['--format=gnu']);
    const bytes = Buffer.from(readFileSync(path));
    const listing = run('python3', ['-c', 'import sys,tarfile; print(tarfile.open(sys.argv[1]).getmembers()[3].offset)', path]);
    const headerOffset = Number(listing.trim());
    bytes[headerOffset + 5] = (bytes[headerOffset + 5] ?? 0) ^ 0x01;
    const error = await expectInputError(TarArchive.open(new BufferByteSource('bad.tar', bytes)));
    expect(error.file).toBe('bad.tar');
    expect(error.format).toBe('tar');
    expect(error.offset).toBe(headerOffset);
    expect(error.message).toMatch(/checksum mismatch/);
  });

  it('reports a truncated tar and a truncated tgz (half downloaded) without hanging', async () => {
    const path = tarOf('whole.tar', ['--format=gnu']);
    // Cut inside the big file's data, where Python's tarfile says it lies.
    const [dataOffset, size] = run('python3', ['-c', 'import sys,tarfile; m = tarfile.open(sys.argv[1]).getmember("system/lib/zeros-and-data.bin"); print(m.offset_data, m.size)', path])
      .trim()
      .split(' ')
      .map(Number) as [number, number];
    const half = readFileSync(path).subarray(0, dataOffset + Math.floor(size / 2));
    const cut = join(temp, 'half.tar');
    writeFileSync(cut, half);
    // tar -t seeks over data and may not notice; extracting does.
    expect(() => execFileSync('tar', ['-xOf', cut], { stdio: 'ignore' }), 'GNU tar also rejects it').toThrow();
    const error = await expectInputError(TarArchive.open(new BufferByteSource('half.tar', half)));
    expect(error.file).toBe('half.tar');
    expect(error.format).toBe('tar');
    expect(error.offset).toBe(dataOffset);
    expect(error.message).toMatch(/truncated/);
    expect(error.message).toMatch(/zeros-and-data\.bin/);

    const tgz = readFileSync(`${FACTORY}/example-factory-1234.tgz`);
    const halfTgz = tgz.subarray(0, Math.floor(tgz.length / 2));
    const gzipError = await expectInputError(TarArchive.open(new BufferByteSource('half.tgz', halfTgz)));
    expect(gzipError.file).toBe('half.tgz');
    expect(gzipError.format).toBe('gzip');
    expect(gzipError.offset).toBe(halfTgz.length);
    expect(gzipError.message).toMatch(/truncated/);
  });

  it('refuses a file that is not a tar at all', async () => {
    const error = await expectInputError(TarArchive.open(new BufferByteSource('notes.txt', Buffer.from('hello world\n'.repeat(100)))));
    expect(error.offset).toBe(0);
    expect(error.message).toMatch(/not a tar archive/);
  });

  it('refuses a GNU long name whose size field is absurd instead of allocating it', async () => {
    const path = tarOf('long.tar', ['--format=gnu']);
    const bytes = Buffer.from(readFileSync(path));
    const at = bytes.indexOf(Buffer.from('././@LongLink'));
    bytes.write('77777777777\0', at + 124, 'latin1');
    bytes.fill(0x20, at + 148, at + 156);
    let sum = 0;
    for (let i = at; i < at + 512; i++) sum += bytes[i] ?? 0;
    bytes.write(`${sum.toString(8).padStart(6, '0')}\0 `, at + 148, 'latin1');
    const error = await expectInputError(TarArchive.open(new BufferByteSource('long.tar', bytes)));
    expect(error.offset).toBe(at);
    expect(error.message).toMatch(/larger than the \d+ allowed/);
  });

  it('skips members with absolute or .. names and reports them as problems', async () => {
    const path = join(temp, 'unsafe.tar');
    const script = `
import io, sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.GNU_FORMAT) as t:
    for name in ['ok/file.txt', '../escape.txt', '/etc/absolute.txt', 'ok/../../up.txt']:
        info = tarfile.TarInfo(name); info.size = 2
        t.addfile(info, io.BytesIO(b'hi'))
    link = tarfile.TarInfo('ok/hard'); link.type = tarfile.LNKTYPE; link.linkname = '../escape.txt'
    t.addfile(link)
`;
    run('python3', ['-c', script, path]);
    const archive = await TarArchive.open(await FileByteSource.open(path, 'unsafe.tar'));
    expect(archive.members.map((entry) => entry.name)).toEqual(['ok/file.txt']);
    expect(archive.problems.map((problem) => problem.path)).toEqual(['../escape.txt', '/etc/absolute.txt', 'ok/../../up.txt', 'ok/hard']);
    await archive.close();
  });

  it('reports sparse members (GNU and pax sparse formats) as problems and still reads the members after them', async () => {
    const folder = join(temp, 'sparse');
    mkdirSync(folder);
    // Ten data regions separated by holes: more than fit in the GNU header's sparse map.
    const script = `
import sys
with open(sys.argv[1], 'wb') as f:
    for i in range(10):
        f.seek(i * 1048576); f.write(b'data%d' % i * 1000)
    f.truncate(11 * 1048576)
`;
    run('python3', ['-c', script, join(folder, 'holes.img')]);
    writeFileSync(join(folder, 'z-after.txt'), 'after\n');
    for (const format of ['gnu', 'pax']) {
      const path = join(temp, `sparse-${format}.tar`);
      run('tar', ['--sort=name', `--format=${format}`, '--sparse', '-cf', path, '-C', folder, '.']);
      const archive = await TarArchive.open(await FileByteSource.open(path, 'sparse.tar'));
      expect(archive.problems.map((problem) => problem.message), format).toEqual([expect.stringMatching(/sparse/)]);
      expect(archive.problems[0]?.path, format).toMatch(/holes\.img$/);
      expect(archive.get('holes.img'), format).toBeUndefined();
      expect((await readAll(member(archive, 'z-after.txt').open())).equals(gnuTarMember(path, './z-after.txt')), format).toBe(true);
      await archive.close();
    }
  });

  it('reads an empty archive (only the end blocks) as no members', async () => {
    const empty = join(temp, 'empty-dir');
    mkdirSync(empty);
    const path = join(temp, 'empty.tar');
    run('tar', ['-cf', path, '-C', empty, '--files-from', '/dev/null']);
    const archive = await TarArchive.open(await FileByteSource.open(path, 'empty.tar'));
    expect(archive.members).toEqual([]);
    await archive.close();
  });
});
