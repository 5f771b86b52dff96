import type { Problem } from '../../../shared/model.js';
import type { FileTree } from '../vfs/fileTree.js';
import { IndexedTree, type IndexedEntry } from '../vfs/indexedTree.js';
import { linkTargetFromBytes } from '../vfs/rawNames.js';
import type { ZipArchive, ZipMember } from './zipArchive.js';

const SYMLINK_TARGET_LIMIT = 4096;

/**
 * A zip member as a tree entry at `path`: a folder, a symlink (Unix zip tools store the target as
 * the content), a device node, FIFO or socket (by its Unix mode), or a file readable as a stream
 * or by random access. A symlink whose target cannot
 * be read is reported in `problems` and left out.
 */
export async function zipMemberEntry(zip: ZipArchive, member: ZipMember, path: string, problems: Problem[]): Promise<IndexedEntry | null> {
  if (member.isDirectory) return path === '' ? null : { path, type: 'directory', size: 0 };
  if (member.isSymlink) {
    try {
      const target = linkTargetFromBytes(await zip.readAll(member, SYMLINK_TARGET_LIMIT));
      return { path, type: 'symlink', size: 0, target };
    } catch (error) {
      problems.push({ path: member.name, message: `symlink skipped: ${(error as Error).message}` });
      return null;
    }
  }
  // A Unix zip tool's device node or FIFO: its type is known, its numbers are not stored.
  if (member.specialType !== null) return { path, type: member.specialType, size: 0 };
  return { path, type: 'file', size: member.uncompressedSize, open: () => zip.openStream(member), openSource: () => zip.openSource(member) };
}

/** Every member of a zip as one tree (an APK, an APEX, a zip of images). */
export async function zipMembersTree(zip: ZipArchive, problems: Problem[]): Promise<FileTree> {
  const entries: IndexedEntry[] = [];
  for (const member of zip.members) {
    const entry = await zipMemberEntry(zip, member, member.name.replace(/\/+$/, ''), problems);
    if (entry !== null) entries.push(entry);
  }
  return new IndexedTree(entries);
}
