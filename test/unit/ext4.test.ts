import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ext4FileSystem } from '../../electron/engine/fs/ext4/index.js';
import { BufferByteSource, FileByteSource, visitBytes, type ByteSource } from '../../electron/engine/io/byteSource.js';
import type { FileTree } from '../../electron/engine/vfs/fileTree.js';
import { InputError } from '../../electron/engine/errors.js';
import { SAMPLE_NEW } from '../support/oracles.js';
import { PiecewiseSource } from '../support/piecewiseSource.js';
import {
  type Entry,
  CountingSource,
  debugfsEntries,
  debugfsText,
  hashStream,
  IMAGES,
  readAll,
  sha256,
  tempDir,
  tool,
  unpackImages,
  walkFolder,
  walkTree,
  writeSourceTree,
} from '../support/ext4.js';
import { withoutMetadata } from '../support/treeNodes.js';

const temp = tempDir('ext4');
let images: ReturnType<typeof unpackImages>;
let source: string;
afterAll(() => rmSync(temp, { recursive: true, force: true }));
beforeAll(() => {
  images = unpackImages(join(temp, 'images'));
  source = writeSourceTree(join(temp, 'tree'));
});

/**
 * The source tree as each image should hold it. mke2fs 1.47.0 -d with inline_data ends a file's
 * i_size at its last data block, dropping a trailing hole (debugfs shows the shorter size): for
 * that image the expected content is the source file cut there, and the part cut must be zeros.
 */
function expectedFromSource(image: (typeof IMAGES)[number]): Entry[] {
  const entries = walkFolder(source);
  if (image !== 'ext4-inline.img') return entries;
  for (const path of ['lib/far-sparse.bin', 'lib/fragmented.bin', 'lib/sparse-hole.bin']) {
    const entry = entries.find((candidate) => candidate.path === path);
    const size = Number(/Size: (\d+)/.exec(debugfsText(images[image], `stat /${path}`))?.[1]);
    const bytes = readFileSync(join(source, path));
    expect(size, path).toBeLessThan(bytes.length);
    expect(bytes.subarray(size).every((byte) => byte === 0), `${path}: only zeros were dropped`).toBe(true);
    if (entry !== undefined) Object.assign(entry, { size, sha256: sha256(bytes.subarray(0, size)) });
  }
  return entries;
}

const opened: ByteSource[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((image) => image.close()));
});

async function openSourceFile(path: string): Promise<ByteSource> {
  const image = await FileByteSource.open(path, path.split('/').at(-1) ?? path);
  opened.push(image);
  return image;
}

async function openImage(path: string): Promise<FileTree> {
  return ext4FileSystem.open(await openSourceFile(path));
}

