// Oracles for the EROFS tests: answers from erofs-utils (fsck.erofs, dump.erofs) and Python, never
// from OTA Lens's own code. A missing tool fails the test loudly (CI installs erofs-utils and builds
// erofs-utils 1.9.4 with scripts/tools/build-erofs-utils.sh).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { DeviceNumbers, FileType } from '../../shared/model.js';
import { expect } from 'vitest';
import { InputError } from '../../electron/engine/errors.js';
import { openErofs, type ErofsTree } from '../../electron/engine/fs/erofs/index.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import type { FileTree } from '../../electron/engine/vfs/fileTree.js';
import { erofsUtils } from '../../scripts/tools/erofs-utils.mjs';
import { run } from './oracles.js';
import { PYTHON_ESCAPE } from './rawNameOracle.js';

export { CountingSource } from './countingSource.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/erofs/', import.meta.url));
export const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/fixtures/build-erofs.mjs', import.meta.url));

export interface FixtureImage {
  file: string;
  tree: 'full' | 'small' | 'special' | 'dedupe';
  args: string[];
  /** Made with erofs-utils 1.9.4 (and read back with its fsck.erofs and dump.erofs); else Debian's 1.5. */
  tools?: '1.9';
}

export function fixtureImages(): FixtureImage[] {
  return (JSON.parse(readFileSync(join(FIXTURES, 'fixtures.json'), 'utf8')) as { images: FixtureImage[] }).images;
}

/** erofs-utils 1.9.4's tools; throws (naming the script that builds them) when they are missing. */
export function erofsUtils19(): { mkfs: string; fsck: string; dump: string } {
  return erofsUtils();
}

/**
 * The fsck.erofs and dump.erofs that understand an image: 1.9.4 for the fixtures made with it
 * (by file name, wherever the image lies), Debian's for the others.
 */
export function oracleTools(image: string): { fsck: string; dump: string } {
  const fixture = fixtureImages().find((candidate) => candidate.file === basename(image));
  return fixture?.tools === '1.9' ? erofsUtils19() : { fsck: 'fsck.erofs', dump: 'dump.erofs' };
}

export interface ListedEntry {
  path: string;
  type: FileType;
  size: number;
  target?: string;
  device?: DeviceNumbers;
  sha256?: string;
  /** The path's bytes on disk, hex-encoded (names need not be UTF-8). */
  raw?: string;
}

/** The file on disk that a listed entry came from. */
export function hostPath(root: string, entry: ListedEntry): Buffer {
  return Buffer.concat([Buffer.from(`${root}/`), Buffer.from(entry.raw ?? '', 'hex')]);
}

const extractions = new Map<string, string>();

/** Deletes the folders fsckExtract made (call from afterAll). */
export function removeExtractions(): void {
  for (const folder of extractions.values()) rmSync(join(folder, '..'), { recursive: true, force: true });
  extractions.clear();
}

/** `fsck.erofs --extract`: the image's content as erofs-utils sees it (once per image and test file). */
export function fsckExtract(image: string): string {
  const known = extractions.get(image);
  if (known !== undefined) return known;
  const out = join(mkdtempSync(join(tmpdir(), 'otalens-erofs-oracle-')), 'root');
  run(oracleTools(image).fsck, [`--extract=${out}`, image]);
  extractions.set(image, out);
  return out;
}

// Names are bytes: Python escapes them by the documented rule (rawNameOracle.ts), as the reader must.
const WALK_SCRIPT = `${PYTHON_ESCAPE}
import hashlib, json, os, stat, sys
root = os.fsencode(sys.argv[1])
out = []
for folder, dirs, files in os.walk(root):
    for name in dirs + files:
        full = os.path.join(folder, name)
        path = '/'.join(escape(part) for part in os.path.relpath(full, root).split(b'/'))
        st = os.lstat(full)
        if stat.S_ISLNK(st.st_mode): entry = {'type': 'symlink', 'size': 0, 'target': escape(os.readlink(full), False)}
        elif stat.S_ISDIR(st.st_mode): entry = {'type': 'directory', 'size': 0}
        elif stat.S_ISREG(st.st_mode):
            with open(full, 'rb') as f: entry = {'type': 'file', 'size': st.st_size, 'sha256': hashlib.sha256(f.read()).hexdigest()}
        elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
            entry = {'type': 'char-device' if stat.S_ISCHR(st.st_mode) else 'block-device', 'size': 0, 'device': {'major': os.major(st.st_rdev), 'minor': os.minor(st.st_rdev)}}
        elif stat.S_ISFIFO(st.st_mode): entry = {'type': 'fifo', 'size': 0}
        else: entry = {'type': 'socket', 'size': 0}
        entry['path'] = path
        entry['raw'] = os.path.relpath(full, root).hex()
        out.append(entry)
print(json.dumps(out))
`;

/** Every entry below a folder on disk, as Python's os.walk/lstat and hashlib see it. */
export function walkFolder(root: string): Map<string, ListedEntry> {
  const entries = JSON.parse(run('python3', ['-c', WALK_SCRIPT, root])) as ListedEntry[];
  return new Map(entries.map((entry) => [entry.path, entry]));
}

