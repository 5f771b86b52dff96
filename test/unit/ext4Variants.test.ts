// ext4 layouts that are cheap to build but too big (or too slow to matter) to commit: built here
// with mke2fs -d from the same source tree, and compared with it. Also checks that rebuilding the
// committed fixtures gives the same content.
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ext4FileSystem } from '../../electron/engine/fs/ext4/index.js';
import { FileByteSource } from '../../electron/engine/io/byteSource.js';
import type { FileTree } from '../../electron/engine/vfs/fileTree.js';
import { BUILD_SCRIPT, debugfsText, IMAGES, inodeLocation, tempDir, tool, unpackImages, walkFolder, walkTree, writeSourceTree } from '../support/ext4.js';
import { allWithoutMetadata, withoutMetadata } from '../support/treeNodes.js';

const UUID = '0f0e0d0c-0b0a-4908-8706-050403020100';
const temp = tempDir('ext4-variants');
let source: string;
const opened: FileByteSource[] = [];
afterAll(async () => {
  await Promise.all(opened.map((image) => image.close()));
  rmSync(temp, { recursive: true, force: true });
});
beforeAll(() => {
  source = writeSourceTree(join(temp, 'tree'));
});

function mke2fs(image: string, size: string, args: string[], tree: string): void {
  tool('mke2fs', ['-q', '-F', '-U', UUID, '-E', `hash_seed=${UUID}`, ...args, '-d', tree, image, size], { allowExit: [0] });
}

async function openImage(path: string): Promise<FileTree> {
  const image = await FileByteSource.open(path, path.split('/').at(-1) ?? path);
  opened.push(image);
  return ext4FileSystem.open(image);
}

describe('ext4 layouts built at test time', () => {
  /** label, image size, mke2fs arguments, what dumpe2fs must show for the variant to mean anything */
  const variants: [string, string, string[], RegExp[]][] = [
    ['64 KiB blocks', '64M', ['-t', 'ext4', '-b', '65536', '-N', '512', '-O', '^has_journal'], [/Block size:\s+65536/]],
    ['ext2 without the filetype feature (16-bit name lengths)', '8M', ['-t', 'ext2', '-b', '4096', '-N', '512', '-O', '^filetype'], [/features:(?!.*\bfiletype\b)/]],
    ['ext3 with a journal, 2 KiB blocks', '16M', ['-t', 'ext3', '-b', '2048', '-N', '512'], [/features:.*\bhas_journal\b(?!.*\bextent\b)/, /Block size:\s+2048/]],
    [
      'meta_bg with 25 groups and 64-byte descriptors',
      '200M',
      ['-t', 'ext4', '-b', '1024', '-I', '128', '-N', '400', '-O', 'meta_bg,^resize_inode,^has_journal'],
      // Group 16's descriptors are in its own first block, not after the superblock.
      [/features:.*\bmeta_bg\b/, /^Group 16: [\s\S]*?Group descriptor at 131073/m, /Inodes per group:\s+16\b/],
    ],
  ];

  it.each(variants)('%s: equals the source tree', async (label, size, args, evidence) => {
    const image = join(temp, `${label.replace(/\W+/g, '-')}.img`);
    mke2fs(image, size, args, source);
    const dump = tool('dumpe2fs', [image]).toString();
    for (const pattern of evidence) expect(dump).toMatch(pattern);
    if (args.includes('meta_bg')) {
      // Files in groups 16+ are found through the second descriptor block (inode - 1) / 16 >= 16.
      const highest = Math.max(...debugfsText(image, 'ls -p /many').split('\n').map((line) => Number(line.split('/')[1] ?? 0) || 0));
      expect(Math.floor((highest - 1) / 16)).toBeGreaterThanOrEqual(16);
    }
    const expected = walkFolder(source);
    expect(await walkTree(await openImage(image), ['lost+found'])).toEqual(expected);
    rmSync(image);
  });

  it('64 KiB blocks: a directory block emptied by deletions (one 65536-byte record, stored as 0)', async () => {
    const tree = join(temp, 'emptied');
    mkdirSync(join(tree, 'big'), { recursive: true });
    const name = (i: number): string => `file-with-a-longer-name-${String(i).padStart(4, '0')}.txt`;
    for (let i = 0; i < 2000; i++) writeFileSync(join(tree, 'big', name(i)), '');
    const image = join(temp, 'emptied.img');
    mke2fs(image, '32M', ['-t', 'ext4', '-b', '65536', '-N', '2100', '-O', '^has_journal,^metadata_csum'], tree);
    const commands = join(temp, 'rm.txt');
    writeFileSync(commands, Array.from({ length: 500 }, (_, i) => `rm /big/${name(1500 + i)}\n`).join(''));
    tool('debugfs', ['-w', '-f', commands, image]);

    const blocks = debugfsText(image, 'blocks /big').trim().split(/\s+/).map(Number);
    expect(blocks).toHaveLength(2);
    const secondBlock = readFileSync(image).subarray((blocks[1] ?? 0) * 65536, (blocks[1] ?? 0) * 65536 + 8);
    expect(secondBlock.readUInt32LE(0), 'the emptied block holds one unused record').toBe(0);
    expect(secondBlock.readUInt16LE(4), 'whose length 65536 is stored as 0').toBe(0);

    const expected = debugfsText(image, 'ls -p /big').split('\n').flatMap((line) => {
      const fields = line.split('/');
      // debugfs also prints the unused first record of the emptied block, with inode 0.
      return fields.length >= 7 && fields[1] !== '0' && fields[5] !== '.' && fields[5] !== '..' ? [fields[5]] : [];
    });
    expect(expected).toHaveLength(1500);
    const listed = await (await openImage(image)).list('big');
    expect(listed?.map((node) => node.name)).toEqual([...expected].sort());
    rmSync(tree, { recursive: true });
  });

  it.each([
    ['ext4 (extents, i_size_high)', ['-t', 'ext4', '-b', '4096', '-O', '^has_journal']],
    ['ext2 with 4 KiB blocks (triple indirect past 4 GiB)', ['-t', 'ext2', '-b', '4096']],
  ])('a 5 GiB sparse file: %s', async (_label, args) => {
    const tree = join(temp, 'huge');
    mkdirSync(join(tree, 'data'), { recursive: true });
    const path = join(tree, 'data', 'huge.bin');
    const size = 5 * 2 ** 30 + 4096 + 77;
    const head = Buffer.from('head of a huge sparse file\n');
    const tail = Buffer.alloc(4096 + 77, 'tail!');
    const fd = openSync(path, 'w');
    writeSync(fd, head, 0, head.length, 0);
    writeSync(fd, tail, 0, tail.length, size - tail.length);
    ftruncateSync(fd, size);
    closeSync(fd);

    const image = join(temp, 'huge.img');
    mke2fs(image, '16M', args, tree);
    const stat = debugfsText(image, 'stat /data/huge.bin');
    expect(stat).toContain(`Size: ${size}`);
    if (args.includes('ext2')) expect(stat).toContain('(TIND)');

    const ext4 = await openImage(image);
    expect(withoutMetadata(await ext4.stat('data/huge.bin'))).toEqual({ name: 'huge.bin', type: 'file', size });
    const file = await ext4.openSource('data/huge.bin');
    const expectedTail = Buffer.alloc(8192);
    const sourceFd = openSync(path, 'r');
    readSync(sourceFd, expectedTail, 0, 8192, size - 8192);
    closeSync(sourceFd);
    expect((await file.read(size - 8192, 8192)).equals(expectedTail)).toBe(true);
    expect((await file.read(0, head.length)).equals(head)).toBe(true);
    expect((await file.read(3 * 2 ** 30, 1 << 20)).equals(Buffer.alloc(1 << 20))).toBe(true);
    rmSync(image);
    rmSync(tree, { recursive: true });
  });
});

