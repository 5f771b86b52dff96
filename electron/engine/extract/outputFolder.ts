import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath, rm, symlink, type FileHandle } from 'node:fs/promises';
import { bytesFromLinkTarget, bytesFromName } from '../vfs/rawNames.js';

/** Why one entry was not written; the extraction goes on with the others. */
export class SkippedEntry extends Error {
  override readonly name = 'SkippedEntry';
}

/** Flags for every file written: create it, never follow a link, never open what already exists. */
export const CREATE_NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
const FILE_MODE = 0o644;
const FOLDER_MODE = 0o755;

/**
 * The bytes a device path segment names on disk (raw names are escaped in device paths: `\xff`,
 * `\\`), when they can be one path segment: not empty, `.` or `..`, without `/` or NUL.
 */
export function diskName(name: string): Buffer | null {
  const bytes = bytesFromName(name);
  if (bytes === null || bytes.length === 0 || bytes.includes(0x2f) || bytes.includes(0)) return null;
  const text = bytes.toString('latin1');
  return text === '.' || text === '..' ? null : bytes;
}

/**
 * The folder `otalens extract` writes into, and the only place it writes. Every entry is named by
 * segments below it, each checked to be a plain name; a folder is used only once it is known to be
 * a real folder (made here, or found as one, never a symbolic link); files are created with
 * O_CREAT|O_EXCL|O_NOFOLLOW, so nothing already there (a planted link, an earlier file) is
 * followed or overwritten; links are created as links, their targets never followed.
 */
export class OutputFolder {
  /** Folders (as joined relative paths) known to be real folders inside the root; '' is the root. */
  private readonly folders = new Set<string>(['']);

  private constructor(readonly root: string) {}

  /** Makes the folder if it is missing (its parent must exist) and resolves it once, links included. */
  static async open(path: string): Promise<OutputFolder> {
    await mkdir(path, { mode: FOLDER_MODE }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    const root = await realpath(path);
    if (!(await lstat(root)).isDirectory()) throw new SkippedEntry(`${path} is not a folder`);
    return new OutputFolder(root);
  }

  async makeFolder(segments: readonly string[]): Promise<void> {
    const { path, shown } = await this.place(segments);
    try {
      await mkdir(path, { mode: FOLDER_MODE });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const found = await lstat(path);
      if (found.isSymbolicLink()) throw new SkippedEntry(`${shown} is a symbolic link already there: not written through`);
      if (!found.isDirectory()) throw new SkippedEntry(`${shown} already exists and is not a folder`);
    }
    this.folders.add(segments.join('/'));
  }

  /** Creates a new file and hands its handle to `write`; the file is removed again if `write` fails. */
  async writeFile(segments: readonly string[], write: (handle: FileHandle) => Promise<void>): Promise<void> {
    const { path, shown } = await this.place(segments);
    const handle = await createNew(path, shown);
    await writeOrRemove(handle, path, write);
  }

  async makeLink(segments: readonly string[], target: string): Promise<void> {
    const { path, shown } = await this.place(segments);
    const targetBytes = bytesFromLinkTarget(target);
    if (targetBytes === null) throw new SkippedEntry(`the link target ${JSON.stringify(target)} is not an escaped target OTA Lens wrote`);
    try {
      await symlink(targetBytes, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new SkippedEntry(`${shown} already exists: not replaced`);
      throw error;
    }
  }

  /**
   * The host path of `segments` (as bytes, for raw names) and how to show it, once each is a safe
   * name and the parent a folder made or checked here.
   */
  private async place(segments: readonly string[]): Promise<{ path: Buffer; shown: string }> {
    const names = segments.map(diskName);
    const bad = names.indexOf(null);
    if (bad !== -1 || segments.length === 0) throw new SkippedEntry(`the name ${JSON.stringify(segments[bad] ?? '')} cannot be written safely (empty, ".", "..", or holding "/" or NUL)`);
    const parent = segments.slice(0, -1).join('/');
    if (!this.folders.has(parent)) throw new SkippedEntry(`its folder ${parent} was not written`);
    const separator = Buffer.from('/');
    const path = Buffer.concat([Buffer.from(this.root), ...(names as Buffer[]).flatMap((name) => [separator, name])]);
    return { path, shown: `${this.root}/${segments.join('/')}` };
  }
}

/** Opens a file that must not exist yet, at a path given by the user or made by OutputFolder. */
export async function createNew(path: string | Buffer, shown = String(path)): Promise<FileHandle> {
  try {
    return await open(path, CREATE_NEW_FILE, FILE_MODE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new SkippedEntry(`${shown} already exists: not overwritten`);
    if (code === 'ELOOP') throw new SkippedEntry(`${shown} is a symbolic link: not written through`);
    throw error;
  }
}

/** Runs `write` on a new file, closes it, and removes the file when writing failed. */
export async function writeOrRemove(handle: FileHandle, path: string | Buffer, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  try {
    await write(handle);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
  await handle.close();
}
