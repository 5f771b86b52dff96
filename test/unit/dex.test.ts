// The DEX and VDEX readers against dexdump and baksmali, on DEX files smali assembled
// (scripts/fixtures/build-dex.mjs), hand-written VDEX containers around them, a large DEX read
// through a deflated zip member, and corrupt copies.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_STRINGS, mayNameHost } from '../../electron/engine/android/code/hostFinder.js';
import { classNameOf, readDex } from '../../electron/engine/android/dex/dexFile.js';
import { readVdex } from '../../electron/engine/android/dex/vdexFile.js';
import { BufferByteSource, FileByteSource, type ByteSource } from '../../electron/engine/io/byteSource.js';
import { ZipArchive } from '../../electron/engine/zip/zipArchive.js';
import { assembleDex } from '../../scripts/fixtures/lib/dexTools.mjs';
import { CountingSource } from '../support/countingSource.js';
import { baksmaliStrings, dexdumpClasses, dexdumpHeader } from '../support/dexOracles.js';
import { expectInputError } from '../support/inputError.js';
import { REPO_ROOT, run, sha256 } from '../support/oracles.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/dex');
const DEX_FILES = ['tracker-classes.dex', 'tracker-classes2.dex'];
const where = (dex: string) => ({ file: 'test.apk', dex });

async function readAll(source: ByteSource, dex = 'classes.dex'): Promise<{ strings: string[]; classes: string[]; version: string }> {
  const strings: string[] = [];
  const contents = await readDex(source, where(dex), (text, index) => {
    strings[index] = text;
  });
  return { strings, classes: contents.classDescriptors, version: contents.version };
}

const bufferSource = (bytes: Buffer, name = 'classes.dex') => new BufferByteSource(name, bytes);

/** The strings the host filter lets through, judged from their bytes as each terminator is found. */
async function hostCandidates(source: ByteSource, dex = 'classes.dex'): Promise<string[]> {
  const strings: string[] = [];
  await readDex(source, where(dex), (text) => strings.push(text), { filter: HOST_STRINGS });
  return strings;
}

/** What the filter must let through: every string that may name a host (judged on the text) and every class descriptor. */
function expectedCandidates(path: string): string[] {
  const classes = new Set(dexdumpClasses(path));
  return baksmaliStrings(path).filter((text) => mayNameHost(text) || classes.has(text));
}

describe('DEX reader', () => {
  it.each(DEX_FILES)('reads %s as dexdump and baksmali do: version, classes, every string', async (name) => {
    const path = join(FIXTURES, name);
    const read = await readAll(bufferSource(readFileSync(path)));
    const header = dexdumpHeader(path);
    expect(`'dex\\n${read.version}\\0'`).toBe(header.get('magic'));
    expect(read.classes).toEqual(dexdumpClasses(path));
    expect(read.classes.length).toBe(Number(header.get('class_defs_size')));
    expect(read.strings).toEqual(baksmaliStrings(path));
    expect(read.strings.length).toBe(Number(header.get('string_ids_size')));
  });

  it('decodes MUTF-8: characters outside the BMP as surrogate pairs, U+0000 as C0 80', async () => {
    const { strings } = await readAll(bufferSource(readFileSync(join(FIXTURES, 'tracker-classes2.dex'))));
    const oracle = baksmaliStrings(join(FIXTURES, 'tracker-classes2.dex'));
    expect(strings).toContain('Café ☕ 😀 über');
    expect(oracle).toContain('Café ☕ 😀 über');
    expect(strings).toContain('before\u0000after');
    expect(oracle).toContain('before\u0000after');
  });

  it('turns class descriptors into class names', () => {
    expect(classNameOf('Lcom/umeng/analytics/MobclickAgent;')).toBe('com.umeng.analytics.MobclickAgent');
    expect(classNameOf('Lcom/example/Outer$Inner;')).toBe('com.example.Outer$Inner');
    expect(classNameOf('[Ljava/lang/String;')).toBeNull();
    expect(classNameOf('I')).toBeNull();
  });
});

