// The EROFS reader against erofs-utils: every fixture image (see scripts/fixtures/build-erofs.mjs)
// is extracted with fsck.erofs and walked with Python; the reader must list the same entries
// (names, types, sizes, link targets) with the same file hashes, read any byte range of any file
// like the extracted copy, and map compressed files to the extents dump.erofs reports.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erofsFileSystem, openErofs, type ErofsTree } from '../../electron/engine/fs/erofs/index.js';
import { FileByteSource, visitBytes } from '../../electron/engine/io/byteSource.js';
import { PiecewiseSource } from '../support/piecewiseSource.js';
import { run } from '../support/oracles.js';
import {
  BUILD_SCRIPT,
  CountingSource,
  dumpExtents,
  dumpInode,
  fixtureImages,
  FIXTURES,
  fsckExtract,
  removeExtractions,
  hostPath,
  seededRandom,
  walkFolder,
  walkTree,
  withoutRawNames,
  type ListedEntry,
} from '../support/erofs.js';
import { withoutMetadata } from '../support/treeNodes.js';

const images = fixtureImages().filter((image) => image.file !== 'blobdev.erofs');
let sourceTrees: string;

beforeAll(() => {
  // The source trees the images were made from, rebuilt (deterministically) by the fixture script.
  sourceTrees = mkdtempSync(join(tmpdir(), 'otalens-erofs-src-'));
  run('node', [BUILD_SCRIPT, '--trees', sourceTrees]);
});

afterAll(() => {
  rmSync(sourceTrees, { recursive: true, force: true });
  removeExtractions();
});

function sourceRoot(tree: string): string {
  return tree === 'special' || tree === 'dedupe' ? join(sourceTrees, tree) : join(sourceTrees, tree, 'system');
}

/** Entries a listing must at least have: the trees of build-erofs.mjs hold more than this. */
const MIN_ENTRIES = { full: 300, small: 300, special: 10, dedupe: 10 };

async function openFixture(file: string): Promise<{ tree: ErofsTree; source: FileByteSource }> {
  const source = await FileByteSource.open(join(FIXTURES, file), file);
  return { tree: await openErofs(source), source };
}

