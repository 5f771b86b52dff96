// Mode, owner, SELinux label and file capabilities of every entry, from ext4 (in-inode xattrs, xattr
// blocks, an EA inode) and EROFS (inline and shared xattrs, long name prefixes in the packed inode
// and at a plain offset), on images scripts/fixtures/build-metadata.mjs made from a tree set up
// with chown, chmod, setfattr and setcap. Oracles: debugfs stat/ea_list (ext4); fsck.erofs 1.9.4
// --extract --xattrs, then stat, getfattr and getcap (EROFS); getcap and getfattr on the source tree.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGES } from '../../scripts/fixtures/build-metadata.mjs';
import type { FileCapabilities, FileMetadata } from '../../shared/model.js';
import { erofsFileSystem } from '../../electron/engine/fs/erofs/index.js';
import { ext4FileSystem } from '../../electron/engine/fs/ext4/index.js';
import { FileByteSource } from '../../electron/engine/io/byteSource.js';
import type { FileTree, TreeNode } from '../../electron/engine/vfs/fileTree.js';
import { erofsUtils19 } from '../support/erofs.js';
import { tempDir, tool } from '../support/ext4.js';
import { REPO_ROOT } from '../support/oracles.js';

const ARCHIVE = `${REPO_ROOT}test/fixtures/metadata/metadata-images.tar.xz`;
const BUILD_SCRIPT = `${REPO_ROOT}scripts/fixtures/build-metadata.mjs`;
const temp = tempDir('metadata');
const opened: FileByteSource[] = [];
let sourceTree: string;

beforeAll(() => {
  tool('tar', ['-xJf', ARCHIVE, '-C', temp]);
  sourceTree = join(temp, 'tree');
  tool('node', [BUILD_SCRIPT, '--tree', sourceTree]);
});
afterAll(async () => {
  await Promise.all(opened.map((image) => image.close()));
  rmSync(temp, { recursive: true, force: true });
});

async function openImage(name: string): Promise<FileTree> {
  const image = await FileByteSource.open(join(temp, name), name);
  opened.push(image);
  return (name.endsWith('.erofs') ? erofsFileSystem : ext4FileSystem).open(image);
}

async function walk(tree: FileTree, dir = ''): Promise<Map<string, TreeNode>> {
  const found = new Map<string, TreeNode>();
  for (const node of (await tree.list(dir)) ?? []) {
    const path = dir === '' ? node.name : `${dir}/${node.name}`;
    found.set(path, node);
    if (node.type === 'directory') for (const [childPath, child] of await walk(tree, path)) found.set(childPath, child);
  }
  return found;
}

/** getcap's text as (capability → flags) pairs: `cap_a,cap_b=eip cap_c+i [rootid=1000]`. */
function parseGetcap(text: string): { flags: Map<string, string>; rootUid: number | null } {
  const flags = new Map<string, string>();
  const rootUid = /\[rootid=(\d+)\]/.exec(text)?.[1];
  for (const clause of text.replace(/\[rootid=\d+\]/, '').trim().split(/\s+/).filter((part) => part !== '')) {
    const match = /^([a-z_0-9,]+)[=+]([eip]+)$/.exec(clause);
    if (match === null) throw new Error(`getcap clause not understood: ${clause}`);
    for (const name of (match[1] ?? '').split(',')) flags.set(`CAP_${name.slice('cap_'.length).toUpperCase()}`, [...(match[2] ?? '')].sort().join(''));
  }
  return { flags, rootUid: rootUid === undefined ? null : Number(rootUid) };
}

/** The same pairs from the reader's model; libcap raises e on every permitted or inheritable capability when the effective flag is set. */
function flagsOf(capabilities: FileCapabilities): { flags: Map<string, string>; rootUid: number | null } {
  const flags = new Map<string, string>();
  for (const name of new Set([...capabilities.permitted, ...capabilities.inheritable])) {
    const letters = [capabilities.effective ? 'e' : '', capabilities.inheritable.includes(name) ? 'i' : '', capabilities.permitted.includes(name) ? 'p' : ''];
    flags.set(name, letters.join(''));
  }
  return { flags, rootUid: capabilities.rootUid ?? null };
}

function getcapOf(path: string): string | null {
  const line = tool('getcap', ['-n', path]).toString().trim();
  return line === '' ? null : line.slice(path.length).trim();
}

