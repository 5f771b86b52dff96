import { hasMountableImage, zipPartitionImages } from './imageMembers.js';
import { PartitionMounts } from './partitionMounts.js';
import type { PackageFormatModule } from './types.js';
import { readZipOtaMetadata } from './zipMetadata.js';

/**
 * A zip of partition images (`image-*.zip` of a factory package, fastboot zips, `images/*.img`),
 * compressed ones (`images/super.img.zst`) and split sparse chunks (`super.img_sparsechunk.N`) too.
 */
export const factoryZipFormat: PackageFormatModule = {
  id: 'factory-zip',
  description: 'factory / fastboot image zip',
  async detect(probe) {
    const zip = await probe.zip();
    return zip !== null && hasMountableImage(zip.members.map((member) => member.name));
  },
  async open(probe) {
    const zip = await probe.zip();
    if (zip === null) throw new Error('detect() accepted a file that is not a zip');
    probe.claim();
    const mounts = new PartitionMounts(probe.name);
    for (const { image, origin } of zipPartitionImages(zip)) await mounts.add(image, origin);
    return mounts.finish({ format: 'factory-zip', otaMetadata: await readZipOtaMetadata(zip), problems: zip.problems, closeContainer: () => zip.close() });
  },
};