describe.each(images)('EROFS image $file', (image) => {
  const path = join(FIXTURES, image.file);
  let extracted: string;
  let oracle: Map<string, ListedEntry>;
  let tree: ErofsTree;
  let source: FileByteSource;

  beforeAll(async () => {
    extracted = fsckExtract(path);
    oracle = walkFolder(extracted);
    ({ tree, source } = await openFixture(image.file));
  });
  afterAll(async () => {
    await source.close();
  });

  it('is detected as EROFS', async () => {
    expect(await erofsFileSystem.detect(source)).toBe(true);
  });

  it('lists what fsck.erofs extracts and what the source tree holds, with the same file hashes', async () => {
    const listing = await walkTree(tree);
    expect(listing.size).toBeGreaterThan(MIN_ENTRIES[image.tree]);
    expect(Object.fromEntries(listing)).toEqual(Object.fromEntries(withoutRawNames(oracle)));
    expect(Object.fromEntries(listing)).toEqual(Object.fromEntries(withoutRawNames(walkFolder(sourceRoot(image.tree)))));
    expect(tree.problems).toEqual([]);
  });

  it('reads every file in full through openSource as fsck.erofs extracted it', async () => {
    for (const entry of oracle.values()) {
      if (entry.type !== 'file') continue;
      const file = await tree.openSource(entry.path);
      expect(file.size).toBe(entry.size);
      expect((await file.read(0, file.size)).equals(readFileSync(hostPath(extracted, entry))), entry.path).toBe(true);
      await file.close();
    }
  });

  it('reads random byte ranges, across extent and cluster boundaries, like the extracted files', async () => {
    const random = seededRandom(image.file.length * 7919);
    let reads = 0;
    for (const entry of oracle.values()) {
      if (entry.type !== 'file' || entry.size < 2048) continue;
      const expected = readFileSync(hostPath(extracted, entry));
      const file = await tree.openSource(entry.path);
      const boundaries = (await tree.extents(entry.path)).map((extent) => extent.start);
      const offsets = [0, entry.size - 1, ...boundaries.flatMap((start) => [start - 1, start, start + 1]), ...Array.from({ length: 12 }, () => Math.floor(random() * entry.size))];
      for (const offset of offsets.filter((value) => value >= 0 && value < entry.size)) {
        for (const wanted of [1, 5, 4095, 4097, 70_003]) {
          const length = Math.min(wanted, entry.size - offset);
          expect((await file.read(offset, length)).equals(expected.subarray(offset, offset + length)), `${entry.path} @${offset}+${length}`).toBe(true);
          reads += 1;
        }
      }
      await file.close();
    }
    if (image.tree !== 'special') expect(reads).toBeGreaterThan(100);
  });

  it('visits every file, whole and in ranges across extent boundaries, as fsck.erofs extracted it', async () => {
    // The image is visited in odd-sized pieces that are overwritten after each call, so pclusters
    // straddle pieces and a piece used after its call would show as corrupt bytes.
    const pieceTree = await openErofs(new PiecewiseSource(source, 4093));
    const random = seededRandom(image.file.length * 104_729);
    let visits = 0;
    for (const entry of oracle.values()) {
      if (entry.type !== 'file') continue;
      const expected = readFileSync(hostPath(extracted, entry));
      for (const files of [tree, pieceTree]) {
        const file = await files.openSource(entry.path);
        const boundaries = (await files.extents(entry.path)).map((extent) => extent.start);
        const ranges: [number, number][] = [[0, entry.size]];
        for (const start of [...boundaries.slice(1, 6), Math.floor(random() * entry.size)]) {
          for (const length of [1, 4097, 70_003]) ranges.push([Math.max(0, start - 3), length]);
        }
        for (const [offset, wanted] of ranges) {
          const length = Math.min(wanted, entry.size - offset);
          if (length < 0) continue;
          const pieces: Buffer[] = [];
          await visitBytes(file, offset, length, (piece) => void pieces.push(Buffer.from(piece)));
          expect(Buffer.concat(pieces).equals(expected.subarray(offset, offset + length)), `${entry.path} @${offset}+${length}`).toBe(true);
          visits += 1;
        }
        await file.close();
      }
    }
    expect(visits).toBeGreaterThan(10);
  });

  it('maps files to the extents dump.erofs reports', async () => {
    let checked = 0;
    for (const entry of oracle.values()) {
      if (entry.type !== 'file' || entry.size < 4096) continue;
      const { layout } = dumpInode(path, entry.path);
      const compressed = layout === 1 || layout === 3;
      const expected = compressed ? dumpExtents(path, entry.path) : mergeContiguous(dumpExtents(path, entry.path), entry.size);
      // dump.erofs shows an extent kept in the packed inode (fragments) with no physical range.
      const actual = (await tree.extents(entry.path)).map(({ kind, start, end, physical, physicalLength }) =>
        kind === 'fragment' ? { start, end, physical: 0, physicalLength: 0 } : { start, end, physical, physicalLength },
      );
      expect(actual, entry.path).toEqual(expected);
      checked += 1;
    }
    if (image.tree !== 'special') expect(checked).toBeGreaterThan(5);
  });

  it('stats paths like the listing and returns null for missing ones', async () => {
    expect(withoutMetadata(await tree.stat(''))).toEqual({ name: '', type: 'directory', size: 0 });
    expect(await tree.stat('no/such/file')).toBeNull();
    for (const entry of [...oracle.values()].slice(0, 40)) {
      const node = await tree.stat(entry.path);
      expect(node?.type).toBe(entry.type);
      expect(node?.size).toBe(entry.size);
      if (entry.type === 'symlink') expect(node?.target).toBe(entry.target);
    }
  });
});

/**
 * dump.erofs lists chunk-based files chunk by chunk, the last one as a whole chunk; the reader
 * joins physically contiguous runs and stops at the end of the file.
 */
function mergeContiguous(extents: { start: number; end: number; physical: number; physicalLength: number }[], size: number): typeof extents {
  const merged: typeof extents = [];
  for (const listed of extents) {
    const extent = { ...listed, end: Math.min(listed.end, size), physicalLength: Math.min(listed.end, size) - listed.start };
    const last = merged.at(-1);
    if (last !== undefined && last.end === extent.start && last.physical + last.physicalLength === extent.physical) {
      last.end = extent.end;
      last.physicalLength += extent.physicalLength;
    } else {
      merged.push({ ...extent });
    }
  }
  return merged;
}