/** `debugfs ea_list` values: quoted text or hex bytes. */
function debugfsXattrs(image: string, path: string): Map<string, Buffer> {
  const text = tool('debugfs', ['-R', `ea_list "/${path}"`, image]).toString();
  const values = new Map<string, Buffer>();
  for (const line of text.split('\n')) {
    const match = /^\s+(\S+) \((\d+)\)(?: = (.*))?$/.exec(line);
    if (match === null) continue;
    const [, name = '', size = '0', shown] = match;
    if (shown === undefined) {
      // Values too long to print: read them whole.
      values.set(name, readValue(image, path, name, Number(size)));
    } else if (shown.startsWith('"')) values.set(name, Buffer.from(JSON.parse(shown) as string, 'latin1'));
    else values.set(name, Buffer.from(shown.trim().split(' ').map((byte) => parseInt(byte, 16))));
  }
  return values;
}

function readValue(image: string, path: string, name: string, size: number): Buffer {
  const out = join(temp, 'value.bin');
  tool('debugfs', ['-R', `ea_get -f ${out} "/${path}" ${name}`, image]);
  const value = readFileSync(out);
  expect(value.length).toBe(size);
  return value;
}

function debugfsStat(image: string, path: string): { mode: number; uid: number; gid: number } {
  const text = tool('debugfs', ['-R', `stat "/${path}"`, image]).toString();
  return {
    mode: parseInt(/Mode:\s+(\d+)/.exec(text)?.[1] ?? 'NaN', 8),
    uid: Number(/User:\s+(\d+)/.exec(text)?.[1]),
    gid: Number(/Group:\s+(\d+)/.exec(text)?.[1]),
  };
}

function labelOf(value: Buffer | undefined): string | null {
  return value === undefined ? null : value.toString('utf8').replace(/\0+$/, '');
}

describe('the metadata fixture tree', () => {
  it('holds what the script set (getcap, getfattr, stat on the tree itself)', () => {
    expect(parseGetcap(getcapOf(join(sourceTree, 'bin/ns-helper')) ?? '')).toEqual({ flags: new Map([['CAP_SYS_ADMIN', 'ep']]), rootUid: 1000 });
    expect(tool('stat', ['-c', '%a %u %g', join(sourceTree, 'bin/su')]).toString().trim()).toBe('6755 0 0');
    expect(tool('getfattr', ['-h', '--only-values', '-n', 'security.selinux', join(sourceTree, 'bin/sh')]).toString()).toBe('u:object_r:system_bin_file:s0');
  });
});

describe('the metadata fixture images', () => {
  it('keep xattrs both in the inode and in xattr blocks (ext4-256.img, as debugfs stat shows)', () => {
    const image = join(temp, 'ext4-256.img');
    const where = (path: string): { block: number; xattrs: boolean } => {
      const stat = tool('debugfs', ['-R', `stat "/${path}"`, image]).toString();
      return { block: Number(/File ACL: (\d+)/.exec(stat)?.[1]), xattrs: /Extended attributes:\n\s+security\.selinux/.test(stat) };
    };
    expect(where('bin/su')).toEqual({ block: 0, xattrs: true });
    expect(where('bin/netd').block).toBeGreaterThan(0);
  });

  it.each(['erofs-15.erofs', 'erofs-19.erofs'])('%s keeps inline xattrs and shared ones (in the inode dump.erofs locates)', (name) => {
    const image = join(temp, name);
    const bytes = readFileSync(image);
    const xattrArea = (path: string): { inline: number; shared: number } => {
      const nid = Number(/NID: (\d+)/.exec(tool(erofsUtils19().dump, [`--path=/${path}`, image]).toString())?.[1]);
      // erofs_fs.h: meta_blkaddr at superblock byte 40, inodes in 32-byte slots; i_format bit 0 = extended (64-byte) inode,
      // i_xattr_icount at +2 (the area is a 12-byte header, then 4-byte units: shared ids, then entries);
      // the header's h_shared_count at +4 after the inode.
      const inode = bytes.readUInt32LE(1024 + 40) * 4096 + nid * 32;
      const icount = bytes.readUInt16LE(inode + 2);
      if (icount === 0) return { inline: 0, shared: 0 };
      const shared = bytes.readUInt8(inode + ((bytes.readUInt16LE(inode) & 1) === 0 ? 32 : 64) + 4);
      return { inline: (icount - 1 - shared) * 4, shared };
    };
    expect(xattrArea('etc/hosts').shared).toBeGreaterThan(0);
    expect(xattrArea('bin/netd').inline).toBeGreaterThan(0);
  });
});