export interface DumpExtent {
  start: number;
  end: number;
  physical: number;
  physicalLength: number;
}

/** `dump.erofs --path`: the inode number, layout and size erofs-utils reports. */
export function dumpInode(image: string, path: string): { nid: number; layout: number; size: number; inodeSize: number; xattrSize: number } {
  const text = run(oracleTools(image).dump, [`--path=/${path}`, image]);
  const number = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? NaN);
  return {
    nid: number(/NID: (\d+)/),
    layout: number(/Layout: (\d+)/),
    size: number(/Size: (\d+)/),
    inodeSize: number(/Inode size: (\d+)/),
    xattrSize: number(/Xattr size: (\d+)/),
  };
}

/** `dump.erofs -e`: the file's extents (logical range → physical range). */
export function dumpExtents(image: string, path: string): DumpExtent[] {
  const text = run(oracleTools(image).dump, ['-e', `--path=/${path}`, image]);
  const extents: DumpExtent[] = [];
  for (const match of text.matchAll(/^\s*\d+:\s+(\d+)\.\.\s*(\d+)\s*\|\s*\d+\s*:\s*(\d+)\.\.\s*(\d+)\s*\|\s*(\d+)\s*$/gm)) {
    extents.push({ start: Number(match[1]), end: Number(match[2]), physical: Number(match[3]), physicalLength: Number(match[5]) });
  }
  return extents;
}

/** dump.erofs's superblock summary: where nid 0 lives. */
export function dumpMetaStartBlock(image: string): number {
  return Number(/inode metadata start block:\s+(\d+)/.exec(run(oracleTools(image).dump, ['-s', image]))?.[1] ?? NaN);
}

/** Every entry of a FileTree, files hashed through openStream. */
export async function walkTree(tree: FileTree, path = '', out = new Map<string, ListedEntry>()): Promise<Map<string, ListedEntry>> {
  for (const node of (await tree.list(path)) ?? []) {
    const child = path === '' ? node.name : `${path}/${node.name}`;
    const entry: ListedEntry = { path: child, type: node.type, size: node.size };
    if (node.target !== undefined) entry.target = node.target;
    if (node.device !== undefined) entry.device = node.device;
    if (node.type === 'file') entry.sha256 = await hashStream(await tree.openStream(child));
    out.set(child, entry);
    if (node.type === 'directory') await walkTree(tree, child, out);
  }
  return out;
}

export async function hashStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The listing without the raw name bytes, as compared with a tree's. */
export function withoutRawNames(entries: Map<string, ListedEntry>): Map<string, ListedEntry> {
  return new Map(
    [...entries].map(([path, entry]) => {
      const { raw: _raw, ...rest } = entry;
      return [path, rest];
    }),
  );
}

/** A small deterministic PRNG for choosing read positions. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A committed fixture image's bytes (copy before patching). */
export function fixture(file: string): Buffer {
  return readFileSync(join(FIXTURES, file));
}

/** An EROFS tree over bytes in memory (a patched or cut image). */
export async function openBytes(bytes: Buffer, name = 'damaged.erofs'): Promise<ErofsTree> {
  return openErofs(new BufferByteSource(name, bytes));
}

/** What an action throws, or undefined. */
export async function caught(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Where a dump.erofs-described inode is (4 KiB blocks), and where what follows it (inline data, tables) starts. */
export function inodePlace(image: string, path: string): { nid: number; position: number; after: number; size: number } {
  const inode = dumpInode(image, path);
  const position = dumpMetaStartBlock(image) * 4096 + inode.nid * 32;
  return { nid: inode.nid, position, after: position + inode.inodeSize + inode.xattrSize, size: inode.size };
}

/**
 * Lists and reads everything it can. Every failure must be an InputError about this image; what
 * is read must be right. Returns what was listed and the paths that failed.
 */
export async function exploreDamaged(tree: ErofsTree, name: string, expectedHashes: Map<string, string>): Promise<{ listed: string[]; failed: string[] }> {
  const listed: string[] = [];
  const failed: string[] = [];
  const visit = async (path: string, depth: number): Promise<void> => {
    expect(depth).toBeLessThan(64);
    for (const node of (await tree.list(path)) ?? []) {
      const child = path === '' ? node.name : `${path}/${node.name}`;
      listed.push(child);
      if (node.type === 'directory') await visit(child, depth + 1);
      if (node.type !== 'file') continue;
      try {
        const hash = await hashStream(await tree.openStream(child));
        if (expectedHashes.has(child)) expect(hash, child).toBe(expectedHashes.get(child));
      } catch (error) {
        expect(error, String(error)).toBeInstanceOf(InputError);
        expect((error as InputError).file).toBe(name);
        expect((error as InputError).format).toMatch(/^erofs/);
        failed.push(child);
      }
    }
  };
  await visit('', 0);
  return { listed, failed };
}

/** Every file's SHA-256 as fsck.erofs extracts the fixture. */
export function oracleHashes(file: string): Map<string, string> {
  const entries = walkFolder(fsckExtract(join(FIXTURES, file)));
  return new Map([...entries.values()].filter((entry) => entry.sha256 !== undefined).map((entry) => [entry.path, entry.sha256!]));
}
