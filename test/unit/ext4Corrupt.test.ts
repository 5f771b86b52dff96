// Corrupt and truncated ext4 images: every failure is a typed InputError naming the image, the
// ext4 layer (`ext4 › inode N › extent K`) and the offset; nothing crashes or hangs. Where to
// corrupt comes from debugfs/dumpe2fs (imap, blocks, ex, ls -p), not from the reader.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../electron/engine/errors.js';
import { ext4FileSystem } from '../../electron/engine/fs/ext4/index.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import type { FileTree } from '../../electron/engine/vfs/fileTree.js';
import { type Entry, debugfsEntries, debugfsText, inodeLocation, readAll, sha256, tempDir, tool, unpackImages, unpackSpecialImages, walkFolder, writeSourceTree } from '../support/ext4.js';
import { expectInputError } from '../support/inputError.js';

const temp = tempDir('ext4-corrupt');
let images: ReturnType<typeof unpackImages>;
let sourceHashes: Map<string, string>;
afterAll(() => rmSync(temp, { recursive: true, force: true }));
beforeAll(() => {
  images = unpackImages(join(temp, 'images'));
  const source = writeSourceTree(join(temp, 'tree'));
  sourceHashes = hashes(walkFolder(source));
});

function hashes(entries: Entry[]): Map<string, string> {
  return new Map(entries.flatMap((entry) => (entry.sha256 === undefined ? [] : [[entry.path, entry.sha256]])));
}

