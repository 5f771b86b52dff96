// ext4 images holding what firmware trees rarely do but may: device nodes (old and new number
// encodings), a FIFO, a socket, fast and slow symlinks next to xattr blocks, names that are not
// UTF-8 or hold a backslash, control or bidi characters, on plain, bigalloc, ea_inode and
// inline_data file systems (scripts/fixtures/build-ext4.mjs --special). Oracles: debugfs (ls -p,
// stat, rdump), dumpe2fs, coreutils stat and the source tree; Python for the name escaping.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPECIAL_NAMES } from '../../scripts/fixtures/build-ext4.mjs';
import { ext4FileSystem } from '../../electron/engine/fs/ext4/index.js';
import { closePackage, openPackage } from '../../electron/engine/formats/registry.js';
import { FileByteSource } from '../../electron/engine/io/byteSource.js';
import type { FileTree } from '../../electron/engine/vfs/fileTree.js';
import {
  BUILD_SCRIPT,
  debugfsEntries,
  debugfsText,
  inodeLocation,
  sha256,
  SPECIAL_IMAGES,
  tempDir,
  tool,
  unpackSpecialImages,
  walkFolder,
  walkTree,
  writeSpecialTree,
} from '../support/ext4.js';
import { pythonEscape } from '../support/rawNameOracle.js';

const temp = tempDir('ext4-special');
let images: ReturnType<typeof unpackSpecialImages>;
let source: string;
const opened: FileByteSource[] = [];
beforeAll(() => {
  images = unpackSpecialImages(join(temp, 'images'));
  source = writeSpecialTree(join(temp, 'tree'));
});
afterAll(async () => {
  await Promise.all(opened.map((image) => image.close()));
  rmSync(temp, { recursive: true, force: true });
});

async function openImage(name: (typeof SPECIAL_IMAGES)[number]): Promise<FileTree> {
  const image = await FileByteSource.open(images[name], name);
  opened.push(image);
  return ext4FileSystem.open(image);
}

/** `debugfs stat` fields of one path. */
function stat(image: string, path: string): { blockcount: number; fileAcl: number; flags: number; fastLink: string | null } {
  const text = debugfsText(image, `stat "${path}"`);
  const field = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? NaN);
  return {
    blockcount: field(/Blockcount: (\d+)/),
    fileAcl: field(/File ACL: (\d+)/),
    flags: parseInt(/Flags: 0x([0-9a-f]+)/.exec(text)?.[1] ?? 'NaN', 16),
    fastLink: /Fast link dest: "(.*)"/.exec(text)?.[1] ?? null,
  };
}

function dumpe2fs(image: string): string {
  return tool('dumpe2fs', ['-h', image]).toString('utf8');
}

