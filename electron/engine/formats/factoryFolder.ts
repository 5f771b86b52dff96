import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileByteSource } from '../io/byteSource.js';
import { findPartitionImages, hasMountableImage, type ImageFile } from './imageMembers.js';
import { PARTITION_NAMES } from './partitions.js';
import { PartitionMounts } from './partitionMounts.js';
import type { PackageFormatModule } from './types.js';

/** Image files of an unpacked fastboot package: at the top of the folder or in `images/`. */
async function imageFiles(folder: string): Promise<ImageFile[]> {
  const files: ImageFile[] = [];
  for (const sub of ['', 'images']) {
    const entries = await readdir(join(folder, sub), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (!entry.isFile()) continue;
      const name = sub === '' ? entry.name : `${sub}/${entry.name}`;
      const path = join(folder, name);
      files.push({ name, size: (await stat(path)).size, open: () => FileByteSource.open(path, name) });
    }
  }
  return files;
}

async function hasPartitionFolder(folder: string): Promise<boolean> {
  for (const name of PARTITION_NAMES) if ((await stat(join(folder, name)).catch(() => null))?.isDirectory()) return true;
  return false;
}

/**
 * A folder of partition images (an unpacked fastboot package: `super.img`, `images/system.img.zst`,
 * `super.img_sparsechunk.N`…), read like the zip it came in. A folder of partition folders is an
 * unpacked device tree instead (directory.ts).
 */
export const factoryFolderFormat: PackageFormatModule = {
  id: 'factory-folder',
  description: 'folder of partition images',
  async detect(probe) {
    if (!probe.isDirectory || (await hasPartitionFolder(probe.path))) return false;
    return hasMountableImage((await imageFiles(probe.path)).map((file) => file.name));
  },
  async open(probe) {
    const mounts = new PartitionMounts(probe.name);
    try {
      for (const { image, origin } of findPartitionImages(await imageFiles(probe.path))) await mounts.add(image, origin);
    } catch (error) {
      await mounts.close();
      throw error;
    }
    return mounts.finish({ format: 'factory-folder', otaMetadata: null, problems: [], closeContainer: async () => {} });
  },
};
