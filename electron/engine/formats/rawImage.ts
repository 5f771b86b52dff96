import { isSparseImage } from '../containers/sparse.js';
import { isSuperImage } from '../containers/superImage.js';
import { detectFileSystem } from '../fs/registry.js';
import type { ByteSource } from '../io/byteSource.js';
import { imagePartitionName } from './imageMembers.js';
import { isPartitionName } from './partitions.js';
import { PartitionMounts } from './partitionMounts.js';
import type { PackageFormatModule } from './types.js';

/** Reads through the caller's file without closing it: the probe owns the file. */
function borrowed(source: ByteSource): ByteSource {
  return { name: source.name, size: source.size, read: (offset, length) => source.read(offset, length), close: async () => {} };
}

/**
 * One partition image on its own: raw or sparse ext4/EROFS (`system.img`), or a super.img. It is
 * mounted under its file's partition name (`vendor.img` → /vendor), /system otherwise.
 */
export const rawImageFormat: PackageFormatModule = {
  id: 'raw-image',
  description: 'partition image',
  async detect(probe) {
    if (probe.isDirectory) return false;
    const source = await probe.fileSource();
    return (await isSparseImage(source)) || (await isSuperImage(source)) || (await detectFileSystem(source)) !== null;
  },
  async open(probe) {
    const file = await probe.fileSource();
    const named = imagePartitionName(probe.name);
    const name = (await isSuperImage(file)) ? 'super' : named !== null && isPartitionName(named) ? named : 'system';
    const mounts = new PartitionMounts(probe.name);
    await mounts.add({ name, size: file.size, open: async () => borrowed(file) }, probe.name);
    return mounts.finish({ format: 'raw-image', otaMetadata: null, problems: [], closeContainer: async () => {} });
  },
};
