// What erofs-utils 1.8/1.9 add to EROFS, read as Linux reads it: fragments (the packed inode),
// dedupe (shared pclusters, partial references), the 48-bit layout (encoded extents, wide block
// addresses) and DEFLATE, LZMA and Zstandard pclusters. erofs.test.ts already reads every file of
// these fixtures against fsck.erofs 1.9.4; here: that each fixture really has what it is made for
// (dump.erofs 1.9.4 says so), random access into fragments, and damaged variants, which must give
// typed errors naming the image, the inode and the offset while the rest stays readable.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, UnsupportedFormatError } from '../../electron/engine/errors.js';
import type { Extent } from '../../electron/engine/fs/erofs/extentMap.js';
import { openErofs } from '../../electron/engine/fs/erofs/index.js';
import { buildInventory } from '../../electron/engine/inventory/buildInventory.js';
import { decodeExtent } from '../../electron/engine/fs/erofs/pclusterDecoder.js';
import type { Superblock } from '../../electron/engine/fs/erofs/superblock.js';
import { FileByteSource } from '../../electron/engine/io/byteSource.js';
import { run } from '../support/oracles.js';
import {
  caught,
  CountingSource,
  dumpExtents,
  erofsUtils19,
  exploreDamaged,
  fixture,
  fixtureImages,
  FIXTURES,
  fsckExtract,
  hashStream,
  inodePlace,
  openBytes,
  oracleHashes,
  oracleTools,
  removeExtractions,
  walkFolder,
} from '../support/erofs.js';
import { apksignerVerify } from '../support/apksigner.js';
import { allWithoutMetadata } from '../support/treeNodes.js';

const BLOCK = 4096;
const temp = mkdtempSync(join(tmpdir(), 'otalens-erofs-features-'));

afterAll(() => {
  removeExtractions();
  rmSync(temp, { recursive: true, force: true });
});

/** What each erofs-utils 1.9.4 fixture is made to contain: dump.erofs's feature words and algorithms, and the extent kinds it must hold. */
const EXPECTED: Record<string, { features: string[]; algorithms?: string; kinds: string[] }> = {
  'v19-lz4hc-fragments.erofs': { features: ['fragments'], kinds: ['fragment', 'interlaced', 'lz4'] },
  'v19-lz4hc-all-fragments.erofs': { features: ['fragments'], algorithms: 'lz4', kinds: ['fragment'] },
  'v19-lz4hc-48bit.erofs': { features: ['48bit'], kinds: ['lz4', 'plain'] },
  'v19-deflate.erofs': { features: ['compr_cfgs', 'big_pcluster'], algorithms: 'deflate', kinds: ['deflate'] },
  'v19-lzma.erofs': { features: ['compr_cfgs', 'big_pcluster'], algorithms: 'lzma', kinds: ['lzma'] },
  'v19-zstd.erofs': { features: ['compr_cfgs'], algorithms: 'zstd', kinds: ['zstd'] },
  'v19-mixed-hints.erofs': { features: ['compr_cfgs'], algorithms: 'lz4, lzma, deflate, zstd', kinds: ['lz4', 'lzma', 'deflate', 'zstd'] },
  'v19-chunked-48bit.erofs': { features: ['chunked_file', '48bit'], kinds: ['raw'] },
  'v19-lz4hc-dedupe.erofs': { features: ['dedupe'], kinds: ['lz4', 'lz4 partial'] },
  'v19-lzma-dedupe.erofs': { features: ['dedupe'], algorithms: 'lzma', kinds: ['lzma partial'] },
  'v19-deflate-dedupe.erofs': { features: ['dedupe'], algorithms: 'deflate', kinds: ['deflate partial'] },
  'v19-lz4hc-ztailpacking-fragments-dedupe.erofs': { features: ['ztailpacking', 'fragments', 'dedupe'], kinds: ['fragment', 'lz4 partial'] },
  'v19-zstd-48bit-fragments-dedupe.erofs': { features: ['48bit', 'fragments', 'dedupe'], algorithms: 'zstd', kinds: ['fragment', 'zstd'] },
};

function dumpSuperblock(file: string): string {
  const path = join(FIXTURES, file);
  return run(oracleTools(path).dump, ['-s', path]);
}

