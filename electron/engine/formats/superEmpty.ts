import { isEmptySuperImage, readEmptySuperMetadata } from '../containers/superImage.js';
import { DeviceTree } from '../vfs/deviceTree.js';
import type { PackageFormatModule } from './types.js';

/**
 * A `super_empty.img`: the dynamic partition layout fastboot uses to create the partitions, with
 * no data in it. It opens as a device without files; its partitions and groups are listed, and one
 * problem says plainly that there is nothing to compare.
 */
export const superEmptyFormat: PackageFormatModule = {
  id: 'super-empty',
  description: 'partition layout without data (super_empty.img)',
  async detect(probe) {
    return !probe.isDirectory && (await isEmptySuperImage(await probe.fileSource()));
  },
  async open(probe) {
    const metadata = await readEmptySuperMetadata(await probe.fileSource());
    const groups = metadata.groups.filter((group) => group.name !== 'default');
    const groupWords = groups.map((group) => (group.maximumSize > 0 ? `${group.name} (at most ${group.maximumSize} bytes)` : group.name)).join(', ');
    return {
      format: 'super-empty',
      tree: new DeviceTree(new Map(), probe.name),
      otaMetadata: null,
      partitions: metadata.partitions.map((partition) => ({
        name: partition.fullName,
        fileSystem: 'layout only, no data',
        kind: 'layout-only' as const,
        size: partition.size,
        origin: `${probe.name}, group ${partition.group || 'default'}`,
      })),
      problems: [
        {
          path: '/',
          message: `no files to compare: ${probe.name} is a partition layout without data (${metadata.partitions.length} partitions${groupWords === '' ? '' : ` in ${groupWords}`}); open the firmware's super.img or full package instead`,
        },
      ],
      close: async () => {},
    };
  },
};
