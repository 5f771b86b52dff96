// Damaged, truncated and unsupported EROFS images: the reader must answer with typed InputErrors
// that name the file, the format layer and the offset, list what it still can, and never crash
// or hang. Where bytes are patched, the positions come from dump.erofs, not from the reader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, UnsupportedFormatError } from '../../electron/engine/errors.js';
import { erofsFileSystem, type ErofsTree } from '../../electron/engine/fs/erofs/index.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import { run } from '../support/oracles.js';
import {
  caught,
  dumpExtents,
  dumpInode,
  exploreDamaged,
  fixture,
  FIXTURES,
  fsckExtract,
  hashStream,
  inodePlace,
  openBytes,
  oracleHashes,
  removeExtractions,
  seededRandom,
  walkFolder,
} from '../support/erofs.js';

const BLOCK = 4096;

afterAll(removeExtractions);

describe('EROFS superblock checks', () => {
  it('does not detect other data as EROFS', async () => {
    expect(await erofsFileSystem.detect(new BufferByteSource('short', Buffer.alloc(1100)))).toBe(false);
    expect(await erofsFileSystem.detect(new BufferByteSource('zeros', Buffer.alloc(8192)))).toBe(false);
    const ext4Like = Buffer.alloc(8192);
    ext4Like.writeUInt16LE(0xef53, 1024 + 0x38);
    expect(await erofsFileSystem.detect(new BufferByteSource('ext4', ext4Like))).toBe(false);
  });

  it('refuses a wrong magic, an image too short for a superblock, and an absurd block size', async () => {
    const image = fixture('special.erofs');
    const wrongMagic = Buffer.from(image);
    wrongMagic.writeUInt32LE(0x12345678, 1024);
    expect(await caught(() => openBytes(wrongMagic))).toMatchObject({ name: 'InputError', file: 'damaged.erofs', format: 'erofs superblock', offset: 1024 });
    expect(await caught(() => openBytes(image.subarray(0, 1100)))).toMatchObject({ name: 'InputError', format: 'erofs superblock', offset: 1024 });
    const hugeBlocks = Buffer.from(image);
    hugeBlocks[1024 + 12] = 40;
    expect(await caught(() => openBytes(hugeBlocks))).toMatchObject({ name: 'InputError', format: 'erofs superblock', offset: 1036 });
  });

  it('names incompatible features it does not know', async () => {
    const image = Buffer.from(fixture('special.erofs'));
    image.writeUInt32LE(image.readUInt32LE(1024 + 80) | 0x100 | 0x4000, 1024 + 80);
    const error = await caught(() => openBytes(image));
    expect(error).toBeInstanceOf(UnsupportedFormatError);
    expect((error as Error).message).toContain('metadata box');
    expect((error as Error).message).toContain('0x4000');
  });

  it('refuses images whose data lives on extra (blob) devices', async () => {
    const error = await caught(() => openBytes(fixture('blobdev.erofs'), 'blobdev.erofs'));
    expect(error).toBeInstanceOf(UnsupportedFormatError);
    expect(error).toMatchObject({ file: 'blobdev.erofs', format: 'erofs superblock' });
    expect((error as Error).message).toContain('extra device');
  });

  it('refuses a root inode past the end of the image', async () => {
    const image = Buffer.from(fixture('special.erofs'));
    image.writeUInt16LE(0xffff, 1024 + 14);
    expect(await caught(() => openBytes(image))).toMatchObject({ name: 'InputError', format: 'erofs › inode 65535' });
  });
});