async function allExtents(file: string): Promise<Map<string, Extent[]>> {
  const source = await FileByteSource.open(join(FIXTURES, file), file);
  const tree = await openErofs(source);
  const extents = new Map<string, Extent[]>();
  for (const entry of walkFolder(fsckExtract(join(FIXTURES, file))).values()) {
    if (entry.type === 'file' && entry.size > 0) extents.set(entry.path, await tree.extents(entry.path));
  }
  await source.close();
  return extents;
}

describe('EROFS fixtures made with erofs-utils 1.9.4', () => {
  it('are all described here', () => {
    const made = fixtureImages()
      .filter((image) => image.tools === '1.9')
      .map((image) => image.file);
    expect(made.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s has the features and extents it is made for', async (file, expected) => {
    const summary = dumpSuperblock(file);
    const features = /incompatible features:\s*(.*)/.exec(summary)?.[1]?.split(/\s+/) ?? [];
    for (const feature of expected.features) expect(features, file).toContain(feature);
    if (expected.algorithms !== undefined) expect(/compr_algs:\s*(.*)/.exec(summary)?.[1]?.trim()).toBe(expected.algorithms);
    const kinds = new Set([...(await allExtents(file)).values()].flat().map((extent) => `${extent.kind}${extent.partial ? ' partial' : ''}`));
    for (const kind of expected.kinds) expect([...kinds], file).toContain(kind);
  });

  it('compress each file with the algorithm --compress-hints gives it', async () => {
    // The hints: etc/words.txt with algorithm 1 (LZMA), etc/xml/ with 2 (DEFLATE), lib/ with 3 (Zstandard), the rest LZ4.
    const wanted = (path: string): string => (path === 'etc/words.txt' ? 'lzma' : path.startsWith('etc/xml/') ? 'deflate' : path.startsWith('lib/') ? 'zstd' : 'lz4');
    let compressed = 0;
    for (const [path, extents] of await allExtents('v19-mixed-hints.erofs')) {
      for (const extent of extents.filter((item) => !['raw', 'zero', 'plain'].includes(item.kind))) {
        expect(extent.kind, path).toBe(wanted(path));
        compressed += 1;
      }
    }
    expect(compressed).toBeGreaterThan(5);
  });

  it('share pclusters between files with the same content (dedupe), as dump.erofs shows', () => {
    for (const file of ['v19-lz4hc-dedupe.erofs', 'v19-lzma-dedupe.erofs', 'v19-deflate-dedupe.erofs']) {
      const path = join(FIXTURES, file);
      const pclusters = (member: string): Set<number> => new Set(dumpExtents(path, member).map((extent) => extent.physical));
      const original = pclusters('etc/words.txt');
      expect([...pclusters('dup/copy.txt')].filter((physical) => original.has(physical)).length, file).toBeGreaterThan(3);
    }
  });

  it('keep Zstandard pclusters at byte offsets, not block boundaries, in the 48-bit layout', () => {
    const extents = dumpExtents(join(FIXTURES, 'v19-zstd-48bit-fragments-dedupe.erofs'), 'dup/shifted.txt');
    expect(extents.filter((extent) => extent.physicalLength > 0 && extent.physical % BLOCK !== 0).length).toBeGreaterThan(3);
  });
});

describe('EROFS files far larger than their image', () => {
  it('are listed and read like fsck.erofs extracts them (dedupe shares one pcluster of zeros)', async () => {
    // Made here: 48 MiB of zeros with -Ededupe fit in well under 1/256 of that.
    const tree = join(temp, 'zeros-tree');
    mkdirSync(tree);
    writeFileSync(join(tree, 'zeros.bin'), Buffer.alloc(48 << 20));
    const image = join(temp, 'zeros.erofs');
    run(erofsUtils19().mkfs, ['--quiet', '-T0', '-zlz4hc', '-Ededupe', image, tree]);
    const extracted = join(temp, 'zeros-extracted');
    run(erofsUtils19().fsck, [`--extract=${extracted}`, image]);
    const expected = walkFolder(extracted).get('zeros.bin')!;
    expect(expected.size).toBe(48 << 20);
    expect(readFileSync(image).length * 256).toBeLessThan(expected.size);
    const source = await FileByteSource.open(image, 'zeros.erofs');
    const erofs = await openErofs(source);
    expect(allWithoutMetadata(await erofs.list(''))).toEqual([{ name: 'zeros.bin', type: 'file', size: 48 << 20 }]);
    expect(await hashStream(await erofs.openStream('zeros.bin'))).toBe(expected.sha256);
    expect(erofs.problems).toEqual([]);
    await source.close();
  });
});

describe('EROFS fragments by random access', () => {
  it('reads a few bytes of a file kept whole in the packed inode by decoding one of its pclusters', async () => {
    const file = 'v19-lz4hc-all-fragments.erofs';
    const source = await FileByteSource.open(join(FIXTURES, file), file);
    const counting = new CountingSource(source);
    const tree = await openErofs(counting);
    const words = await tree.openSource('etc/words.txt');
    const before = counting.bytesRead;
    const slice = await words.read(100_000, 10);
    expect(slice.equals(readFileSync(join(fsckExtract(join(FIXTURES, file)), 'etc/words.txt')).subarray(100_000, 100_010))).toBe(true);
    // The packed inode's pclusters are at most 16 KiB (-C16384); plus its inode and index blocks.
    expect(counting.bytesRead - before).toBeLessThanOrEqual(16_384 + 3 * BLOCK);
    await source.close();
  });
});

describe('EROFS shared pclusters decoded for a shorter extent', () => {
  // No fixture has a partial Zstandard or DEFLATE reference from mkfs.erofs -Ededupe: decode one by
  // hand, as a pcluster stored after zero padding, whose stream (made by the zstd CLI and Python's
  // zlib) holds more than the extent.
  const content = Buffer.from('system settings default value overlay '.repeat(900));
  const superblock: Superblock = {
    blockSizeBits: 12,
    blockSize: BLOCK,
    rootNid: 0,
    metaStart: 0,
    featureCompat: 0,
    featureIncompat: 0x1 | 0x2,
    blocks: 1,
    end: 1152,
    algorithms: 0xf,
    packedNid: null,
    xattrStart: 0,
    xattrPrefixCount: 0,
    xattrPrefixStart: 0,
    xattrPrefixesPlain: true,
  };
  const padded = (stream: Buffer): Buffer => Buffer.concat([Buffer.alloc(BLOCK - (stream.length % BLOCK)), stream]);
  const streams = {
    zstd: execFileSync('zstd', ['-q', '-c'], { input: content }),
    deflate: execFileSync('python3', ['-c', 'import sys, zlib; c = zlib.compressobj(9, zlib.DEFLATED, -15); sys.stdout.buffer.write(c.compress(sys.stdin.buffer.read()) + c.flush())'], { input: content }),
  };

  it.each(Object.entries(streams))('%s: the first bytes, and an error when the extent claims the whole pcluster wrongly', (kind, stream) => {
    const stored = padded(stream);
    const extent = (length: number, partial: boolean): Extent => ({ index: 0, start: 0, end: length, kind: kind as Extent['kind'], physical: 8192, physicalLength: stored.length, inline: false, partial });
    const context = { imageName: 'made.erofs', superblock, nid: 7 };
    for (const length of [1, 5000, content.length]) {
      expect(decodeExtent(context, extent(length, true), stored).equals(content.subarray(0, length)), `${length}`).toBe(true);
    }
    expect(decodeExtent(context, extent(content.length, false), stored).equals(content)).toBe(true);
    let error: unknown;
    try {
      decodeExtent(context, extent(5000, false), stored);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ file: 'made.erofs', format: 'erofs › inode 7 › pcluster at offset 8192' });
  });
});

