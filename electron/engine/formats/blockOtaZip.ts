import { blockOtaPartition } from '../containers/blockOta/blockImage.js';
import type { ZipArchive } from '../zip/zipArchive.js';
import { rejectIncrementalMetadata } from './incremental.js';
import { PartitionMounts } from './partitionMounts.js';
import type { PackageFormatModule } from './types.js';
import { readZipOtaMetadata } from './zipMetadata.js';

const TRANSFER_LIST = /^([a-z_]+)\.transfer\.list$/;
const TRANSFER_LIST_LIMIT = 64 << 20;

function transferListPartitions(zip: ZipArchive): string[] {
  return zip.members.flatMap((member) => TRANSFER_LIST.exec(member.name)?.[1] ?? []).sort();
}

/**
 * A block-based OTA zip (Android 5–9 non-A/B): per partition a `*.transfer.list` and its
 * `*.new.dat` or brotli `*.new.dat.br`, from which the partition image is rebuilt block by block.
 */
export const blockOtaZipFormat: PackageFormatModule = {
  id: 'block-ota-zip',
  description: 'block-based OTA zip (transfer list + new.dat)',
  async detect(probe) {
    const zip = await probe.zip();
    return zip !== null && transferListPartitions(zip).length > 0;
  },
  async open(probe) {
    const zip = await probe.zip();
    if (zip === null) throw new Error('detect() accepted a file that is not a zip');
    const otaMetadata = await readZipOtaMetadata(zip);
    rejectIncrementalMetadata(probe.name, otaMetadata);
    const images = [];
    for (const partition of transferListPartitions(zip)) {
      const listMember = zip.get(`${partition}.transfer.list`);
      const brotli = zip.get(`${partition}.new.dat.br`);
      const raw = zip.get(`${partition}.new.dat`);
      const newData = brotli ?? raw;
      if (listMember === undefined || newData === undefined) continue;
      images.push(
        blockOtaPartition({
          partition,
          imageName: `${probe.name} › ${partition}`,
          transferList: (await zip.readAll(listMember, TRANSFER_LIST_LIMIT)).toString('utf8'),
          transferListName: `${probe.name} › ${listMember.name}`,
          transferListPath: listMember.name,
          newDataEncoding: brotli === undefined ? 'raw' : 'brotli',
          openNewData: () => zip.openSource(newData),
        }),
      );
    }
    probe.claim();
    const mounts = new PartitionMounts(probe.name);
    for (const image of images) await mounts.add(image, `${image.name}.transfer.list`);
    return mounts.finish({ format: 'block-ota-zip', otaMetadata, problems: zip.problems, closeContainer: () => zip.close() });
  },
};
