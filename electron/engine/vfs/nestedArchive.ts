import type { Problem } from '../../../shared/model.js';
import type { ByteSource } from '../io/byteSource.js';
import { InputError } from '../errors.js';
import { locateCentralDirectory } from '../zip/endOfCentralDirectory.js';
import { ZipArchive } from '../zip/zipArchive.js';
import { zipMembersTree } from '../zip/zipTree.js';
import type { FileTree } from './fileTree.js';

const ZIP_LOCAL_HEADER = 0x04034b50;
const ZIP_EMPTY_ARCHIVE = 0x06054b50;

/** A file inside the device opened as a tree of its own (an APK, an APEX, a zip of images). */
export interface NestedArchive {
  /** What kind of archive it is, for messages: `zip`. */
  kind: string;
  tree: FileTree;
  problems: readonly Problem[];
  close(): Promise<void>;
}

/**
 * Opens `source` as an archive when it is one OTA Lens can enter with `!/`; null otherwise. A zip
 * is found by its first bytes or, as Android and `otalens apk` find it, by its End of Central
 * Directory record (an APK with data in front of its first entry).
 */
export async function openNestedArchive(source: ByteSource): Promise<NestedArchive | null> {
  if (source.size < 4) return null;
  const magic = (await source.read(0, 4)).readUInt32LE(0);
  if (magic === ZIP_LOCAL_HEADER || magic === ZIP_EMPTY_ARCHIVE || (await hasEndOfCentralDirectory(source))) {
    const zip = await ZipArchive.open(source);
    const problems = [...zip.problems];
    return { kind: 'zip', tree: await zipMembersTree(zip, problems), problems, close: () => zip.close() };
  }
  return null;
}

async function hasEndOfCentralDirectory(source: ByteSource): Promise<boolean> {
  try {
    await locateCentralDirectory(source, source.name);
    return true;
  } catch (error) {
    if (error instanceof InputError) return false;
    throw error;
  }
}