describe('EROFS damaged images of erofs-utils 1.9.4', () => {
  it.each([
    ['v19-deflate.erofs', 'DEFLATE'],
    ['v19-lzma.erofs', 'LZMA'],
    ['v19-zstd.erofs', 'Zstandard'],
  ])('%s: a corrupt or zeroed pcluster is reported by inode and offset, the other pclusters still read', async (file, algorithm) => {
    const path = join(FIXTURES, file);
    const extents = dumpExtents(path, 'etc/words.txt');
    const { nid } = inodePlace(path, 'etc/words.txt');
    const damaged = extents[0]!;
    const intact = readFileSync(join(fsckExtract(path), 'etc/words.txt'));
    for (const fill of [0xa5, 0x00]) {
      const image = Buffer.from(fixture(file));
      image.fill(fill, damaged.physical, damaged.physical + damaged.physicalLength);
      const tree = await openBytes(image);
      const words = await tree.openSource('etc/words.txt');
      const error = await caught(() => words.read(damaged.start, 10));
      expect(error).toBeInstanceOf(InputError);
      expect(error).toMatchObject({ file: 'damaged.erofs', format: `erofs › inode ${nid} › pcluster at offset ${damaged.physical}` });
      expect((error as Error).message).toContain(algorithm);
      if (fill === 0) expect((error as Error).message).toContain('only zeros');
      const next = extents[1];
      if (next !== undefined) expect((await words.read(next.start, next.end - next.start)).equals(intact.subarray(next.start, next.end))).toBe(true);
      for (const other of ['build.prop', 'etc/repeats.bin']) expect(await hashStream(await tree.openStream(other))).toBe(oracleHashes(file).get(other));
    }
  });

  it('lists everything and fails each read of a fragment with a typed error when the packed inode is a folder', async () => {
    const file = 'v19-lz4hc-fragments.erofs';
    const rootNid = Number(/root nid:\s+(\d+)/.exec(dumpSuperblock(file))?.[1]);
    const image = Buffer.from(fixture(file));
    image.writeUInt32LE(rootNid, 1024 + 96);
    const tree = await openBytes(image);
    const { listed, failed } = await exploreDamaged(tree, 'damaged.erofs', oracleHashes(file));
    expect(listed.length).toBe(walkFolder(fsckExtract(join(FIXTURES, file))).size);
    expect(failed.length).toBeGreaterThan(300);
    expect(((await caught(async () => hashStream(await tree.openStream('build.prop')))) as Error).message).toContain('packed inode is a directory');
    expect(tree.problems).toEqual([]);
  });

  it('refuses a fragment that lies past the end of the packed inode', async () => {
    const file = 'v19-lz4hc-all-fragments.erofs';
    const place = inodePlace(join(FIXTURES, file), 'etc/words.txt');
    const header = Math.ceil(place.after / 8) * 8;
    const image = Buffer.from(fixture(file));
    // A whole-file fragment: bit 63 of the 8-byte header set, the rest its offset in the packed inode.
    expect(image[header + 7]! & 0x80).toBe(0x80);
    image.writeUInt32LE(0xfffff000, header);
    const error = await caught(async () => hashStream(await (await openBytes(image)).openStream('etc/words.txt')));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('past the end');
    expect((error as Error).message).toContain('packed inode');
  });

  it('refuses encoded extents out of order (48-bit layout)', async () => {
    const file = 'v19-lz4hc-48bit.erofs';
    const place = inodePlace(join(FIXTURES, file), 'etc/words.txt');
    const header = Math.ceil(place.after / 8) * 8;
    const image = Buffer.from(fixture(file));
    // advise 0x5: encoded extents of 16-byte records {plen, pstart_lo, pstart_hi, lstart_lo}, 16-byte aligned after the header.
    expect(image.readUInt16LE(header + 4)).toBe(0x5);
    const records = Math.ceil((header + 8) / 16) * 16;
    const second = image.readUInt32LE(records + 16 + 12);
    image.writeUInt32LE(image.readUInt32LE(records + 32 + 12), records + 16 + 12);
    image.writeUInt32LE(second, records + 32 + 12);
    const error = await caught(async () => (await openBytes(image)).openSource('etc/words.txt'));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('out of order');
  });

  it('refuses a root inode number (48-bit) past the end of the image', async () => {
    const image = Buffer.from(fixture('v19-chunked-48bit.erofs'));
    image.writeUInt32LE(0x7fffffff, 1024 + 112);
    expect(await caught(() => openBytes(image))).toMatchObject({ name: 'InputError', format: 'erofs › inode 2147483647' });
  });

  describe('compression configurations', () => {
    /** Where each algorithm's configuration record starts: after the superblock and its extension slots, 4-byte aligned. */
    function records(image: Buffer): Map<number, number> {
      const found = new Map<number, number>();
      let offset = 1024 + 128 + image[1024 + 13]! * 16;
      const algorithms = image.readUInt16LE(1024 + 84);
      for (let algorithm = 0; algorithm < 4; algorithm++) {
        if ((algorithms & (1 << algorithm)) === 0) continue;
        offset = Math.ceil(offset / 4) * 4;
        found.set(algorithm, offset);
        offset += 2 + image.readUInt16LE(offset);
      }
      return found;
    }

    it('are read for every algorithm of an image with four', async () => {
      expect([...records(fixture('v19-mixed-hints.erofs')).keys()]).toEqual([0, 1, 2, 3]);
      const tree = await openBytes(fixture('v19-mixed-hints.erofs'));
      expect(await tree.stat('etc/words.txt')).toMatchObject({ type: 'file' });
    });

    it('refuse what Linux refuses: an LZMA dictionary over 8 MiB, a DEFLATE window over 32 KiB, an unknown Zstandard format', async () => {
      const cases: [number, (image: Buffer, at: number) => void, string][] = [
        [1, (image, at) => image.writeUInt32LE(16 << 20, at + 2), 'dictionary'],
        [2, (image, at) => image.writeUInt8(16, at + 2), 'window'],
        [3, (image, at) => image.writeUInt8(1, at + 2), 'format'],
      ];
      for (const [algorithm, patch, words] of cases) {
        const image = Buffer.from(fixture('v19-mixed-hints.erofs'));
        patch(image, records(image).get(algorithm)!);
        const error = await caught(() => openBytes(image));
        expect(error, words).toBeInstanceOf(UnsupportedFormatError);
        expect(error).toMatchObject({ file: 'damaged.erofs', format: 'erofs compression configuration' });
        expect((error as Error).message).toContain(words);
      }
    });

    it('refuse a record too short and an algorithm the reader does not know', async () => {
      const short = Buffer.from(fixture('v19-lzma.erofs'));
      short.writeUInt16LE(0, records(short).get(1)!);
      const error = await caught(() => openBytes(short));
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain('too short');
      const unknown = Buffer.from(fixture('v19-lzma.erofs'));
      unknown.writeUInt16LE(unknown.readUInt16LE(1024 + 84) | 0x10, 1024 + 84);
      expect(await caught(() => openBytes(unknown))).toBeInstanceOf(UnsupportedFormatError);
    });
  });
});