describe('a large DEX in a deflated zip member', () => {
  let temp: string;
  let dexPath: string;
  let zipPath: string;
  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'otalens-dex-'));
    // 20,000 strings in 10 classes: a DEX of about a megabyte, more than one window of string data.
    const classes = Array.from({ length: 10 }, (_, c) => ({
      name: `com.example.big.Class${c}`,
      strings: Array.from({ length: 2000 }, (_, s) => `https://host${c}-${s}.example-vendor.cn/${'path/'.repeat(8)}${s}`),
    }));
    writeFileSync(join(temp, 'classes.dex'), assembleDex(classes, temp, 'big'));
    dexPath = join(temp, 'classes.dex');
    zipPath = join(temp, 'big.apk');
    run('zip', ['-q', '-9', '-X', zipPath, 'classes.dex'], temp);
  }, 120_000);
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('reads it through the zip reader, inflating each compressed byte once', async () => {
    const file = new CountingSource(await FileByteSource.open(zipPath, 'big.apk'));
    const zip = await ZipArchive.open(file);
    try {
      const member = zip.get('classes.dex');
      expect(member?.uncompressedSize).toBeGreaterThan(1 << 20);
      file.ranges = [];
      const read = await readAll(await zip.openSource(member as NonNullable<typeof member>));
      expect(read.classes).toEqual(dexdumpClasses(dexPath));
      expect(read.strings).toEqual(baksmaliStrings(dexPath));
      // One pass over the compressed data (the decoder reads ahead in 256 KiB pieces).
      expect(file.bytesRead).toBeLessThan((member?.compressedSize ?? 0) + (512 << 10));
    } finally {
      await zip.close();
    }
  });

  it('judges the strings of every window alike: the host filter lets through what the text predicate does', async () => {
    const candidates = await hostCandidates(bufferSource(readFileSync(dexPath)));
    expect(candidates).toEqual(expectedCandidates(dexPath));
    expect(candidates.length).toBeGreaterThan(20_000);
  });

  it('reads each byte of the DEX about once, never the whole file twice', async () => {
    const source = new CountingSource(bufferSource(readFileSync(dexPath)));
    await readAll(source);
    expect(source.bytesRead).toBeLessThan(source.size * 1.1);
  });
});

describe('corrupt and hostile DEX files give typed errors', () => {
  const good = readFileSync(join(FIXTURES, 'tracker-classes.dex'));
  const header = dexdumpHeader(join(FIXTURES, 'tracker-classes.dex'));
  const stringIdsOffset = Number(header.get('string_ids_off')?.split(' ')[0]);
  const patched = (patch: (bytes: Buffer) => void): Buffer => {
    const bytes = Buffer.from(good);
    patch(bytes);
    return bytes;
  };
  const fails = async (bytes: Buffer) => expectInputError(readAll(bufferSource(bytes)));

  it('truncated: file_size says more than there is', async () => {
    const error = await fails(good.subarray(0, Math.floor(good.length * 0.6)));
    expect(error.format).toBe('dex › classes.dex › header');
    expect(error.problem).toContain('truncated');
    expect(error.offset).toBe(32);
  });

  it('shorter than a header, or no DEX at all', async () => {
    expect((await fails(good.subarray(0, 40))).problem).toContain('truncated');
    expect((await fails(patched((bytes) => bytes.write('zip\n', 0, 'latin1')))).problem).toContain('not a DEX file');
    expect((await fails(patched((bytes) => bytes.write('cdex001\0', 0, 'latin1')))).problem).toContain('compact DEX');
    expect((await fails(patched((bytes) => bytes.write('099', 4, 'latin1')))).problem).toContain('unknown DEX version');
    expect((await fails(patched((bytes) => bytes.writeUInt32LE(0x78563412, 40)))).problem).toContain('big-endian');
  });

  it('a huge string count does not allocate: the table does not fit', async () => {
    const error = await fails(patched((bytes) => bytes.writeUInt32LE(0x7fffffff, 56)));
    expect(error.problem).toMatch(/string_ids .* do not fit/);
  });

  it('too many type ids, and a class naming a type that does not exist', async () => {
    expect((await fails(patched((bytes) => bytes.writeUInt32LE(70000, 64)))).problem).toContain('type_ids_size is 70000');
    const classDefsOffset = Number(header.get('class_defs_off')?.split(' ')[0]);
    const error = await fails(patched((bytes) => bytes.writeUInt32LE(9999, classDefsOffset)));
    expect(error.format).toBe('dex › classes.dex › class_defs');
    expect(error.offset).toBe(classDefsOffset);
  });

  it('a string offset past the end, or into another string', async () => {
    const pastEnd = await fails(patched((bytes) => bytes.writeUInt32LE(good.length + 100, stringIdsOffset)));
    expect(pastEnd.format).toBe('dex › classes.dex › string_ids');
    expect(pastEnd.offset).toBe(stringIdsOffset);
    const shared = await fails(patched((bytes) => bytes.writeUInt32LE(bytes.readUInt32LE(stringIdsOffset + 4), stringIdsOffset)));
    expect(shared.problem).toContain('inside another string');
  });

  it('bytes that are not MUTF-8', async () => {
    const firstString = good.readUInt32LE(stringIdsOffset);
    const error = await fails(patched((bytes) => {
      bytes[firstString + 1] = 0xff;
    }));
    expect(error.format).toBe('dex › classes.dex › string_data_item');
    expect(error.problem).toContain('not valid MUTF-8');
    expect(error.offset).toBe(firstString + 1);
  });

  it('a string whose length claims four billion characters: a typed error, nothing allocated for them', async () => {
    const dex = readFileSync(join(FIXTURES, 'tracker-classes2.dex'));
    const text = dex.indexOf(Buffer.from('Café ☕', 'utf8'));
    expect(text).toBeGreaterThan(0);
    // The one-byte length and the first four bytes become the ULEB128 of 0xffffffff; what follows is not ASCII.
    const bytes = Buffer.from(dex);
    Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]).copy(bytes, text - 1);
    const error = await expectInputError(readAll(bufferSource(bytes), 'classes2.dex'));
    expect(error.format).toBe('dex › classes2.dex › string_data_item');
    expect(error.problem).toMatch(/too few for the 4294967295 characters/);
  });

  it('a map list that disagrees with the header', async () => {
    const mapOffset = good.readUInt32LE(52);
    const items = good.readUInt32LE(mapOffset);
    const stringIdsItem = Array.from({ length: items }, (_, index) => mapOffset + 4 + index * 12).find((at) => good.readUInt16LE(at) === 0x0001) as number;
    const error = await fails(patched((bytes) => bytes.writeUInt32LE(bytes.readUInt32LE(stringIdsItem + 4) + 1, stringIdsItem + 4)));
    expect(error.format).toBe('dex › classes.dex › map_list');
    expect(error.problem).toContain('string_ids');
    const unordered = await fails(patched((bytes) => bytes.writeUInt32LE(good.length - 4, mapOffset + 4 + 8)));
    expect(unordered.problem).toContain('ascending offset order');
  });
});