describe.each(IMAGES.filter((name) => name.endsWith('.img')))('ext4 %s', (name) => {
  it('gives every entry the mode, owner, label and capabilities debugfs reads', async () => {
    const image = join(temp, name);
    const tree = await openImage(name);
    const entries = await walk(tree);
    expect([...entries.keys()].filter((path) => !path.startsWith('lost+found'))).toHaveLength(20);
    for (const [path, node] of entries) {
      const stat = debugfsStat(image, path);
      const xattrs = debugfsXattrs(image, path);
      const metadata = node.metadata as FileMetadata;
      expect({ mode: metadata.mode, uid: metadata.uid, gid: metadata.gid, label: metadata.selinuxLabel }, path).toEqual({ ...stat, label: labelOf(xattrs.get('security.selinux')) });
      const raw = xattrs.get('security.capability');
      expect(metadata.capabilities === null, path).toBe(raw === undefined);
      if (metadata.capabilities !== null) {
        // The image holds the tree's bytes, and libcap reads them from the tree as the reader does from the image.
        expect(raw?.toString('hex'), path).toBe(tool('getfattr', ['-h', '-e', 'hex', '--only-values', '-n', 'security.capability', join(sourceTree, path)]).toString('hex'));
        expect(flagsOf(metadata.capabilities), path).toEqual(parseGetcap(getcapOf(join(sourceTree, path)) ?? ''));
      }
    }
    expect(tree.problems).toEqual([]);
  });
});

describe('ext4 values in an EA inode', () => {
  it('reads a label longer than an xattr block holds from its EA inode', async () => {
    const image = join(temp, 'ext4-ea-inode.img');
    // debugfs stat lists no xattr block: the value sits in an EA inode named by the in-inode entry.
    expect(tool('debugfs', ['-R', 'stat /etc/huge-label', image]).toString()).toMatch(/File ACL: 0\b/);
    const label = labelOf(debugfsXattrs(image, 'etc/huge-label').get('security.selinux'));
    expect(label?.length).toBe(4090);
    const tree = await openImage('ext4-ea-inode.img');
    expect((await tree.stat('etc/huge-label'))?.metadata?.selinuxLabel).toBe(label);
  });
});

describe.each(IMAGES.filter((name) => name.endsWith('.erofs')))('EROFS %s', (name) => {
  it('gives every entry the mode, owner, label and capabilities fsck.erofs 1.9.4 extracts', async () => {
    const image = join(temp, name);
    const { fsck } = erofsUtils19();
    // Extracting with owners makes the kernel drop capabilities at chown: a second extraction, without owners, keeps them.
    const withOwners = join(temp, `${name}-owners`);
    const withCapabilities = join(temp, `${name}-caps`);
    tool(fsck, [`--extract=${withOwners}`, '--xattrs', '--preserve', image]);
    tool(fsck, [`--extract=${withCapabilities}`, '--xattrs', '--no-preserve-owner', '--preserve-perms', image]);
    const tree = await openImage(name);
    const entries = await walk(tree);
    expect(entries.size).toBe(20);
    for (const [path, node] of entries) {
      const [mode = '', uid = '', gid = ''] = tool('stat', ['-c', '%a %u %g', join(withOwners, path)]).toString().trim().split(' ');
      const label = tool('getfattr', ['-h', '--absolute-names', '-d', '-m', '^security\\.selinux$', '-e', 'hex', join(withOwners, path)]).toString();
      const labelHex = /security\.selinux=0x([0-9a-f]+)/.exec(label)?.[1];
      const metadata = node.metadata as FileMetadata;
      expect({ mode: metadata.mode, uid: metadata.uid, gid: metadata.gid, label: metadata.selinuxLabel }, path).toEqual({
        mode: parseInt(mode, 8),
        uid: Number(uid),
        gid: Number(gid),
        label: labelOf(labelHex === undefined ? undefined : Buffer.from(labelHex, 'hex')),
      });
      const getcap = node.type === 'file' ? getcapOf(join(withCapabilities, path)) : null;
      expect(metadata.capabilities === null ? null : flagsOf(metadata.capabilities), path).toEqual(getcap === null ? null : parseGetcap(getcap));
    }
    expect(tree.problems).toEqual([]);
  });
});