describe('EROFS images of erofs-utils 1.9.4 as packages', () => {
  it('open as a device tree whose files hash like fsck.erofs extracts them', async () => {
    for (const file of ['v19-zstd-48bit-fragments-dedupe.erofs', 'v19-mixed-hints.erofs']) {
      const { inventory } = await buildInventory(join(FIXTURES, file), { pool: null });
      const files = new Map(inventory.files.filter((entry) => entry.type === 'file').map((entry) => [entry.path.replace(/^\/system\//, ''), entry.sha256]));
      expect(Object.fromEntries(files), file).toEqual(Object.fromEntries(oracleHashes(file)));
      // The only problems are the tree's unsigned test APKs, as apksigner finds them in fsck's extraction.
      const unsigned = [...oracleHashes(file).keys()].filter((path) => path.endsWith('.apk') && !apksignerVerify(join(fsckExtract(join(FIXTURES, file)), path)).verifies);
      expect(inventory.problems.map((problem) => problem.path), file).toEqual(unsigned.map((path) => `/system/${path}`));
      expect(inventory.problems.every((problem) => problem.message.includes('no signature found')), file).toBe(true);
    }
  });

  it('name every file they could not read, and why, and still list all of them', async () => {
    // The packed inode pointed at the root folder: every file kept in fragments becomes unreadable.
    const file = 'v19-lz4hc-fragments.erofs';
    const rootNid = Number(/root nid:\s+(\d+)/.exec(dumpSuperblock(file))?.[1]);
    const image = Buffer.from(fixture(file));
    image.writeUInt32LE(rootNid, 1024 + 96);
    const path = join(temp, 'damaged-system.erofs');
    writeFileSync(path, image);
    const { inventory } = await buildInventory(path, { pool: null });
    const oracle = walkFolder(fsckExtract(join(FIXTURES, file)));
    expect(inventory.files.filter((entry) => entry.path.startsWith('/system/')).length).toBe(oracle.size);
    const unread = inventory.files.filter((entry) => entry.type === 'file' && entry.sha256 === null).map((entry) => entry.path);
    expect(unread.length).toBeGreaterThan(300);
    const problems = new Map(inventory.problems.map((problem) => [problem.path, problem.message]));
    for (const unreadPath of unread) expect(problems.get(unreadPath), unreadPath).toContain('packed inode is a directory');
  });
});
