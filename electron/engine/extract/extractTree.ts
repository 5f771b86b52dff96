import type { Problem, TreeEntry } from '../../../shared/model.js';
import { InputError } from '../errors.js';
import type { DeviceTree } from '../vfs/deviceTree.js';
import { OutputFolder, SkippedEntry } from './outputFolder.js';

export interface ExtractCounts {
  files: number;
  folders: number;
  links: number;
  bytes: number;
}

export interface TreeExtraction {
  written: ExtractCounts;
  /** Entries not written, each with its device path and why. */
  problems: Problem[];
}

/**
 * Writes the device tree below `devicePath` into `folder`, as `rdump` does: the entry PATH names
 * (its last segment) lands in the folder with everything below it; `/` writes the mount points
 * themselves. Files are copied, folders made, symbolic links made as links (target kept, never
 * followed); anything else (a device node, a FIFO) is listed as not written. An entry that cannot
 * be read or written is a problem and the rest goes on; a name that is not one plain segment
 * (`..`, holding `/`) is never written.
 */
export async function extractTree(tree: DeviceTree, devicePath: string, folder: OutputFolder, packageName: string, onProgress?: (counts: ExtractCounts) => void): Promise<TreeExtraction> {
  const written: ExtractCounts = { files: 0, folders: 0, links: 0, bytes: 0 };
  const problems: Problem[] = [];
  const top = await tree.stat(devicePath);
  if (top === null) throw new InputError('no such file or folder in the package', { file: packageName, format: devicePath });
  const normalized = top.path;

  const writeEntry = async (entry: TreeEntry, segments: readonly string[]): Promise<boolean> => {
    try {
      if (entry.type === 'directory') {
        if (segments.length > 0) await folder.makeFolder(segments);
        written.folders += 1;
        return true;
      }
      if (entry.type === 'symlink') {
        await folder.makeLink(segments, entry.target ?? '');
        written.links += 1;
      } else if (entry.type === 'file') {
        await folder.writeFile(segments, async (handle) => {
          for await (const chunk of await tree.openStream(entry.path)) await handle.write(chunk as Buffer);
        });
        written.files += 1;
        written.bytes += entry.size;
      } else {
        problems.push({ path: entry.path, message: `not written: a ${String(entry.type)}, which extract does not make` });
      }
    } catch (error) {
      if (!(error instanceof InputError || error instanceof SkippedEntry || isFsError(error))) throw error;
      problems.push({ path: entry.path, message: `not written: ${(error as Error).message}` });
      return false;
    }
    onProgress?.({ ...written });
    return false;
  };

  const descend = async (directory: TreeEntry, segments: readonly string[]): Promise<void> => {
    let children: TreeEntry[] | null;
    try {
      children = await tree.list(directory.path);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push({ path: directory.path, message: `folder not read: ${error.message}` });
      return;
    }
    const prefix = directory.path === '/' ? '/' : `${directory.path}/`;
    for (const child of children ?? []) {
      const name = child.path.startsWith(prefix) ? child.path.slice(prefix.length) : '';
      if (name === '' || name.includes('/') || name === '.' || name === '..' || name.includes('\0')) {
        problems.push({ path: child.path, message: `not written: its name ${JSON.stringify(name)} is not one plain file name` });
        continue;
      }
      if (await writeEntry(child, [...segments, name])) await descend(child, [...segments, name]);
    }
  };

  const rootName = normalized === '/' ? [] : [normalized.slice(normalized.lastIndexOf('/') + 1)];
  if (await writeEntry(top, rootName)) await descend(top, rootName);
  return { written, problems };
}

function isFsError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}
