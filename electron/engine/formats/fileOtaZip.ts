import type { Problem } from '../../../shared/model.js';
import { DeviceTree } from '../vfs/deviceTree.js';
import { mountApexes } from '../vfs/apexMount.js';
import type { FileTree } from '../vfs/fileTree.js';
import { IndexedTree, type IndexedEntry } from '../vfs/indexedTree.js';
import type { ZipArchive } from '../zip/zipArchive.js';
import { zipMemberEntry } from '../zip/zipTree.js';
import { rejectIncrementalMetadata } from './incremental.js';
import { isPartitionName } from './partitions.js';
import { readZipOtaMetadata } from './zipMetadata.js';
import type { PackageFormatModule } from './types.js';

export const UPDATER_SCRIPT = 'META-INF/com/google/android/updater-script';
const SMALL_MEMBER_LIMIT = 4 << 20;

/**
 * A file-based OTA zip (the pre-Lollipop kind, e.g. 2014 MIUI): partition files stored directly as
 * `system/…` members. Symlinks are not members there; the updater-script creates them with
 * `symlink("target", "/system/a", …)`, so they are read from it.
 */
export const fileOtaZipFormat: PackageFormatModule = {
  id: 'file-ota-zip',
  description: 'file-based OTA zip',
  async detect(probe) {
    const zip = await probe.zip();
    if (zip === null) return false;
    if (zip.get('payload.bin') !== undefined || zip.get('system.transfer.list') !== undefined) return false;
    return zip.members.some((member) => !member.isDirectory && partitionOf(member.name) !== null);
  },
  async open(probe) {
    const zip = await probe.zip();
    if (zip === null) throw new Error('detect() accepted a file that is not a zip');
    const otaMetadata = await readZipOtaMetadata(zip);
    rejectIncrementalMetadata(probe.name, otaMetadata);
    probe.claim();
    const problems: Problem[] = [...zip.problems];
    const entriesByPartition = new Map<string, IndexedEntry[]>();
    const add = (partition: string, entry: IndexedEntry): void => {
      const list = entriesByPartition.get(partition) ?? [];
      list.push(entry);
      entriesByPartition.set(partition, list);
    };

    const leftOut = new Map<string, number>();
    for (const member of zip.members) {
      const location = partitionOf(member.name);
      if (location === null) {
        const folder = outsideFolder(member.name);
        if (folder !== null) leftOut.set(folder, (leftOut.get(folder) ?? 0) + 1);
        continue;
      }
      const entry = await zipMemberEntry(zip, member, location.path, problems);
      if (entry !== null) add(location.partition, entry);
    }
    for (const [folder, count] of leftOut) {
      problems.push({ path: `${folder}/`, message: `${count} zip member${count === 1 ? '' : 's'} left out: ${folder}/ is not a partition folder OTA Lens mounts` });
    }
    for (const link of await updaterScriptSymlinks(zip, problems)) {
      const location = partitionOf(link.path.slice(1));
      if (location !== null) add(location.partition, { path: location.path, type: 'symlink', size: 0, target: link.target });
    }

    const mounts = new Map<string, FileTree>();
    for (const [partition, entries] of entriesByPartition) mounts.set(partition, new IndexedTree(entries));
    const apex = await mountApexes(mounts);
    return {
      format: 'file-ota-zip',
      tree: new DeviceTree(mounts, probe.name),
      otaMetadata,
      partitions: [...mounts.keys()].map((name) => ({ name, fileSystem: 'zip members', size: null, origin: `${name}/ in the zip`, kind: 'file-system' as const })),
      problems,
      close: async () => {
        await apex?.close();
        await zip.close();
      },
    };
  },
};

/** The top folder of a member outside every partition and outside META-INF (the package's own metadata), or null. */
function outsideFolder(memberName: string): string | null {
  const slash = memberName.indexOf('/');
  if (slash <= 0) return null;
  const folder = memberName.slice(0, slash);
  return folder === 'META-INF' ? null : folder;
}

function partitionOf(memberName: string): { partition: string; path: string } | null {
  const slash = memberName.indexOf('/');
  if (slash <= 0) return null;
  const partition = memberName.slice(0, slash);
  if (!isPartitionName(partition)) return null;
  return { partition, path: memberName.slice(slash + 1).replace(/\/+$/, '') };
}

async function updaterScriptSymlinks(zip: ZipArchive, problems: Problem[]): Promise<{ target: string; path: string }[]> {
  const member = zip.get(UPDATER_SCRIPT);
  if (member === undefined) return [];
  try {
    return parseEdifySymlinks((await zip.readAll(member, SMALL_MEMBER_LIMIT)).toString('utf8'));
  } catch (error) {
    problems.push({ path: UPDATER_SCRIPT, message: `symlinks not read: ${(error as Error).message}` });
    return [];
  }
}

/** `symlink("toolbox", "/system/bin/ls", "/system/bin/ps");` → one link per path after the target. */
export function parseEdifySymlinks(script: string): { target: string; path: string }[] {
  const links: { target: string; path: string }[] = [];
  for (const call of script.matchAll(/\bsymlink\s*\(((?:\s*"(?:[^"\\]|\\.)*"\s*,?)+)\s*\)/g)) {
    const args = [...(call[1] ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((literal) => unescapeEdify(literal[1] ?? ''));
    const [target, ...paths] = args;
    if (target === undefined) continue;
    for (const path of paths) if (path.startsWith('/')) links.push({ target, path });
  }
  return links;
}

function unescapeEdify(literal: string): string {
  return literal.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_match, escape: string) => {
    if (escape.startsWith('x') && escape.length === 3) return String.fromCharCode(parseInt(escape.slice(1), 16));
    return { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' }[escape] ?? escape;
  });
}
