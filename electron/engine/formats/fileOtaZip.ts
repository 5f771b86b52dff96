import { posix } from 'node:path';
import type { FileType, Problem } from '../../../shared/model.js';
import { InputError } from '../errors.js';
import { edifyCalls, parseEdify, type EdifyCall } from '../updater/edify.js';
import { replayUpdaterScript, scriptSymlinks } from '../updater/updaterMetadata.js';
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
 * `symlink("target", "/system/a", …)`, so they are read from it, and so are owners, modes, labels
 * and capabilities (`set_perm`, `set_metadata` and their recursive forms, replayed in order).
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
    const script = await readUpdaterScript(zip, problems);
    for (const link of scriptSymlinks(script.calls)) {
      const location = partitionOf(link.path.slice(1));
      if (location !== null) add(location.partition, { path: location.path, type: 'symlink', size: 0, target: link.target });
    }
    applyScriptMetadata(script, entriesByPartition, zip.members.filter((member) => !member.isDirectory).map((member) => member.name), problems);

    const mounts = new Map<string, FileTree>();
    for (const [partition, entries] of entriesByPartition) mounts.set(partition, new IndexedTree(entries));
    const apex = await mountApexes(mounts);
    return {
      format: 'file-ota-zip',
      tree: new DeviceTree(mounts, probe.name),
      otaMetadata,
      partitions: [...mounts.keys()].map((name) => ({ name, fileSystem: 'zip members', size: null, origin: `${name}/ in the zip`, kind: 'file-system' as const })),
      problems,
      ...(script.text === null ? {} : { memberTexts: new Map([[UPDATER_SCRIPT, script.text]]) }),
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

interface UpdaterScript {
  text: string | null;
  calls: EdifyCall[];
}

/** The updater-script's calls in the order the updater runs them; a script that does not parse is a problem and adds nothing. */
async function readUpdaterScript(zip: ZipArchive, problems: Problem[]): Promise<UpdaterScript> {
  const member = zip.get(UPDATER_SCRIPT);
  if (member === undefined) return { text: null, calls: [] };
  try {
    const text = (await zip.readAll(member, SMALL_MEMBER_LIMIT)).toString('utf8');
    try {
      return { text, calls: edifyCalls(parseEdify(text, UPDATER_SCRIPT)) };
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push({ path: UPDATER_SCRIPT, message: `symlinks and file metadata not read: ${error.message}` });
      return { text, calls: [] };
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push({ path: UPDATER_SCRIPT, message: `symlinks and file metadata not read: ${error.message}` });
    return { text: null, calls: [] };
  }
}

/**
 * Gives the entries the owners, modes, labels and capabilities the script's lines set
 * (updater/updaterMetadata.ts), adding the folders the zip only implies so they can carry theirs.
 */
function applyScriptMetadata(script: UpdaterScript, entriesByPartition: Map<string, IndexedEntry[]>, members: string[], problems: Problem[]): void {
  if (script.calls.length === 0) return;
  const types = new Map<string, FileType>();
  for (const [partition, entries] of entriesByPartition) {
    types.set(`/${partition}`, 'directory');
    for (const entry of entries) {
      types.set(`/${partition}/${entry.path}`, entry.type);
      for (let folder = posix.dirname(entry.path); folder !== '.'; folder = posix.dirname(folder)) {
        if (!types.has(`/${partition}/${folder}`)) types.set(`/${partition}/${folder}`, 'directory');
      }
    }
  }
  const replayed = replayUpdaterScript(script.calls, types, members, UPDATER_SCRIPT);
  problems.push(...replayed.problems);
  for (const [partition, entries] of entriesByPartition) {
    const listed = new Set(entries.map((entry) => entry.path));
    for (const entry of entries) {
      const metadata = replayed.metadata.get(`/${partition}/${entry.path}`);
      if (metadata !== undefined) entry.metadata = metadata;
    }
    for (const [path, metadata] of replayed.metadata) {
      const relative = path.startsWith(`/${partition}/`) ? path.slice(partition.length + 2) : null;
      if (relative !== null && !listed.has(relative) && types.get(path) === 'directory') entries.push({ path: relative, type: 'directory', size: 0, metadata });
    }
  }
}

/** `symlink("toolbox", "/system/bin/ls", "/system/bin/ps");` → one link per path after the target. */
export function parseEdifySymlinks(script: string): { target: string; path: string }[] {
  return scriptSymlinks(edifyCalls(parseEdify(script, UPDATER_SCRIPT)));
}
