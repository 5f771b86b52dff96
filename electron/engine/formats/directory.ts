import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseOtaMetadata } from '../props/buildProp.js';
import { DeviceTree } from '../vfs/deviceTree.js';
import { DirectoryTree } from '../vfs/directoryTree.js';
import { mountApexes } from '../vfs/apexMount.js';
import type { FileTree } from '../vfs/fileTree.js';
import { isMountableName, isPartitionName } from './partitions.js';
import type { PackageFormatModule } from './types.js';

import { OTA_METADATA as METADATA_PATH } from './zipMetadata.js';
const METADATA_LIMIT = 1 << 20;

/**
 * A folder somebody already unpacked. If it holds partition folders each is mounted at its name:
 * the known partition names (`system/`, `vendor/`, `vendor_dlkm/`, `my_product/`…) and any other
 * folder that carries a partition's `build.prop` or `etc/build.prop` (a vendor partition of a
 * name not known here). Otherwise the folder itself is taken to be the system partition.
 */
export const directoryFormat: PackageFormatModule = {
  id: 'directory',
  description: 'unpacked folder',
  async detect(probe) {
    return probe.isDirectory;
  },
  async open(probe) {
    const root = new DirectoryTree(probe.path);
    const mounts = new Map<string, FileTree>();
    for (const node of (await root.list('')) ?? []) {
      if (node.type === 'directory' && (await isPartitionFolder(root, node.name))) mounts.set(node.name, new DirectoryTree(join(probe.path, node.name)));
    }
    const bareSystemFolder = mounts.size === 0;
    if (bareSystemFolder) mounts.set('system', root);
    const apex = await mountApexes(mounts);
    probe.claim();
    return {
      format: 'directory',
      tree: new DeviceTree(mounts, probe.name),
      otaMetadata: await readMetadata(root, probe.path),
      partitions: [...mounts.keys()].map((name) => ({ name, fileSystem: 'folder', size: null, origin: bareSystemFolder ? 'the folder itself' : `${name}/`, kind: 'file-system' as const })),
      problems: [],
      close: async () => {
        await apex?.close();
      },
    };
  },
};

async function isPartitionFolder(root: DirectoryTree, name: string): Promise<boolean> {
  if (!isMountableName(name)) return false;
  if (isPartitionName(name)) return true;
  for (const propertyFile of ['build.prop', 'etc/build.prop']) if ((await root.stat(`${name}/${propertyFile}`))?.type === 'file') return true;
  return false;
}

async function readMetadata(root: DirectoryTree, folder: string): Promise<Record<string, string> | null> {
  const node = await root.stat(METADATA_PATH);
  if (node?.type !== 'file' || node.size > METADATA_LIMIT) return null;
  return parseOtaMetadata(await readFile(join(folder, METADATA_PATH), 'utf8'));
}
