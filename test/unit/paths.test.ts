/**
 * Hostile member names: `..`, absolute, NUL, control characters, invalid UTF-8, overlong. They
 * are skipped with a problem that shows the name escaped, or listed under the package's own
 * device paths; nothing is ever created on the host from a member name. Exports refuse to write
 * over the input packages.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../scripts/fixtures/build-malformed.mjs';
import { buildInventory } from '../../electron/engine/inventory/buildInventory.js';
import { TarArchive } from '../../electron/engine/containers/tar/tarArchive.js';
import { closePackage, openPackage } from '../../electron/engine/formats/registry.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import { REPO_ROOT, SAMPLE_NEW, SAMPLE_OLD } from '../support/oracles.js';
import { pythonEscape } from '../support/rawNameOracle.js';

const temp = mkdtempSync(join(tmpdir(), 'otalens-paths-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const text = (value: string): Buffer => Buffer.from(value, 'utf8');
const INVALID_UTF8 = Buffer.from([0xff, 0xfe, 0xc0, 0x80]);
const LONG = `${'x'.repeat(5000)}.txt`;
// Climbs out of any cwd to a file beside the package: created there only if a name were obeyed.
const ESCAPE_TARGET = `${'../'.repeat(40)}${temp.slice(1)}/escaped.txt`;

const packagePath = join(temp, 'hostile-names.zip');
writeFileSync(
  packagePath,
  writeZip([
    { name: 'system/build.prop', data: text('ro.build.fingerprint=hostile/names\n'), method: 0 },
    { name: `system/${ESCAPE_TARGET}`, data: text('dotdot'), method: 0 },
    { name: '/system/absolute.txt', data: text('absolute'), method: 0 },
    { name: 'system\\..\\..\\backslash.txt', data: text('backslash'), method: 0 },
    { name: 'system/nul\0name.txt', data: text('nul'), method: 0 },
    { name: 'system/esc\u001b[31mred\u0007.txt', data: text('control'), method: 0, utf8: true },
    { name: Buffer.concat([text('system/bad'), INVALID_UTF8, text('.txt')]), data: text('invalid utf-8'), method: 0, utf8: true },
    { name: `system/${LONG}`, data: text('long'), method: 0 },
  ]),
);

describe('hostile member names', () => {
  it('skips `..`, absolute, backslash and NUL names with an escaped problem, and lists the rest under /system', async () => {
    const { inventory } = await buildInventory(packagePath, { pool: null });
    const paths = inventory.files.map((file) => file.path);
    for (const path of paths) {
      expect(path.startsWith('/system')).toBe(true);
      expect(path.split('/').some((segment) => segment === '..' || segment === '.')).toBe(false);
      expect(path).not.toContain('\0');
    }
    // Invalid UTF-8 and control characters are shown by the documented escaping (Python is the oracle).
    const [invalidShown, controlShown] = pythonEscape([Buffer.concat([text('bad'), INVALID_UTF8, text('.txt')]), text('esc\u001b[31mred\u0007.txt')], true).map((name) => `/system/${name}`);
    expect(invalidShown).toBe('/system/bad\\xff\\xfe\\xc0\\x80.txt');
    expect(paths).toEqual(expect.arrayContaining(['/system/build.prop', controlShown, invalidShown, `/system/${LONG}`]));
    expect(paths.filter((path) => path.includes('absolute') || path.includes('escaped') || path.includes('backslash') || path.includes('nul'))).toEqual([]);

    const messages = inventory.problems.map((problem) => `${problem.path}: ${problem.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        '/system/absolute.txt: zip member skipped: absolute path: /system/absolute.txt',
        `system/${ESCAPE_TARGET}: zip member skipped: invalid relative path: system/${ESCAPE_TARGET}`,
        'system/nul\\x00name.txt: zip member skipped: name contains a NUL byte',
      ]),
    );
    expect(messages.some((message) => message.includes('backslash.txt') && message.includes('skipped'))).toBe(true);
    // Problems show control characters escaped, so a terminal or log cannot be driven by a name.
    const hasControl = (value: string): boolean => [...value].some((char) => char.charCodeAt(0) < 0x20);
    expect(inventory.problems.some((problem) => hasControl(problem.path))).toBe(false);
  });

  it('creates nothing on the host from member names, whatever is listed or read', async () => {
    const before = readdirSync(temp).sort();
    const handle = await openPackage(packagePath);
    try {
      for await (const entry of handle.opened.tree.walk('/')) {
        if (entry.type !== 'file') continue;
        const source = await handle.opened.tree.openSource(entry.path);
        await source.read(0, source.size);
        await source.close();
      }
    } finally {
      await closePackage(handle);
    }
    const cli = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'otalens'), 'ls', packagePath, '/', '--recursive'], { cwd: temp });
    expect(cli.status).toBe(0);
    expect(readdirSync(temp).sort()).toEqual(before);
    expect(existsSync(join(temp, 'escaped.txt'))).toBe(false);
  });
});

/** One ustar header block (POSIX.1-2001), checksum included; `type` '0' file, 'x' pax header. */
function tarHeader(name: string, size: number, type: string): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('14330000000\0', 136);
  block.write('        ', 148);
  block.write(type, 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

function padded(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

describe('hostile names in tar', () => {
  it('skips a pax path holding NUL (or `..`), shows it escaped, and keeps the other members', async () => {
    const pax = (path: string): Buffer => {
      const body = ` path=${path}\n`;
      let length = body.length + 2;
      if (String(length).length + body.length !== length) length = String(length + 1).length + body.length;
      return Buffer.from(`${length}${body}`, 'utf8');
    };
    const member = (paxPath: string | null, name: string, data: string): Buffer[] => {
      const blocks: Buffer[] = [];
      if (paxPath !== null) {
        const records = pax(paxPath);
        blocks.push(tarHeader('PaxHeaders/x', records.length, 'x'), padded(records));
      }
      blocks.push(tarHeader(name, data.length, '0'), padded(Buffer.from(data)));
      return blocks;
    };
    const tar = Buffer.concat([
      ...member(null, 'images/ok.txt', 'fine'),
      ...member('images/nul\0name.img', 'placeholder1', 'nul'),
      ...member('images/../../escape.img', 'placeholder2', 'dotdot'),
      Buffer.alloc(1024),
    ]);
    const archive = await TarArchive.open(new BufferByteSource('hostile.tar', tar));
    try {
      expect(archive.members.map((entry) => entry.name)).toEqual(['images/ok.txt']);
      expect(archive.problems).toEqual([
        { path: 'images/nul\\u0000name.img', message: 'tar member skipped: absolute path, ".." or NUL in its name' },
        { path: 'images/../../escape.img', message: 'tar member skipped: absolute path, ".." or NUL in its name' },
      ]);
    } finally {
      await archive.close();
    }
  });
});

describe('raw names in tar', () => {
  it('escapes header and pax names by the documented rule, so no two members share a name', async () => {
    const rawNames = [Buffer.from('images/caf\xe9.img', 'latin1'), Buffer.from('images/caf\\xe9.img'), Buffer.from('images/back\\slash.img')];
    const header = (name: Buffer, size: number): Buffer => {
      const block = tarHeader('', size, '0');
      name.copy(block, 0);
      block.write('        ', 148);
      const sum = block.reduce((total, byte) => total + byte, 0);
      block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
      return block;
    };
    const tar = Buffer.concat([...rawNames.flatMap((name) => [header(name, 4), padded(Buffer.from('data'))]), Buffer.alloc(1024)]);
    const archive = await TarArchive.open(new BufferByteSource('raw-names.tar', tar));
    try {
      const expected = pythonEscape(rawNames, false);
      expect(expected).toEqual(['images/caf\\xe9.img', 'images/caf\\\\xe9.img', 'images/back\\\\slash.img']);
      expect(archive.members.map((member) => member.name)).toEqual(expected);
    } finally {
      await archive.close();
    }
  });
});

describe('raw member names addressed back through !/', () => {
  it('cat reads a non-UTF-8 member of an APK inside the package by its escaped name, as unzip extracts it', () => {
    const rawName = Buffer.concat([text('res/raw/caf'), Buffer.from([0xe9]), text('.txt')]);
    const apk = writeZip([
      { name: rawName, data: text('latin-1 name\n'), method: 8 },
      { name: 'res/raw/caf\u00e9.txt', data: text('utf-8 name\n'), method: 8, utf8: true },
    ]);
    const outer = join(temp, 'nested-names.zip');
    writeFileSync(outer, writeZip([
      { name: 'system/build.prop', data: text('ro.build.fingerprint=nested/names\n'), method: 0 },
      { name: 'system/app/A/A.apk', data: apk, method: 0 },
    ]));
    const apkPath = join(temp, 'A.apk');
    writeFileSync(apkPath, apk);
    const [escaped] = pythonEscape([rawName], false);
    expect(escaped).toBe('res/raw/caf\\xe9.txt');
    const listing = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'otalens'), 'ls', outer, '/system/app/A/A.apk!/res/raw'], { encoding: 'utf8' });
    expect(listing.stdout.split('\n').map((line) => line.split('  ').at(-1))).toEqual(['/system/app/A/A.apk!/res/raw/caf\\xe9.txt', '/system/app/A/A.apk!/res/raw/café.txt', '']);
    for (const [member, path] of [[escaped, rawName], ['res/raw/café.txt', text('res/raw/café.txt')]] as const) {
      const cat = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'otalens'), 'cat', outer, `/system/app/A/A.apk!/${member}`]);
      expect(cat.status, member).toBe(0);
      // Python's zipfile finds the member by its stored name bytes (cp437 unless the UTF-8 flag is set).
      const script = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nfor i in z.infolist():\n    raw = i.filename.encode("utf-8" if i.flag_bits & 0x800 else "cp437")\n    if raw == bytes.fromhex(sys.argv[2]): sys.stdout.buffer.write(z.read(i))\n';
      const python = spawnSync('python3', ['-c', script, apkPath, path.toString('hex')]);
      expect(python.stdout.length, `python ${member}`).toBeGreaterThan(0);
      expect(cat.stdout.equals(python.stdout), member).toBe(true);
    }
  });
});

