import { PayloadArchive } from '../containers/payload/payloadArchive.js';
import { describeDeltaPayload, incrementalPackageError, rejectIncrementalMetadata } from './incremental.js';
import { PartitionMounts } from './partitionMounts.js';
import type { PackageFormatModule } from './types.js';
import { readZipOtaMetadata } from './zipMetadata.js';

export const PAYLOAD = 'payload.bin';

/**
 * An A/B OTA zip: `payload.bin` (stored, so it is read in place) whose full-payload operations
 * rebuild each partition on demand.
 */
export const abOtaZipFormat: PackageFormatModule = {
  id: 'ab-ota-zip',
  description: 'A/B OTA zip (payload.bin)',
  async detect(probe) {
    return (await probe.zip())?.get(PAYLOAD) !== undefined;
  },
  async open(probe) {
    const zip = await probe.zip();
    const member = zip?.get(PAYLOAD);
    if (zip === null || member === undefined) throw new Error('detect() accepted a package without payload.bin');
    const otaMetadata = await readZipOtaMetadata(zip);
    rejectIncrementalMetadata(probe.name, otaMetadata);
    const payload = await PayloadArchive.open(await zip.openSource(member), { label: PAYLOAD });
    if (payload.isDelta) throw incrementalPackageError(probe.name, otaMetadata, `payload.bin: ${describeDeltaPayload(payload.manifest)}`);
    probe.claim();
    const mounts = new PartitionMounts(probe.name);
    for (const partition of payload.partitions) await mounts.add(partition, PAYLOAD);
    return mounts.finish({
      format: 'ab-ota-zip',
      otaMetadata,
      problems: zip.problems,
      closeContainer: async () => {
        await payload.close();
        await zip.close();
      },
    });
  },
};
