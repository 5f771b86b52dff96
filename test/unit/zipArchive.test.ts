import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../electron/engine/errors.js';
import { BufferByteSource, FileByteSource } from '../../electron/engine/io/byteSource.js';
import { ZipArchive } from '../../electron/engine/zip/zipArchive.js';
import { run, SAMPLE_NEW, sha256, unzipMember, unzipNames, zipLayout } from '../support/oracles.js';

const temp = mkdtempSync(join(tmpdir(), 'otalens-zip-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function readMember(archive: ZipArchive, name: string): Promise<Buffer> {
  const member = archive.get(name);
  if (member === undefined) throw new Error(`no member ${name}`);
  const chunks: Buffer[] = [];
  for await (const chunk of await archive.openStream(member)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('ZipArchive', () => {
  it('lists the same members as zipinfo and reads the same bytes as unzip -p', async () => {
    const archive = await ZipArchive.open(await FileByteSource.open(SAMPLE_NEW, 'sample-new.zip'));
    try {
      const names = unzipNames(SAMPLE_NEW);
      expect(archive.members.map((member) => member.name).sort()).toEqual([...names].sort());
      for (const name of names) {
        expect(sha256(await readMember(archive, name)), name).toBe(sha256(unzipMember(SAMPLE_NEW, name)));
      }
    } finally {
      await archive.close();
    }
  });

  it('reads a zip64 archive written by Info-ZIP (zip -fz)', async () => {
    const tree = join(temp, 'z64');
    mkdirSync(join(tree, 'system'), { recursive: true });
    writeFileSync(join(tree, 'system', 'build.prop'), 'ro.build.fingerprint=vendor/z64/z64:14/ID/1:user/release-keys\n');
    writeFileSync(join(tree, 'system', 'blob.bin'), Buffer.alloc(300_000, 7));
    const zipPath = join(temp, 'z64.zip');
    run('zip', ['-q', '-r', '-fz', '-X', zipPath, 'system'], tree);
    const bytes = readFileSync(zipPath);
    expect(bytes.includes(Buffer.from('PK\x06\x06', 'latin1')), 'zip -fz wrote a zip64 end record').toBe(true);

    const archive = await ZipArchive.open(new BufferByteSource('z64.zip', bytes));
    expect(archive.members.map((member) => member.name).sort()).toEqual(unzipNames(zipPath).sort());
    expect(sha256(await readMember(archive, 'system/blob.bin'))).toBe(sha256(unzipMember(zipPath, 'system/blob.bin')));
  });

  it('rejects a truncated zip with an error naming the file, the layer and the offset', async () => {
    const bytes = readFileSync(SAMPLE_NEW);
    const truncated = bytes.subarray(0, Math.floor(bytes.length / 2));
    const error = await ZipArchive.open(new BufferByteSource('half.zip', truncated)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    const inputError = error as InputError;
    expect(inputError.file).toBe('half.zip');
    expect(inputError.format).toBe('zip');
    expect(inputError.offset).toBe(truncated.length);
    expect(inputError.message).toMatch(/^half\.zip: zip at offset \d+: not a zip file, or a truncated one/);
  });

  it('fails a corrupted member with a CRC error, and still reads the others', async () => {
    const bytes = Buffer.from(readFileSync(SAMPLE_NEW));
    const layout = zipLayout(SAMPLE_NEW);
    const victim = layout.find((member) => member.name === 'system/bin/toolbox');
    if (victim === undefined) throw new Error('sample lacks system/bin/toolbox');
    const middle = victim.dataOffset + Math.floor(victim.compressedSize / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;

    const archive = await ZipArchive.open(new BufferByteSource('flipped.zip', bytes));
    const error = await readMember(archive, 'system/bin/toolbox').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).format).toBe('zip › system/bin/toolbox');
    expect((error as Error).message).toMatch(/CRC-32 mismatch|cannot decompress/);
    expect(sha256(await readMember(archive, 'system/build.prop'))).toBe(sha256(unzipMember(SAMPLE_NEW, 'system/build.prop')));
  });

  it('fails a member whose content is shorter than its declared size', async () => {
    const zipPath = join(temp, 'sizes.zip');
    const script = `
import struct, sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('system/build.prop', 'ro.a=1\\n' * 100)
    z.writestr('system/other.txt', 'other\\n')
data = bytearray(open(sys.argv[1], 'rb').read())
info = zipfile.ZipFile(sys.argv[1]).getinfo('system/build.prop')
# Uncompressed size: local header offset 22, central directory header offset 24 (APPNOTE 4.3.7, 4.3.12).
struct.pack_into('<I', data, info.header_offset + 22, info.file_size + 10)
cd = data.index(b'PK\\x01\\x02')
struct.pack_into('<I', data, cd + 24, info.file_size + 10)
open(sys.argv[1], 'wb').write(data)
`;
    run('python3', ['-c', script, zipPath]);
    const archive = await ZipArchive.open(await FileByteSource.open(zipPath, 'sizes.zip'));
    try {
      await expect(readMember(archive, 'system/build.prop')).rejects.toThrow(/sizes\.zip: zip › system\/build\.prop at offset 0: content is shorter than its declared size \(expected 710 bytes\)/);
      expect((await readMember(archive, 'system/other.txt')).toString()).toBe('other\n');
    } finally {
      await archive.close();
    }
  });

  it('skips members with unsafe names and reports them', async () => {
    const script = `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('system/build.prop', 'ro.a=1\\n')
    z.writestr('../../escape.txt', 'x')
    z.writestr('/abs/path.txt', 'y')
`;
    const zipPath = join(temp, 'unsafe.zip');
    run('python3', ['-c', script, zipPath]);
    const archive = await ZipArchive.open(await FileByteSource.open(zipPath, 'unsafe.zip'));
    try {
      expect(archive.members.map((member) => member.name)).toEqual(['system/build.prop']);
      expect(archive.problems.map((problem) => problem.path).sort()).toEqual(['../../escape.txt', '/abs/path.txt']);
    } finally {
      await archive.close();
    }
  });
});

describe('keepInflated', () => {
  /** The archive's bytes, counting what is read of them. */
  class CountingSource extends BufferByteSource {
    bytesRead = 0;
    override async read(offset: number, length: number): Promise<Buffer> {
      this.bytesRead += length;
      return super.read(offset, length);
    }
  }

  it('keeps the bytes of a deflated member read once (the v1 check) for one later readAll (the code reader), the same bytes as unzip -p', async () => {
    const tree = join(temp, 'kept');
    mkdirSync(tree, { recursive: true });
    // Larger than a small member, so it is streamed; compressible, so zip deflates it.
    writeFileSync(join(tree, 'classes.dex'), Buffer.from('dex\n035\0'.repeat(40_000), 'latin1'));
    writeFileSync(join(tree, 'stored.bin'), Buffer.alloc(1000, 1));
    const zipPath = join(temp, 'kept.zip');
    run('zip', ['-q', '-X', zipPath, 'classes.dex'], tree);
    run('zip', ['-q', '-X', '-0', zipPath, 'stored.bin'], tree);
    const source = new CountingSource('kept.zip', readFileSync(zipPath));
    const archive = await ZipArchive.open(source);
    try {
      const dex = archive.get('classes.dex');
      const stored = archive.get('stored.bin');
      if (dex === undefined || stored === undefined) throw new Error('members missing');
      expect(dex.compressionMethod).toBe(8);
      archive.keepInflated([dex, stored]);
      const expected = sha256(unzipMember(zipPath, 'classes.dex'));
      expect(sha256(await readMember(archive, 'classes.dex'))).toBe(expected);
      // Taken once, without reading the archive again; then read afresh.
      const before = source.bytesRead;
      expect(sha256(await archive.readAll(dex, 1 << 20))).toBe(expected);
      expect(source.bytesRead).toBe(before);
      expect(sha256(await archive.readAll(dex, 1 << 20))).toBe(expected);
      expect(source.bytesRead).toBeGreaterThan(before);
      // A stored member is never kept: there is nothing to inflate.
      await archive.readAll(stored, 1 << 20);
      const afterStored = source.bytesRead;
      await archive.readAll(stored, 1 << 20);
      expect(source.bytesRead).toBeGreaterThan(afterStored);
    } finally {
      await archive.close();
    }
  });
});