describe('EROFS damaged content', () => {
  it('reports a corrupt LZ4 pcluster by inode and offset, and still reads the other pclusters', async () => {
    const path = join(FIXTURES, 'lz4hc.erofs');
    const extents = dumpExtents(path, 'etc/words.txt');
    const { nid } = dumpInode(path, 'etc/words.txt');
    const damagedExtent = extents[2]!;
    const image = Buffer.from(fixture('lz4hc.erofs'));
    image.fill(0xff, damagedExtent.physical, damagedExtent.physical + damagedExtent.physicalLength);
    const tree = await openBytes(image);
    const file = await tree.openSource('etc/words.txt');
    const error = await caught(() => file.read(damagedExtent.start, 10));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ file: 'damaged.erofs', format: `erofs › inode ${nid} › pcluster at offset ${damagedExtent.physical}` });
    expect((error as InputError).offset).toBeGreaterThanOrEqual(damagedExtent.physical);
    expect((error as InputError).offset).toBeLessThanOrEqual(damagedExtent.physical + damagedExtent.physicalLength);
    const intact = readFileSync(join(fsckExtract(path), 'etc/words.txt'));
    expect((await file.read(extents[0]!.start, 1000)).equals(intact.subarray(0, 1000))).toBe(true);
    expect(await caught(async () => hashStream(await tree.openStream('etc/words.txt')))).toBeInstanceOf(InputError);
  });

  it('reads holes (null chunk addresses) as zeros', async () => {
    // chunked.erofs stores the zero chunks of lib/holey.bin as one shared block; make them holes.
    // A null address is a hole for Linux (erofs_map_blocks) and GRUB; fsck.erofs 1.5 misreads it,
    // so the oracle is the unpatched image, whose chunks held zeros.
    const path = join(FIXTURES, 'chunked.erofs');
    const extents = dumpExtents(path, 'lib/holey.bin');
    const counts = new Map<number, number>();
    for (const extent of extents) counts.set(extent.physical, (counts.get(extent.physical) ?? 0) + 1);
    const zeroBlock = [...counts].find(([, count]) => count > 1)![0] / BLOCK;
    const place = inodePlace(path, 'lib/holey.bin');
    const image = Buffer.from(fixture('chunked.erofs'));
    const table = Math.ceil(place.after / 4) * 4;
    let holes = 0;
    for (let chunk = 0; chunk < Math.ceil(place.size / BLOCK); chunk++) {
      if (image.readUInt32LE(table + chunk * 4) !== zeroBlock) continue;
      image.writeUInt32LE(0xffffffff, table + chunk * 4);
      holes += 1;
    }
    expect(holes).toBe(64);
    const original = fsckExtract(path);
    const expected = walkFolder(original).get('lib/holey.bin')!;
    const tree = await openBytes(image);
    expect(await hashStream(await tree.openStream('lib/holey.bin'))).toBe(expected.sha256);
    expect((await tree.extents('lib/holey.bin')).filter((extent) => extent.kind === 'zero').map((extent) => extent.end - extent.start)).toEqual([64 * BLOCK]);
    const source = await tree.openSource('lib/holey.bin');
    expect((await source.read(BLOCK * 3 - 5, BLOCK * 2)).equals(readFileSync(join(original, 'lib/holey.bin')).subarray(BLOCK * 3 - 5, BLOCK * 5 - 5))).toBe(true);
  });

  it('detects a directory loop, leaves the looping entry out and says so', async () => {
    const path = join(FIXTURES, 'plain.erofs');
    const parent = inodePlace(path, 'a');
    const child = dumpInode(path, 'a/b');
    const image = Buffer.from(fixture('plain.erofs'));
    // Directory "a" is stored inline after its inode: find the entry for "b" and point it at "a".
    let patchedAt = -1;
    for (let at = parent.after; at + 12 <= parent.after + parent.size; at += 12) {
      if (image.readUInt32LE(at) === child.nid && image.readUInt32LE(at + 4) === 0) {
        image.writeUInt32LE(parent.nid, at);
        patchedAt = at;
        break;
      }
    }
    expect(patchedAt).toBeGreaterThan(0);
    const tree = await openBytes(image);
    expect(await tree.list('a')).toEqual([]);
    expect(await tree.stat('a/b')).toBeNull();
    expect(await tree.list('a/b')).toBeNull();
    expect(tree.problems).toEqual([{ path: 'a/b', message: expect.stringContaining('directory loop') as string }]);
    const { listed } = await exploreDamaged(tree, 'damaged.erofs', new Map());
    expect(listed.length).toBeGreaterThan(300);
  });

  it('refuses absurd sizes of uncompressed files and lists the rest; a compressed file fails when read', async () => {
    const path = join(FIXTURES, 'lz4hc.erofs');
    const image = Buffer.from(fixture('lz4hc.erofs'));
    const flat = inodePlace(path, 'build.prop');
    const compressed = inodePlace(path, 'etc/words.txt');
    image.writeUInt32LE(0xfffffff0, flat.position + 8);
    image.writeUInt32LE(0xfffffff0, compressed.position + 8);
    const tree = await openBytes(image);
    const names = (await tree.list(''))?.map((node) => node.name);
    expect(names).not.toContain('build.prop');
    expect(names).toContain('app');
    expect(tree.problems.map((problem) => problem.path)).toEqual(['build.prop']);
    expect(tree.problems[0]?.message).toContain(`inode ${flat.nid}`);
    // Shared pclusters and fragments let a compressed file be any size (Linux sets no bound), so it
    // is listed as declared; its index then runs past the end of the image.
    expect(await tree.stat('etc/words.txt')).toMatchObject({ type: 'file', size: 0xfffffff0 });
    const error = await caught(async () => hashStream(await tree.openStream('etc/words.txt')));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).format).toBe(`erofs › inode ${compressed.nid}`);
  });
});

