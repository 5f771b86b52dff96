// Oracles for the EROFS tests: answers from erofs-utils (fsck.erofs, dump.erofs) and Python, never
// from OTA Lens's own code. A missing tool fails the test loudly (CI installs erofs-utils).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { DeviceNumbers, FileType } from '../../shared/model.js';
import type { FileTree } from '../../electron/engine/vfs/fileTree.js';
import { run } from './oracles.js';
import { PYTHON_ESCAPE } from './rawNameOracle.js';

export { CountingSource } from './countingSource.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/erofs/', import.meta.url));
export const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/fixtures/build-erofs.mjs', import.meta.url));

export interface FixtureImage {
  file: string;
  tree: 'full' | 'small' | 'special';
  args: string[];
}

export function fixtureImages(): FixtureImage[] {
  return (JSON.parse(readFileSync(join(FIXTURES, 'fixtures.json'), 'utf8')) as { images: FixtureImage[] }).images;
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
  run('fsck.erofs', [`--extract=${out}`, image]);
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
  const text = run('dump.erofs', [`--path=/${path}`, image]);
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
  const text = run('dump.erofs', ['-e', `--path=/${path}`, image]);
  const extents: DumpExtent[] = [];
  for (const match of text.matchAll(/^\s*\d+:\s+(\d+)\.\.\s*(\d+)\s*\|\s*\d+\s*:\s*(\d+)\.\.\s*(\d+)\s*\|\s*(\d+)\s*$/gm)) {
    extents.push({ start: Number(match[1]), end: Number(match[2]), physical: Number(match[3]), physicalLength: Number(match[5]) });
  }
  return extents;
}

/** dump.erofs's superblock summary: where nid 0 lives. */
export function dumpMetaStartBlock(image: string): number {
  return Number(/inode metadata start block:\s+(\d+)/.exec(run('dump.erofs', ['-s', image]))?.[1] ?? NaN);
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