describe('EROFS special files and names', () => {
  it('lists device nodes (with their numbers), FIFOs and sockets as fsck.erofs extracts them', async () => {
    const oracle = walkFolder(fsckExtract(join(FIXTURES, 'special.erofs')));
    const paths = ['dev/fifo', 'dev/loop0', 'dev/null', 'dev/sock'];
    expect(paths.map((path) => oracle.get(path)?.type)).toEqual(['fifo', 'block-device', 'char-device', 'socket']);
    const { tree } = await openFixture('special.erofs');
    const listed = (await tree.list('dev')) ?? [];
    expect(listed.map((node) => node.name)).toEqual(paths.map((path) => path.slice('dev/'.length)));
    for (const path of paths) {
      const { raw: _raw, path: _path, ...expected } = oracle.get(path) ?? { path };
      expect(withoutMetadata(listed.find((node) => `dev/${node.name}` === path) ?? null), path).toEqual({ name: path.slice('dev/'.length), ...expected });
    }
    expect(withoutMetadata(await tree.stat('dev/null'))).toEqual({ name: 'null', type: 'char-device', size: 0, device: { major: 1, minor: 3 } });
  });

  it('shows names that are not UTF-8 with \\xNN escapes', async () => {
    const { tree } = await openFixture('special.erofs');
    const names = (await tree.list('names'))?.map((node) => node.name);
    // The bytes written by build-erofs.mjs: 0xE9 (Latin-1 é) and 0xFF 0xFE 0x80 are not UTF-8.
    expect(names).toEqual(['bad-\\xff\\xfe\\x80.txt', 'latin1-caf\\xe9.txt', 'ok-ünï.txt']);
    const stream = await tree.openStream('names/bad-\\xff\\xfe\\x80.txt');
    expect(Buffer.concat(await stream.toArray()).toString()).toBe('not UTF-8\n');
  });

  it('skips inline and shared xattrs to reach the data after them', async () => {
    const image = join(FIXTURES, 'special.erofs');
    const { tree } = await openFixture('special.erofs');
    for (let i = 0; i < 5; i++) {
      // dump.erofs confirms the inode really carries xattrs, so the data is not right after it.
      expect(dumpInode(image, `attributes/x${i}.txt`).xattrSize).toBeGreaterThan(12);
      const stream = await tree.openStream(`attributes/x${i}.txt`);
      expect(Buffer.concat(await stream.toArray()).toString()).toBe(`file with xattrs ${i}\n`);
    }
  });
});

describe('EROFS reads by random access', () => {
  it('touches only a small part of a multi-MB image to read one small file', async () => {
    const file = await FileByteSource.open(join(FIXTURES, 'plain.erofs'), 'plain.erofs');
    const counting = new CountingSource(file);
    const tree = await openErofs(counting);
    const stream = await tree.openStream('build.prop');
    const content = Buffer.concat(await stream.toArray());
    expect(content.toString()).toContain('ro.build.fingerprint=');
    expect(counting.size).toBeGreaterThan(3_000_000);
    expect(counting.bytesRead).toBeLessThanOrEqual(6 * 4096);
    await file.close();
  });

  it('decodes only the pclusters a read needs in a compressed file', async () => {
    const file = await FileByteSource.open(join(FIXTURES, 'lz4hc.erofs'), 'lz4hc.erofs');
    const counting = new CountingSource(file);
    const tree = await openErofs(counting);
    const words = await tree.openSource('etc/words.txt');
    const before = counting.bytesRead;
    const slice = await words.read(100_000, 10);
    const extracted = readFileSync(join(fsckExtract(join(FIXTURES, 'lz4hc.erofs')), 'etc/words.txt'));
    expect(slice.equals(extracted.subarray(100_000, 100_010))).toBe(true);
    // One 4 KiB pcluster (this image has no big pclusters), nothing else.
    expect(counting.bytesRead - before).toBe(4096);
    await file.close();
  });

  it('streams a compressed file reading each pcluster once', async () => {
    const image = join(FIXTURES, 'lz4hc-big.erofs');
    const stored = dumpExtents(image, 'etc/words.txt').reduce((sum, extent) => sum + extent.physicalLength, 0);
    const file = await FileByteSource.open(image, 'lz4hc-big.erofs');
    const counting = new CountingSource(file);
    const tree = await openErofs(counting);
    await tree.stat('etc/words.txt');
    const before = counting.bytesRead;
    const content = Buffer.concat(await (await tree.openStream('etc/words.txt')).toArray());
    expect(content.equals(readFileSync(join(fsckExtract(image), 'etc/words.txt')))).toBe(true);
    // The pclusters, plus at most the inode's block of index (already cached by stat).
    expect(counting.bytesRead - before).toBeGreaterThanOrEqual(stored);
    expect(counting.bytesRead - before).toBeLessThanOrEqual(stored + 4096);
    await file.close();
  });
});