describe.each(SPECIAL_IMAGES)('%s', (name) => {
  it('lists what debugfs lists: types, device numbers, link targets and file contents', async () => {
    const work = tempDir('ext4-special-debugfs');
    try {
      const expected = debugfsEntries(images[name], work, { inlineData: name === 'ext4-special-inline.img' }).filter((entry) => !entry.path.startsWith('lost+found'));
      expect(expected.filter((entry) => entry.device !== undefined)).toHaveLength(3);
      const tree = await openImage(name);
      expect(await walkTree(tree, ['lost+found'])).toEqual(expected);
      expect(tree.problems).toEqual([]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('lists what the source tree holds (lstat, readlink, coreutils stat for device numbers)', async () => {
    // mke2fs 1.47.0 with inline_data ends sparse.bin at its last data block (debugfs agrees, above).
    const skip = name === 'ext4-special-inline.img' ? ['lost+found', 'files/sparse.bin'] : ['lost+found'];
    const tree = await openImage(name);
    expect(await walkTree(tree, skip)).toEqual(walkFolder(source, skip));
  });
});

describe('what the special images exercise (debugfs and dumpe2fs evidence)', () => {
  it('ext4-bigalloc: 16 KiB clusters, so a fast symlink with an xattr block has 32 sectors in i_blocks', () => {
    const image = images['ext4-bigalloc.img'];
    expect(dumpe2fs(image)).toMatch(/features:.*\bbigalloc\b/);
    expect(dumpe2fs(image)).toMatch(/Cluster size:\s+16384/);
    const fast = stat(image, '/links/fast-xattr');
    expect(fast.fileAcl).toBeGreaterThan(0);
    expect(fast.blockcount).toBe(32);
    expect(fast.fastLink).toBe('/system/bin/toybox');
  });

  it('ext4-ea-inode: a 4 KiB value lives in an EA inode, whose blocks are charged to a fast symlink', () => {
    const image = images['ext4-ea-inode.img'];
    expect(dumpe2fs(image)).toMatch(/features:.*\bea_inode\b/);
    const fast = stat(image, '/links/fast-xattr');
    expect(fast.fastLink).toBe('/system/bin/toybox');
    // More than its one xattr block: i_blocks alone would call it slow.
    expect(fast.blockcount).toBeGreaterThan(4096 / 512);
    // The xattr entry for trusted.large (in the inode body, where debugfs imap says the inode is)
    // names an inode (e_value_inum) that debugfs shows flagged EA_INODE.
    const { offset } = inodeLocation(image, '/links/fast-xattr');
    const inode = readFileSync(image).subarray(offset, offset + 256);
    const nameAt = inode.indexOf(Buffer.from('large'));
    expect(nameAt).toBeGreaterThan(128);
    const entryAt = nameAt - 16;
    expect(inode.readUInt8(entryAt)).toBe('large'.length);
    const valueInode = inode.readUInt32LE(entryAt + 4);
    expect(valueInode).toBeGreaterThan(0);
    expect(stat(image, `<${valueInode}>`).flags & 0x200000).toBe(0x200000);
  });

  it('ext4-special-inline: symlinks of 60 bytes and more are inline data next to an xattr block', () => {
    const image = images['ext4-special-inline.img'];
    for (const path of ['/links/slow-60', '/links/slow-xattr']) {
      const link = stat(image, path);
      expect(link.flags & 0x10000000, path).toBe(0x10000000);
      expect(link.fileAcl, path).toBeGreaterThan(0);
    }
  });

  it('ext4-special: device numbers in both encodings (debugfs says which)', () => {
    const image = images['ext4-special.img'];
    expect(debugfsText(image, 'stat /dev/null')).toMatch(/^Device major\/minor number: 01:03/m);
    expect(debugfsText(image, 'stat /dev/big')).toMatch(/^\(New-style\) Device major\/minor number: 300:70000/m);
  });
});

describe('names in the special images', () => {
  it('shows each raw name by the documented escaping (Python), all different, and opens each by that name', async () => {
    const expected = pythonEscape(SPECIAL_NAMES, true);
    expect(new Set(expected).size).toBe(SPECIAL_NAMES.length);
    expect(expected).toEqual(expect.arrayContaining(['bad-\\xff.txt', 'bad-\\\\xff.txt', 'back\\\\slash', 'trailing\\x21']));
    for (const name of SPECIAL_IMAGES) {
      const tree = await openImage(name);
      expect((await tree.list('names'))?.map((node) => node.name), name).toEqual([...expected].sort());
      for (const [index, shown] of expected.entries()) {
        // Each file holds "name <hex of its raw name>": the escaped name led to the right file.
        const content = Buffer.concat(await (await tree.openStream(`names/${shown}`)).toArray()).toString('utf8');
        expect(content, `${name}: ${shown}`).toBe(`name ${SPECIAL_NAMES[index]?.toString('hex')}\n`);
      }
    }
  });
});

describe('the special tree as an unpacked folder', () => {
  it('lists devices, FIFOs, sockets and raw names like the images, and reads files by escaped names', async () => {
    const handle = await openPackage(source);
    try {
      const tree = handle.opened.tree;
      const listed = [];
      for await (const entry of tree.walk('/system')) listed.push(entry);
      const expected = walkFolder(source);
      expect(listed.map((entry) => entry.path.slice('/system/'.length)).sort()).toEqual(expected.map((entry) => entry.path).sort());
      for (const entry of expected) {
        const found = listed.find((item) => item.path === `/system/${entry.path}`);
        expect({ type: found?.type, device: found?.device, target: found?.target }, entry.path).toEqual({ type: entry.type, device: entry.device, target: entry.target });
        if (entry.type === 'file') expect(sha256(Buffer.concat(await (await tree.openStream(`/system/${entry.path}`)).toArray())), entry.path).toBe(entry.sha256);
      }
      expect(tree.treeProblems).toEqual([]);
    } finally {
      await closePackage(handle);
    }
  });
});

describe('ext4 special fixture reproducibility', () => {
  it('rebuilding the special images gives the committed bytes', () => {
    const rebuilt = join(temp, 'rebuilt');
    tool('node', [BUILD_SCRIPT, '--special-images', rebuilt]);
    for (const name of SPECIAL_IMAGES) expect(sha256(readFileSync(join(rebuilt, name))), name).toBe(sha256(readFileSync(images[name])));
  });
});