describe('VDEX containers', () => {
  const dex = DEX_FILES.map((name) => readFileSync(join(FIXTURES, name)));
  const open = (name: string) => new BufferByteSource(name, readFileSync(join(FIXTURES, 'vdex', name)));
  const bytesOf = async (source: ByteSource) => source.read(0, source.size);

  it.each([
    ['tracker-v010.vdex', '010', 2],
    ['tracker-v019.vdex', '019', 1],
    ['tracker-v021.vdex', '021', 2],
  ])('%s (version %s) holds the smali-built DEX files, byte for byte', async (name, version, count) => {
    const vdex = await readVdex(open(name), name);
    expect(vdex.version).toBe(version);
    expect(vdex.dexFiles.map((entry) => entry.name)).toEqual(['classes.dex', 'classes2.dex'].slice(0, count));
    for (const [index, entry] of vdex.dexFiles.entries()) expect(sha256(await bytesOf(entry.source))).toBe(sha256(dex[index] as Buffer));
    const read = await readAll(vdex.dexFiles[0]?.source as ByteSource);
    expect(read.classes).toEqual(dexdumpClasses(join(FIXTURES, DEX_FILES[0] as string)));
  });

  it('version 027 (Android 12 and later) holds no DEX, and says so', async () => {
    const vdex = await readVdex(open('verifier-only-v027.vdex'), 'Modern.vdex');
    expect(vdex.dexFiles).toEqual([]);
    expect(vdex.noDexReason).toContain('027');
  });

  it('an unknown version is no error but no DEX either', async () => {
    const bytes = readFileSync(join(FIXTURES, 'vdex', 'tracker-v021.vdex'));
    bytes.write('099', 4, 'latin1');
    const vdex = await readVdex(new BufferByteSource('x.vdex', bytes), 'x.vdex');
    expect(vdex.dexFiles).toEqual([]);
    expect(vdex.noDexReason).toContain('099');
  });

  it('truncated or lying about its DEX sizes: a typed error', async () => {
    const bytes = readFileSync(join(FIXTURES, 'vdex', 'tracker-v021.vdex'));
    const truncated = await expectInputError(readVdex(new BufferByteSource('x.vdex', bytes.subarray(0, 600)), 'x.vdex'));
    expect(truncated.format).toBe('vdex › dex section');
    const lying = Buffer.from(bytes);
    lying.writeUInt32LE(5, 12);
    expect((await expectInputError(readVdex(new BufferByteSource('x.vdex', lying), 'x.vdex'))).format).toBe('vdex › dex section');
    expect((await expectInputError(readVdex(new BufferByteSource('x.vdex', Buffer.from('not a vdex at all')), 'x.vdex'))).problem).toContain('wrong magic');
  });
});
