import { BOOT_MAGIC, VENDOR_BOOT_MAGIC } from '../boot/bootHeader.js';
import { isSparseImage } from '../containers/sparse.js';
import { isSuperImage } from '../containers/superImage.js';
import { detectFileSystem } from '../fs/registry.js';
import { viewOf, type ByteSource } from '../io/byteSource.js';
import { imagePartitionName } from './imageMembers.js';
import { isMountableName, isPartitionName } from './partitions.js';
import { PartitionMounts } from './partitionMounts.js';
import type { PackageFormatModule } from './types.js';

/**
 * One partition image on its own: raw or sparse ext4/EROFS (`system.img`), a super.img, or a boot
 * image (`boot.img`, `init_boot.img`, `vendor_boot.img`). It is named after its file
 * (`vendor.img` → /vendor, `my_product.img` → /my_product); a file system image of another name
 * mounts at /system, a boot image of another name is `boot` (or `vendor_boot`).
 */
export const rawImageFormat: PackageFormatModule = {
  id: 'raw-image',
  description: 'partition image',
  async detect(probe) {
    if (probe.isDirectory) return false;
    const source = await probe.fileSource();
    return (await isSparseImage(source)) || (await isSuperImage(source)) || (await bootMagic(source)) !== null || (await detectFileSystem(source)) !== null;
  },
  async open(probe) {
    const file = await probe.fileSource();
    const named = imagePartitionName(probe.name);
    const name = await partitionNameOf(file, named);
    const mounts = new PartitionMounts(probe.name);
    await mounts.add({ name, size: file.size, open: async () => viewOf(file) }, probe.name);
    return mounts.finish({ format: 'raw-image', otaMetadata: null, problems: [], closeContainer: async () => {} });
  },
};

async function bootMagic(source: ByteSource): Promise<'boot' | 'vendor_boot' | null> {
  if (source.size < 8) return null;
  const magic = (await source.read(0, 8)).toString('latin1');
  return magic === BOOT_MAGIC ? 'boot' : magic === VENDOR_BOOT_MAGIC ? 'vendor_boot' : null;
}

async function partitionNameOf(file: ByteSource, named: string | null): Promise<string> {
  if (await isSuperImage(file)) return 'super';
  const boot = await bootMagic(file);
  if (boot !== null) return named !== null && isMountableName(named) ? named : boot;
  return named !== null && isPartitionName(named) ? named : 'system';
}