describe('EROFS compression headers that do not add up', () => {
  // The map header of a compressed file sits at the first 8-byte boundary after its inode and
  // xattrs: {u32 reserved/inline size, u16 advise, u8 algorithms, u8 cluster bits}.
  const headerOf = (path: string): number => Math.ceil(inodePlace(join(FIXTURES, 'lz4hc.erofs'), path).after / 8) * 8;

  it('refuses an algorithm the superblock does not list (as Linux does) instead of returning wrong bytes, and reads the rest', async () => {
    const image = Buffer.from(fixture('lz4hc.erofs'));
    image[headerOf('etc/words.txt') + 6] = 0x11;
    const tree = await openBytes(image);
    expect(await tree.stat('etc/words.txt')).toMatchObject({ type: 'file' });
    const error = await caught(() => tree.openSource('etc/words.txt'));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('LZMA');
    expect((error as Error).message).toContain('does not list');
    expect(await hashStream(await tree.openStream('build.prop'))).toBe(oracleHashes('lz4hc.erofs').get('build.prop'));
  });

  it('names an algorithm number it does not know', async () => {
    const image = Buffer.from(fixture('lz4hc.erofs'));
    image[headerOf('etc/words.txt') + 6] = 0x55;
    const error = await caught(async () => (await openBytes(image)).openSource('etc/words.txt'));
    expect(error).toBeInstanceOf(UnsupportedFormatError);
    expect((error as Error).message).toContain('unknown algorithm 5');
  });

  it('refuses fragments in an image that has no packed inode', async () => {
    const tail = Buffer.from(fixture('lz4hc.erofs'));
    const header = headerOf('etc/words.txt');
    tail.writeUInt16LE(tail.readUInt16LE(header + 4) | 0x20, header + 4);
    const whole = Buffer.from(fixture('lz4hc.erofs'));
    whole.writeUInt8(whole.readUInt8(header + 7) | 0x80, header + 7);
    for (const image of [tail, whole]) {
      const error = await caught(async () => (await openBytes(image)).openStream('etc/words.txt'));
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain('packed inode');
    }
  });
});

describe('EROFS truncated images', () => {
  const hashes = new Map<string, Map<string, string>>();
  const oracleFor = (file: string): Map<string, string> => {
    if (!hashes.has(file)) hashes.set(file, oracleHashes(file));
    return hashes.get(file)!;
  };

  for (const file of ['lz4hc.erofs', 'plain.erofs', 'lz4hc-ztailpacking.erofs', 'chunked.erofs', 'v19-lz4hc-fragments.erofs', 'v19-zstd-48bit-fragments-dedupe.erofs', 'v19-lzma-dedupe.erofs']) {
    it(`lists and reads what is left of ${file} at any truncation, with typed errors for the rest`, async () => {
      const full = fixture(file);
      // Whatever is listed must exist (inodes can sit anywhere: a cut may lose whole folders).
      const known = new Set(walkFolder(fsckExtract(join(FIXTURES, file))).keys());
      const cuts = [0, 1000, 1152, BLOCK, 3 * BLOCK + 100, Math.floor(full.length / 2), full.length - BLOCK, full.length - 1];
      for (const cut of cuts) {
        const bytes = full.subarray(0, cut);
        let tree: ErofsTree;
        try {
          tree = await openBytes(bytes, 'cut.erofs');
        } catch (error) {
          expect(error, `cut at ${cut}: ${String(error)}`).toBeInstanceOf(InputError);
          expect(cut).toBeLessThan(8 * BLOCK);
          continue;
        }
        const { listed, failed } = await exploreDamaged(tree, 'cut.erofs', oracleFor(file));
        expect(listed.filter((path) => !known.has(path)), `cut at ${cut}`).toEqual([]);
        for (const problem of tree.problems) expect(problem.message, `cut at ${cut}`).toContain('past the end');
        if (cut === full.length - 1) expect(listed.length).toBe(known.size);
        if (cut === full.length - BLOCK) expect(failed.length + tree.problems.length, `cut at ${cut}`).toBeGreaterThan(0);
      }
    });
  }
});

describe('EROFS fuzzed images', () => {
  for (const file of ['lz4hc-ztailpacking.erofs', 'lz4hc-legacy-big.erofs', 'special.erofs', 'v19-lz4hc-ztailpacking-fragments-dedupe.erofs', 'v19-zstd-48bit-fragments-dedupe.erofs', 'v19-deflate-dedupe.erofs', 'v19-chunked-48bit.erofs']) {
    it(`never crashes nor hangs on random damage to ${file}`, async () => {
      const original = fixture(file);
      const random = seededRandom(file.length);
      for (let round = 0; round < 40; round++) {
        const image = Buffer.from(original);
        // Damage the metadata-heavy start of the image (superblock excepted) and a few bytes anywhere.
        for (let i = 0; i < 12; i++) image[1024 + 128 + Math.floor(random() * Math.min(image.length - 1152, 64 * 1024))] = Math.floor(random() * 256);
        for (let i = 0; i < 4; i++) image[Math.floor(random() * image.length)] = Math.floor(random() * 256);
        let tree: ErofsTree;
        try {
          tree = await openBytes(image, 'fuzzed.erofs');
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(InputError);
          continue;
        }
        await exploreDamaged(tree, 'fuzzed.erofs', new Map());
      }
    });
  }
});

describe('EROFS tool check', () => {
  it('has erofs-utils for the oracles', () => {
    expect(run('dump.erofs', ['-s', join(FIXTURES, 'special.erofs')])).toContain('0xE0F5E1E2');
  });
});
