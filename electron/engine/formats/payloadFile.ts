import { PayloadArchive } from '../containers/payload/payloadArchive.js';
import { describeDeltaPayload, incrementalPackageError } from './incremental.js';
import { PartitionMounts } from './partitionMounts.js';
import type { PackageFormatModule } from './types.js';

const MAGIC = 'CrAU';

/**
 * A bare `payload.bin`, as payload-dumper users keep it after pulling it out of its A/B OTA zip:
 * a full payload is read like the zip's; a delta payload is refused, naming what it patches (a
 * bare payload has no metadata to name the build it needs, but its manifest has the old
 * partitions' sizes and hashes).
 */
export const payloadFileFormat: PackageFormatModule = {
  id: 'payload-bin',
  description: 'A/B OTA payload (payload.bin)',
  async detect(probe) {
    return !probe.isDirectory && (await probe.head(4)).toString('latin1') === MAGIC;
  },
  async open(probe) {
    // The probe keeps the file and closes it with the package.
    const payload = await PayloadArchive.open(await probe.fileSource(), { label: probe.name });
    if (payload.isDelta) {
      await payload.close();
      throw incrementalPackageError(probe.name, null, describeDeltaPayload(payload.manifest));
    }
    const mounts = new PartitionMounts(probe.name);
    for (const partition of payload.partitions) await mounts.add(partition, probe.name);
    return mounts.finish({ format: 'payload-bin', otaMetadata: null, problems: [], closeContainer: () => payload.close() });
  },
};