describe('EROFS long xattr name prefixes', () => {
  it.each(['erofs-19-prefix-packed.erofs', 'erofs-19-prefix-plain.erofs'])('%s stores security.selinux under a long prefix', (name) => {
    const superblock = tool(erofsUtils19().dump, ['-s', join(temp, name)]).toString();
    expect(superblock).toMatch(/xattr_prefixes/);
    expect(superblock.includes('fragments')).toBe(name.includes('packed'));
  });
});

describe('corrupt extended attributes', () => {
  const copyOf = (name: string): { path: string; bytes: Buffer } => {
    const path = join(temp, `corrupt-${name}`);
    return { path, bytes: readFileSync(join(temp, name)) };
  };
  const reopen = async (path: string, bytes: Buffer): Promise<FileTree> => {
    writeFileSync(path, bytes);
    const image = await FileByteSource.open(path, basename(path));
    opened.push(image);
    return (path.endsWith('.erofs') ? erofsFileSystem : ext4FileSystem).open(image);
  };

  it('ext4: an xattr block without its magic leaves the file listed with mode and owner, and is a problem naming the block', async () => {
    const { path, bytes } = copyOf('ext4-128.img');
    const block = Number(/File ACL: (\d+)/.exec(tool('debugfs', ['-R', 'stat /bin/ping', join(temp, 'ext4-128.img')]).toString())?.[1]);
    expect(bytes.readUInt32LE(block * 4096)).toBe(0xea020000);
    bytes.writeUInt32LE(0, block * 4096);
    const tree = await reopen(path, bytes);
    const ping = await tree.stat('bin/ping');
    expect(ping?.metadata).toEqual({ mode: 0o750, uid: 0, gid: 3003, selinuxLabel: null, capabilities: null });
    expect(tree.problems).toEqual([{ path: 'bin/ping', message: expect.stringMatching(new RegExp(`^extended attributes not read: .*xattr block ${block}.*bad xattr block magic 0x0 \\(expected magic 0xea020000\\)$`)) }]);
  });

  it('ext4: a capability value of an unknown revision is a problem; the label is still read', async () => {
    const { path, bytes } = copyOf('ext4-256.img');
    const value = Buffer.from(tool('getfattr', ['-h', '-e', 'hex', '--only-values', '-n', 'security.capability', join(sourceTree, 'bin/ping')]));
    const at = bytes.indexOf(value);
    expect(at).toBeGreaterThan(0);
    expect(bytes.indexOf(value, at + 1)).toBe(-1);
    bytes.writeUInt8(0x09, at + 3);
    const tree = await reopen(path, bytes);
    const ping = await tree.stat('bin/ping');
    expect(ping?.metadata?.selinuxLabel).toBe('u:object_r:ping_exec:s0');
    expect(ping?.metadata?.capabilities).toBeNull();
    expect(tree.problems).toEqual([{ path: 'bin/ping', message: 'security.capability not read: unknown security.capability revision 0x9 at byte 3 of its value (expected revision 1, 2 or 3)' }]);
  });

  it('EROFS: shared xattr ids that do not fit the inline area are a problem naming the inode', async () => {
    const name = 'erofs-15.erofs';
    const { path, bytes } = copyOf(name);
    const nid = Number(/NID: (\d+)/.exec(tool(erofsUtils19().dump, ['--path=/bin/netd', join(temp, name)]).toString())?.[1]);
    const inode = bytes.readUInt32LE(1024 + 40) * 4096 + nid * 32;
    expect(bytes.readUInt16LE(inode + 2)).toBeGreaterThan(0);
    bytes.writeUInt8(0xff, inode + 32 + 4);
    const tree = await reopen(path, bytes);
    const netd = (await tree.list('bin'))?.find((node) => node.name === 'netd');
    expect(netd?.metadata).toEqual({ mode: 0o755, uid: 0, gid: 2000, selinuxLabel: null, capabilities: null });
    expect(tree.problems).toEqual([{ path: 'bin/netd', message: expect.stringMatching(new RegExp(`^extended attributes not read: .*erofs › inode ${nid} › xattrs at offset ${inode + 36}: 255 shared xattr ids do not fit`)) }]);
  });
});