describe('ext4 inline directories continued in system.data', () => {
  it('lists the entries stored in the attribute value, as debugfs does', async () => {
    // libext2fs never writes such directories (the kernel does when an inline directory grows),
    // so one is made by hand: the empty system.data value of a/b/c becomes one 12-byte dirent
    // `x` → build.prop's inode; debugfs -n (checksums off) is the oracle.
    const images = unpackImages(join(temp, 'inline-tail'));
    const image = images['ext4-inline.img'];
    const { offset } = inodeLocation(image, '/a/b/c');
    const buildProp = Number(/^\/(\d+)\/[0-7]+\/\d+\/\d+\/build\.prop\//m.exec(debugfsText(image, 'ls -p /'))?.[1]);
    const bytes = readFileSync(image);
    const entries = offset + 0x80 + bytes.readUInt16LE(offset + 0x80) + 4; // after i_extra_isize and the xattr magic
    expect(bytes.readUInt32LE(entries - 4)).toBe(0xea020000);
    expect(bytes.subarray(entries + 16, entries + 20).toString()).toBe('data');
    const valueOffset = bytes.readUInt16LE(entries + 2) - 12;
    bytes.writeUInt16LE(valueOffset, entries + 2);
    bytes.writeUInt32LE(12, entries + 8);
    bytes.writeUInt32LE(buildProp, entries + valueOffset);
    bytes.writeUInt16LE(12, entries + valueOffset + 4);
    bytes.writeUInt8(1, entries + valueOffset + 6);
    bytes.writeUInt8(1, entries + valueOffset + 7);
    bytes.write('x\0\0\0', entries + valueOffset + 8, 'latin1');
    bytes.writeUInt32LE(72, offset + 4);
    writeFileSync(image, bytes);

    const listed = tool('debugfs', ['-n', '-R', 'ls -p /a/b/c', image]).toString();
    expect(listed).toContain(`/${buildProp}/100644/0/0/x/366/`);
    const tree = await openImage(image);
    expect(allWithoutMetadata(await tree.list('a/b/c'))).toEqual([
      { name: 'd', type: 'directory', size: 0 },
      { name: 'x', type: 'file', size: 366 },
    ]);
  });
});

describe('ext4 fixture reproducibility', () => {
  it('rebuilding the fixtures gives the same listing and file hashes', async () => {
    // The same build steps as the committed archive, without the (slow) xz packing.
    const rebuilt = join(temp, 'rebuilt');
    tool('node', [BUILD_SCRIPT, '--images', rebuilt]);
    const committed = unpackImages(join(temp, 'committed-images'));
    for (const name of IMAGES) {
      expect(await walkTree(await openImage(join(rebuilt, name))), name).toEqual(await walkTree(await openImage(committed[name])));
    }
  });
});