describe('names printed by the CLI', () => {
  // A member name's ESC and BEL must not reach the reviewer's terminal raw (they are shown escaped).
  it('never writes control characters from a member name to the terminal', () => {
    const cli = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'otalens'), 'ls', packagePath, '/system'], { cwd: temp, encoding: 'utf8' });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain('esc');
    expect([...cli.stdout].filter((char) => char !== '\n' && char.charCodeAt(0) < 0x20)).toEqual([]);
  });
});

describe('exports never overwrite the inputs', () => {
  const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
  const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'otalens'), ...args], { cwd, encoding: 'utf8' });

  it('refuses an output path that is an input package', () => {
    const folder = mkdtempSync(join(temp, 'same-'));
    copyFileSync(SAMPLE_OLD, join(folder, 'old.zip'));
    copyFileSync(SAMPLE_NEW, join(folder, 'new.zip'));
    const before = sha(join(folder, 'old.zip'));
    const result = run(folder, 'compare', 'old.zip', 'new.zip', '--html', `./${basename('old.zip')}`, '--quiet');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('refusing to write');
    expect(sha(join(folder, 'old.zip'))).toBe(before);
  });

  // A symbolic or hard link to an input is the input: writing through it would destroy it.
  it.each(['symlink', 'hardlink'])('refuses an output path that is a %s to an input package', (kind) => {
    const folder = mkdtempSync(join(temp, `${kind}-`));
    copyFileSync(SAMPLE_OLD, join(folder, 'old.zip'));
    copyFileSync(SAMPLE_NEW, join(folder, 'new.zip'));
    if (kind === 'symlink') symlinkSync('old.zip', join(folder, 'report.html'));
    else linkSync(join(folder, 'old.zip'), join(folder, 'report.html'));
    const before = sha(join(folder, 'old.zip'));
    const result = run(folder, 'compare', 'old.zip', 'new.zip', '--html', 'report.html', '--quiet');
    expect(sha(join(folder, 'old.zip'))).toBe(before);
    expect(result.status).toBe(1);
  });
});