describe('ext4 reader on images built by mke2fs -d', () => {
  it('detects ext4 by the superblock magic, and nothing else', async () => {
    for (const name of IMAGES) {
      expect(await ext4FileSystem.detect(await openSourceFile(images[name])), name).toBe(true);
    }
    expect(await ext4FileSystem.detect(await openSourceFile(SAMPLE_NEW))).toBe(false);
    expect(await ext4FileSystem.detect(new BufferByteSource('zeros', Buffer.alloc(4096)))).toBe(false);
    expect(await ext4FileSystem.detect(new BufferByteSource('tiny', Buffer.alloc(100)))).toBe(false);
  });

  it.each(IMAGES)('%s: names, types, sizes, link targets and SHA-256 equal the source tree', async (name) => {
    const expected = expectedFromSource(name);
    const actual = await walkTree(await openImage(images[name]), ['lost+found']);
    expect(actual).toEqual(expected);
  });

  it.each(IMAGES)('%s: the listing and contents equal debugfs ls -p and rdump', async (name) => {
    const work = tempDir('ext4-debugfs');
    try {
      const expected = debugfsEntries(images[name], work, { inlineData: name === 'ext4-inline.img' });
      expect(expected.some((entry) => entry.path === 'lost+found')).toBe(true);
      expect(await walkTree(await openImage(images[name]))).toEqual(expected);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('the fixtures exercise what the reader claims to handle (debugfs evidence)', () => {
  it('ext4-4k: 64bit, a depth-1 extent tree, an unwritten extent over non-zero blocks', () => {
    expect(tool('dumpe2fs', ['-h', images['ext4-4k.img']]).toString()).toMatch(/features:.*\bextent\b.*\b64bit\b/);
    expect(debugfsText(images['ext4-4k.img'], 'ex /lib/fragmented.bin')).toMatch(/^\s*1\/\s*1\s/m);
    expect(debugfsText(images['ext4-4k.img'], 'ex /lib/prealloc.bin')).toContain('Uninit');
  });

  it('ext2-1k: block maps with double and triple indirect blocks, 128-byte inodes', () => {
    const features = tool('dumpe2fs', ['-h', images['ext2-1k.img']]).toString();
    expect(features).not.toMatch(/features:.*\bextent\b/);
    expect(features).toMatch(/Inode size:\s+128/);
    expect(debugfsText(images['ext2-1k.img'], 'stat /lib/zeros-and-data.bin')).toContain('(DIND)');
    expect(debugfsText(images['ext2-1k.img'], 'stat /lib/far-sparse.bin')).toContain('(TIND)');
  });

  it('ext4-inline: inline files (some with a system.data tail), inline directories, an inline slow symlink, 32-byte descriptors', () => {
    const image = images['ext4-inline.img'];
    expect(tool('dumpe2fs', ['-h', image]).toString()).toMatch(/features:.*\binline_data\b/);
    expect(tool('dumpe2fs', ['-h', image]).toString()).not.toMatch(/features:.*\b64bit\b/);
    expect(debugfsText(image, 'stat /a/b/c')).toContain('Size of inline data: 60');
    expect(debugfsText(image, 'stat /etc/inline-tail.txt')).toMatch(/system\.data \(40\)/);
    expect(debugfsText(image, 'stat /bin/long-link')).toMatch(/system\.data \(\d+\)/);
  });

  it('ext4-htree: many/ is a hashed directory', () => {
    const stat = debugfsText(images['ext4-htree.img'], 'stat /many');
    const flags = Number(/Flags: (0x[0-9a-f]+)/.exec(stat)?.[1]);
    expect(flags & 0x1000, 'EXT4_INDEX_FL').toBe(0x1000);
    expect(debugfsText(images['ext4-htree.img'], 'htree /many')).toContain('Root node dump');
  });

  it('ext4-shared: shared_blocks is set and two files map the same block', () => {
    const image = images['ext4-shared.img'];
    expect(tool('dumpe2fs', ['-h', image]).toString()).toMatch(/features:.*\bshared_blocks\b/);
    const physical = (path: string): string | undefined => /^\s*0\/\s*0\s+1\/\s*1\s+0 -\s+0\s+(\d+)/m.exec(debugfsText(image, `ex ${path}`))?.[1];
    expect(physical('/etc/hosts')).toBeDefined();
    expect(physical('/etc/hosts-copy')).toBe(physical('/etc/hosts'));
  });
});

describe('ext4 names, random access and streaming', () => {
  it('round-trips non-ASCII names and shows a non-UTF-8 name with \\xNN escapes', async () => {
    const tree = await openImage(images['ext4-4k.img']);
    const names = (await tree.list('media'))?.map((node) => node.name);
    expect(names).toEqual(['bad-name-\\xff.txt', 'ünïcödé-名前.txt']);
    expect((await readAll(await tree.openSource('media/ünïcödé-名前.txt'))).toString()).toBe('non-ASCII name\n');
    expect((await readAll(await tree.openSource('media/bad-name-\\xff.txt'))).toString()).toBe('a name that is not UTF-8\n');
    expect(withoutMetadata(await tree.stat('media/ünïcödé-名前.txt'))).toEqual({ name: 'ünïcödé-名前.txt', type: 'file', size: 15 });
    expect(await tree.stat('media/missing')).toBeNull();
    expect(await tree.list('build.prop')).toBeNull();
    expect(withoutMetadata(await tree.stat(''))).toEqual({ name: '', type: 'directory', size: 0 });
  });

  it('stat gives types, sizes and link targets (fast and slow symlinks)', async () => {
    for (const name of IMAGES) {
      const tree = await openImage(images[name]);
      expect(withoutMetadata(await tree.stat('bin/sh')), name).toEqual({ name: 'sh', type: 'symlink', size: 0, target: 'toolbox' });
      expect(withoutMetadata(await tree.stat('bin/long-link')), name).toEqual({ name: 'long-link', type: 'symlink', size: 0, target: `/system/lib/${'long-target-'.repeat(8)}.so` });
      expect(withoutMetadata(await tree.stat('a/b')), name).toEqual({ name: 'b', type: 'directory', size: 0 });
    }
  });

  it.each(IMAGES)('%s: openSource reads any range like the source file, across holes and extents', async (name) => {
    const tree = await openImage(images[name]);
    for (const path of ['lib/zeros-and-data.bin', 'lib/fragmented.bin', 'lib/sparse-hole.bin', 'bin/toolbox', 'etc/inline-tail.txt']) {
      const expected = readFileSync(join(source, path));
      const file = await tree.openSource(path);
      const size = Math.min(file.size, expected.length); // see expectedFromSource for ext4-inline
      const ranges: [number, number][] = [[0, 1], [0, Math.min(size, 5000)], [size - 1, 1], [Math.floor(size / 3), Math.floor(size / 3)], [4095, 2], [65535, 8193]];
      for (const [offset, length] of ranges) {
        if (offset + length > size) continue;
        expect((await file.read(offset, length)).equals(expected.subarray(offset, offset + length)), `${path} @${offset}+${length}`).toBe(true);
      }
      await expect(file.read(file.size - 1, 2)).rejects.toThrow(InputError);
    }
  });

  it.each(IMAGES)('%s: visits every file, whole and in ranges, like the source file (image visited in odd pieces)', async (name) => {
    // Pieces of the image are overwritten after each call: any use of one after it shows as corruption.
    const tree = await ext4FileSystem.open(new PiecewiseSource(await openSourceFile(images[name]), 4093));
    const visit = async (file: ByteSource, offset: number, length: number): Promise<Buffer> => {
      const pieces: Buffer[] = [];
      await visitBytes(file, offset, length, (piece) => void pieces.push(Buffer.from(piece)));
      return Buffer.concat(pieces);
    };
    for (const entry of expectedFromSource(name)) {
      if (entry.type !== 'file') continue;
      const file = await tree.openSource(entry.path);
      expect(sha256(await visit(file, 0, file.size)), entry.path).toBe(entry.sha256);
      // Ranges against the source file, for the names the host spells as the device does.
      if (entry.path.includes('\\')) continue;
      const expected = readFileSync(join(source, entry.path)).subarray(0, entry.size);
      for (const [offset, wanted] of [[Math.floor(file.size / 3), Math.floor(file.size / 3)], [4095, 70_001]] as const) {
        const length = Math.min(wanted, file.size - offset);
        if (length < 0) continue;
        expect((await visit(file, offset, length)).equals(expected.subarray(offset, offset + length)), `${entry.path} @${offset}+${length}`).toBe(true);
      }
    }
  });

  it('streams a large file in chunks', async () => {
    const tree = await openImage(images['ext2-1k.img']);
    const chunks: number[] = [];
    for await (const chunk of await tree.openStream('lib/far-sparse.bin')) chunks.push((chunk as Buffer).length);
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(1 << 20);
    expect(chunks.reduce((sum, length) => sum + length, 0)).toBe((72 << 20) + 4096 + 123);
    expect(await hashStream(tree, 'lib/far-sparse.bin')).toBe(sha256(readFileSync(join(source, 'lib/far-sparse.bin'))));
  });

  it('reads one small file from a multi-MB image by touching only a small part of it', async () => {
    const image = new CountingSource(await openSourceFile(images['ext4-4k.img']));
    const tree = await ext4FileSystem.open(image);
    const content = await readAll(await tree.openSource('etc/permissions/privapp-permissions-example.xml'));
    expect(content.equals(readFileSync(join(source, 'etc/permissions/privapp-permissions-example.xml')))).toBe(true);
    expect(image.size).toBeGreaterThan(8_000_000);
    expect(image.bytesRead).toBeLessThan(image.size * 0.01);

    // A 4 KiB slice in the middle of the 2.5 MiB file costs that slice (plus its inode), not the file.
    const before = image.bytesRead;
    const big = await tree.openSource('lib/zeros-and-data.bin');
    const slice = await big.read(big.size - 300_000, 4096);
    expect(slice.equals(readFileSync(join(source, 'lib/zeros-and-data.bin')).subarray(big.size - 300_000, big.size - 300_000 + 4096))).toBe(true);
    expect(image.bytesRead - before).toBeLessThanOrEqual(4096 + 2 * 4096);
  });

  it('coalesces contiguous blocks into one image read', async () => {
    const image = new CountingSource(await openSourceFile(images['ext4-4k.img']));
    const tree = await ext4FileSystem.open(image);
    const file = await tree.openSource('lib/zeros-and-data.bin');
    const reads = image.reads;
    // The last 512 KiB are one extent of 128 blocks: one read.
    await file.read(file.size - 512 * 1024, 512 * 1024);
    expect(image.reads - reads).toBe(1);
  });
});