/** File hashes of an intact image as debugfs dumps them. */
function debugfsHashes(name: keyof typeof images): Map<string, string> {
  const work = tempDir('ext4-rdump');
  try {
    return hashes(debugfsEntries(images[name], work, { inlineData: name === 'ext4-inline.img' }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function imageBytes(name: keyof typeof images): Buffer {
  return readFileSync(images[name]);
}

function open(bytes: Buffer, name = 'bad.img'): Promise<FileTree> {
  return ext4FileSystem.open(new BufferByteSource(name, bytes));
}

function blockSizeOf(image: string): number {
  return Number(/Block size:\s+(\d+)/.exec(tool('dumpe2fs', ['-h', image]).toString())?.[1]);
}

/** Physical start of each extent of a file, from `debugfs ex`. */
function extentStarts(image: string, path: string): { logical: number; physical: number; length: number }[] {
  return [...debugfsText(image, `ex ${path}`).matchAll(/^\s*\d+\/\s*(\d+)\s+\d+\/\s*\d+\s+(\d+)\s+-\s+\d+\s+(\d+)\s+-\s+\d+\s+(\d+)/gm)]
    .map((match) => ({ logical: Number(match[2]), physical: Number(match[3]), length: Number(match[4]) }));
}

/** Inode numbers by name in a directory, from `debugfs ls -p`. */
function inodesIn(image: string, dir: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const line of debugfsText(image, `ls -p ${dir}`).split('\n')) {
    const fields = line.split('/');
    if (fields.length >= 7) result.set(fields[5] ?? '', Number(fields[1]));
  }
  return result;
}

/**
 * Lists every directory and reads every file; each either succeeds (with the source's content)
 * or fails with an InputError. Anything else — another error, a walk deeper than the tree — fails.
 */
async function walkTolerantly(tree: FileTree, expected = sourceHashes): Promise<{ readable: string[]; failed: InputError[] }> {
  const readable: string[] = [];
  const failed: InputError[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    if (depth > 16) throw new Error(`walk went ${depth} levels deep at ${dir}: a loop was not caught`);
    let nodes;
    try {
      nodes = await tree.list(dir);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      failed.push(error);
      return;
    }
    for (const node of nodes ?? []) {
      const path = dir === '' ? node.name : `${dir}/${node.name}`;
      if (node.type === 'directory') await visit(path, depth + 1);
      if (node.type !== 'file') continue;
      try {
        const hash = sha256(await readAll(await tree.openSource(path)));
        expect(hash, path).toBe(expected.get(path));
        readable.push(path);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        failed.push(error);
      }
    }
  };
  await visit('', 0);
  return { readable, failed };
}

describe('ext4 superblock problems', () => {
  it('refuses a flipped magic without calling it ext4', async () => {
    const bytes = imageBytes('ext4-4k.img');
    bytes.writeUInt8(bytes.readUInt8(1024 + 0x38) ^ 0xff, 1024 + 0x38);
    expect(await ext4FileSystem.detect(new BufferByteSource('bad.img', bytes))).toBe(false);
    const error = await expectInputError(open(bytes));
    expect(error).toMatchObject({ file: 'bad.img', format: 'ext4 › superblock', offset: 1024 + 0x38, expected: 'magic 0xef53' });
    expect(error.message).toMatch(/not an ext2\/3\/4 file system/);
  });

  it('names unknown and unsupported incompatible features, and reads through unknown read-only ones', async () => {
    const unknown = imageBytes('ext4-4k.img');
    unknown.writeUInt32LE(unknown.readUInt32LE(1024 + 0x60) | 0x80000, 1024 + 0x60);
    const unknownError = await expectInputError(open(unknown));
    expect(unknownError).toMatchObject({ format: 'ext4 › superblock', offset: 1024 + 0x60 });
    expect(unknownError.problem).toMatch(/unknown 0x80000/);

    const compressed = imageBytes('ext2-1k.img');
    compressed.writeUInt32LE(compressed.readUInt32LE(1024 + 0x60) | 0x1, 1024 + 0x60);
    expect((await expectInputError(open(compressed))).problem).toMatch(/\bcompression\b/);

    const roUnknown = imageBytes('ext4-4k.img');
    roUnknown.writeUInt32LE((roUnknown.readUInt32LE(1024 + 0x64) | 0x80000000) >>> 0, 1024 + 0x64);
    const tree = await open(roUnknown);
    expect(sha256(await readAll(await tree.openSource('build.prop')))).toBe(sourceHashes.get('build.prop'));
  });

  it('refuses absurd superblock fields (block size, inode size)', async () => {
    const blockSize = imageBytes('ext4-4k.img');
    blockSize.writeUInt32LE(20, 1024 + 0x18);
    expect(await expectInputError(open(blockSize))).toMatchObject({ format: 'ext4 › superblock', offset: 1024 + 0x18 });
    const inodeSize = imageBytes('ext4-4k.img');
    inodeSize.writeUInt16LE(300, 1024 + 0x58);
    expect(await expectInputError(open(inodeSize))).toMatchObject({ format: 'ext4 › superblock', offset: 1024 + 0x58 });
  });
});

describe('truncated ext4 images', () => {
  it('fails to open with the layer that is missing when the metadata is cut', async () => {
    const bytes = imageBytes('ext4-4k.img');
    for (const cut of [0, 100, 1500, 2047]) {
      expect(await expectInputError(open(bytes.subarray(0, cut), 'cut.img')), `cut at ${cut}`).toMatchObject({ file: 'cut.img', format: 'ext4 › superblock' });
    }
    // The group descriptors live in block 1 (4096…8191).
    expect(await expectInputError(open(bytes.subarray(0, 6000), 'cut.img'))).toMatchObject({ format: 'ext4 › group descriptors', offset: 4096 });
    // The root inode (2) is the second inode of the first inode table.
    const table = Number(/Inode table at (\d+)/.exec(tool('dumpe2fs', [images['ext4-4k.img']]).toString())?.[1]);
    expect(await expectInputError(open(bytes.subarray(0, table * 4096 + 100), 'cut.img'))).toMatchObject({ format: 'ext4 › inode 2', offset: table * 4096 });
  });

  it('still lists and reads what lies before the cut, and names the extent past it', async () => {
    const image = images['ext4-4k.img'];
    const extents = extentStarts(image, '/lib/zeros-and-data.bin');
    const last = extents.at(-1);
    expect(last).toBeDefined();
    const cut = ((last?.physical ?? 0) + 2) * 4096;
    const tree = await open(imageBytes('ext4-4k.img').subarray(0, cut), 'cut.img');
    const { readable, failed } = await walkTolerantly(tree);
    expect(readable).toContain('build.prop');
    expect(readable).toContain('app/Tiny/Tiny.apk');
    const inode = inodesIn(image, '/lib').get('zeros-and-data.bin');
    const error = failed.find((candidate) => candidate.format.startsWith(`ext4 › inode ${inode} ›`));
    expect(error).toMatchObject({ file: 'cut.img', format: `ext4 › inode ${inode} › extent ${extents.length - 1}` });
    expect(error?.message).toMatch(/lib\/zeros-and-data\.bin: truncated image/);
    expect(error?.offset).toBeGreaterThanOrEqual((last?.physical ?? 0) * 4096);
  });

  it.each(['ext4-4k.img', 'ext2-1k.img', 'ext4-inline.img', 'ext4-htree.img'] as const)('%s cut at several points: every failure is an InputError', async (name) => {
    const bytes = imageBytes(name);
    const expected = debugfsHashes(name);
    let partial = 0;
    for (const fraction of [0.02, 0.05, 0.1, 0.2, 0.3, 0.45]) {
      const cut = Math.floor(bytes.length * fraction);
      let tree: FileTree;
      try {
        tree = await open(bytes.subarray(0, cut), 'cut.img');
      } catch (error) {
        expect(error, `cut at ${cut}`).toBeInstanceOf(InputError);
        continue;
      }
      const { failed, readable } = await walkTolerantly(tree, expected);
      for (const error of failed) expect(error.file).toBe('cut.img');
      if (failed.length > 0 && readable.length > 0) partial += 1;
    }
    expect(partial, 'some cuts leave part of the tree readable').toBeGreaterThan(0);
  });
});

describe('corrupt ext4 metadata', () => {
  it('reports a bad extent header magic with the inode and its offset', async () => {
    const image = images['ext4-4k.img'];
    const { inode, offset } = inodeLocation(image, '/bin/toolbox');
    const bytes = imageBytes('ext4-4k.img');
    bytes.writeUInt16LE(0x1234, offset + 0x28);
    const tree = await open(bytes);
    expect(await tree.stat('bin/toolbox')).toMatchObject({ type: 'file', size: 12_345 });
    const error = await expectInputError(tree.openSource('bin/toolbox').then((file) => file.read(0, 10)));
    expect(error).toMatchObject({ file: 'bad.img', format: `ext4 › inode ${inode} › extent tree`, offset: offset + 0x28, expected: 'magic 0xf30a' });
    expect(error.message).toContain('bin/toolbox');
  });

  it('reports an extent pointing past the end of the file system', async () => {
    const image = images['ext4-4k.img'];
    const { inode, offset } = inodeLocation(image, '/bin/toolbox');
    const bytes = imageBytes('ext4-4k.img');
    // First extent after the 12-byte header: ee_block, ee_len, ee_start_hi, ee_start_lo.
    bytes.writeUInt32LE(0x00f00000, offset + 0x28 + 12 + 8);
    const error = await expectInputError((await open(bytes)).openSource('bin/toolbox').then((file) => file.read(0, 10)));
    expect(error).toMatchObject({ format: `ext4 › inode ${inode} › extent 0`, offset: offset + 0x28 + 12 + 6 });
    expect(error.problem).toMatch(/^bin\/toolbox: extent points to blocks 15728640.* outside the file system/);
  });

  it('refuses an extent tree deeper than allowed or pointing back at itself', async () => {
    const image = images['ext4-4k.img'];
    const { inode, offset } = inodeLocation(image, '/lib/fragmented.bin');
    const deep = imageBytes('ext4-4k.img');
    deep.writeUInt16LE(40, offset + 0x28 + 6);
    expect(await expectInputError((await open(deep)).openSource('lib/fragmented.bin').then((file) => file.read(0, 1)))).toMatchObject({
      format: `ext4 › inode ${inode} › extent tree`,
      offset: offset + 0x28 + 6,
    });

    // The root's one index entry points at the leaf block; make that leaf an index pointing at itself.
    const leaf = Number(/^\s*0\/\s*1\s+1\/\s*1\s+\d+\s+-\s+\d+\s+(\d+)/m.exec(debugfsText(image, 'ex /lib/fragmented.bin'))?.[1]);
    expect(leaf).toBeGreaterThan(0);
    const cyclic = imageBytes('ext4-4k.img');
    cyclic.writeUInt16LE(1, leaf * 4096 + 6);
    cyclic.writeUInt32LE(leaf, leaf * 4096 + 12 + 4);
    const error = await expectInputError((await open(cyclic)).openSource('lib/fragmented.bin').then((file) => file.read(0, 1)));
    expect(error.format).toBe(`ext4 › inode ${inode} › extent tree`);
    expect(error.offset).toBe(leaf * 4096 + 6);
  });

  it('reports a block-map pointer outside the file system', async () => {
    const image = images['ext2-1k.img'];
    const { inode, offset } = inodeLocation(image, '/bin/toolbox');
    const direct = imageBytes('ext2-1k.img');
    direct.writeUInt32LE(0x7fffffff, offset + 0x28);
    expect(await expectInputError((await open(direct)).openSource('bin/toolbox').then((file) => file.read(0, 10)))).toMatchObject({
      format: `ext4 › inode ${inode} › block map`,
      offset: offset + 0x28,
    });
    const indirect = imageBytes('ext2-1k.img');
    indirect.writeUInt32LE(0x7fffffff, offset + 0x28 + 12 * 4);
    const file = await (await open(indirect)).openSource('bin/toolbox');
    expect((await file.read(0, 100)).length).toBe(100);
    expect(await expectInputError(file.read(12 * 1024, 10))).toMatchObject({ format: `ext4 › inode ${inode} › block map`, offset: offset + 0x28 + 48 });
  });

  it('refuses an absurd file size', async () => {
    const { inode, offset } = inodeLocation(images['ext4-4k.img'], '/bin/toolbox');
    const bytes = imageBytes('ext4-4k.img');
    bytes.writeUInt32LE(0x100000, offset + 0x6c); // i_size_high: 2^52 bytes
    const tree = await open(bytes);
    // The file is left out of its folder and reported; its siblings are listed as debugfs lists them.
    const listed = (await tree.list('bin'))?.map((node) => node.name);
    expect(listed).toEqual([...inodesIn(images['ext4-4k.img'], '/bin').keys()].filter((name) => !['.', '..', 'toolbox'].includes(name)).sort());
    expect(tree.problems).toEqual([{ path: 'bin/toolbox', message: expect.stringMatching(new RegExp(`^bad\\.img: ext4 › inode ${inode} at offset ${offset + 4}: bin/toolbox: .*absurd`)) }]);
    expect(await expectInputError(tree.stat('bin/toolbox'))).toMatchObject({ format: `ext4 › inode ${inode}`, offset: offset + 4 });
  });
});

describe('corrupt ext4 directories (an entry that cannot be read is left out of its folder and reported)', () => {
  /** Offset of the dirent named `name` (one byte long) in the directory's only block, per debugfs. */
  function direntOffset(image: string, bytes: Buffer, dir: string, name: string): number {
    const block = Number(debugfsText(image, `blocks ${dir}`).trim().split(/\s+/)[0]);
    const blockSize = blockSizeOf(image);
    const expectedInode = inodesIn(image, dir).get(name);
    const area = bytes.subarray(block * blockSize, (block + 1) * blockSize);
    // name_len 1, file_type 2 (directory), then the name.
    const at = area.indexOf(Buffer.from([name.length, 2, ...Buffer.from(name)]));
    expect(at).toBeGreaterThan(6);
    expect(area.readUInt32LE(at - 6), 'the dirent found is the one debugfs lists').toBe(expectedInode);
    return block * blockSize + at - 6;
  }

  it('detects a directory loop (a dirent pointing back to an ancestor) and the walk ends', async () => {
    const image = images['ext4-4k.img'];
    const bytes = imageBytes('ext4-4k.img');
    const at = direntOffset(image, bytes, '/a/b/c', 'd');
    const ancestor = inodesIn(image, '/').get('a') ?? 0;
    bytes.writeUInt32LE(ancestor, at);
    const tree = await open(bytes);
    // The looping entry is left out of a/b/c and reported; the folder's other entries are listed.
    expect((await tree.list('a/b/c'))?.map((node) => node.name)).toEqual([...inodesIn(image, '/a/b/c').keys()].filter((name) => !['.', '..', 'd'].includes(name)).sort());
    expect(tree.problems).toEqual([
      { path: 'a/b/c/d', message: expect.stringMatching(new RegExp(`ext4 › inode ${inodesIn(image, '/a/b').get('c')} › directory at offset \\d+: a/b/c/d: directory loop: entry points back to a \\(inode \\d+\\)`)) },
    ]);
    expect(await expectInputError(tree.stat('a/b/c/d/b/c/d'))).toBeInstanceOf(InputError);
    const walked = await open(bytes);
    const { failed, readable } = await walkTolerantly(walked);
    expect(failed).toEqual([]);
    expect(walked.problems?.map((problem) => problem.message)).toEqual([expect.stringMatching(/directory loop/)]);
    expect(readable).toContain('build.prop');
  });

  it('detects a directory linked from two places', async () => {
    const image = images['ext4-4k.img'];
    const bytes = imageBytes('ext4-4k.img');
    bytes.writeUInt32LE(inodesIn(image, '/').get('etc') ?? 0, direntOffset(image, bytes, '/a/b/c', 'd'));
    const tree = await open(bytes);
    expect(await tree.list('')).not.toBeNull();
    expect((await tree.list('a/b/c'))?.map((node) => node.name)).not.toContain('d');
    expect(tree.problems).toEqual([{ path: 'a/b/c/d', message: expect.stringMatching(/also linked at etc/) }]);
  });

  it('refuses a dirent naming an inode that does not exist', async () => {
    const image = images['ext4-4k.img'];
    const bytes = imageBytes('ext4-4k.img');
    bytes.writeUInt32LE(0x7fffffff, direntOffset(image, bytes, '/a/b/c', 'd'));
    const tree = await open(bytes);
    expect((await tree.list('a/b/c'))?.map((node) => node.name)).not.toContain('d');
    expect(tree.problems).toEqual([{ path: 'a/b/c/d', message: expect.stringMatching(/^bad\.img: ext4 › inode 2147483647: a\/b\/c\/d: inode number 2147483647 does not exist/) }]);
    expect(await expectInputError(tree.stat('a/b/c/d'))).toMatchObject({ format: 'ext4 › inode 2147483647' });
  });

  it('refuses a zero record length instead of looping', async () => {
    const image = images['ext4-4k.img'];
    const bytes = imageBytes('ext4-4k.img');
    const at = direntOffset(image, bytes, '/a/b/c', 'd');
    bytes.writeUInt16LE(0, at + 4);
    const error = await expectInputError((await open(bytes)).list('a/b/c'));
    expect(error).toMatchObject({ format: `ext4 › inode ${inodesIn(image, '/a/b').get('c')} › directory`, offset: at + 4 });
    expect(error.problem).toMatch(/^a\/b\/c: bad directory record length 0/);
  });
});

describe('ext4 entries debugfs makes unreadable (left out of their folder, reported by path, siblings listed)', () => {
  /** A copy of a special image changed by `debugfs -w` (which keeps the checksums right), opened. */
  async function changed(commands: string[]): Promise<{ tree: FileTree }> {
    const dir = tempDir('ext4-debugfs-changed');
    const image = unpackSpecialImages(dir)['ext4-special.img'];
    tool('debugfs', ['-w', '-f', '-', image], { input: `${commands.join('\n')}\n` });
    const tree = await open(readFileSync(image), 'changed.img');
    rmSync(dir, { recursive: true, force: true });
    return { tree };
  }

  const FILES = ['data.bin', 'empty', 'small-xattr.txt', 'sparse.bin', 'with-xattr.txt'];

  it('an inode whose mode is no file type', async () => {
    const { tree } = await changed(['sif /files/empty mode 0170644']);
    expect((await tree.list('files'))?.map((node) => node.name)).toEqual(FILES.filter((name) => name !== 'empty'));
    expect(tree.problems).toEqual([{ path: 'files/empty', message: expect.stringMatching(/ext4 › inode \d+ at offset \d+: files\/empty: unknown file type in mode 0o170644/) }]);
  });

  it('a name listed twice in one folder (debugfs ln makes a second entry)', async () => {
    const { tree } = await changed(['ln /files/data.bin /files']);
    expect((await tree.list('files'))?.map((node) => node.name)).toEqual(FILES);
    expect(tree.problems).toEqual([{ path: 'files/data.bin', message: expect.stringMatching(/^listed twice in its folder \(inodes (\d+) and \1\)/) }]);
  });

  it('a fast symlink whose size does not fit i_block (the kernel refuses it the same way)', async () => {
    const { tree } = await changed(['sif /links/fast-plain size 70']);
    expect((await tree.list('links'))?.map((node) => node.name)).toEqual(['fast-59', 'fast-xattr', 'slow-60', 'slow-xattr']);
    expect(tree.problems).toEqual([{ path: 'links/fast-plain', message: expect.stringMatching(/links\/fast-plain: invalid fast symlink length 70/) }]);
  });
});
