import { tmpdir } from 'node:os';
import type { Problem } from '../../../shared/model.js';
import { TarArchive } from '../containers/tar/tarArchive.js';
import { InputError } from '../errors.js';
import { ZipArchive } from '../zip/zipArchive.js';
import { findPartitionImages, zipPartitionImages, type FoundImage, type ImageFile } from './imageMembers.js';
import { PartitionMounts } from './partitionMounts.js';
import type { PackageFormatModule } from './types.js';

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const USTAR_OFFSET = 257;

/**
 * A factory image archive (`.tgz`/`.tar`): partition images directly (`images/system.img`, maybe
 * compressed or split into sparse chunks) or in an inner zip (`image-<device>-<build>.zip`, as Pixel factory images ship). A gzip archive is
 * decompressed once into a temporary file (deleted on close), since it cannot be read at random.
 */
export const factoryTarFormat: PackageFormatModule = {
  id: 'factory-tar',
  description: 'factory image archive (tar/tgz)',
  async detect(probe) {
    if (probe.isDirectory) return false;
    const head = await probe.head(USTAR_OFFSET + 5);
    return head.subarray(0, 2).equals(GZIP_MAGIC) || head.subarray(USTAR_OFFSET, USTAR_OFFSET + 5).toString('latin1') === 'ustar';
  },
  async open(probe) {
    const tar = await TarArchive.open(await probe.fileSource(), { spoolDirectory: tmpdir() });
    probe.claim();
    const innerZips: ZipArchive[] = [];
    const mounts = new PartitionMounts(probe.name);
    const problems: Problem[] = [...tar.problems];
    const closeContainer = async (): Promise<void> => {
      for (const zip of innerZips) await zip.close();
      await tar.close();
    };
    try {
      const imageFiles: ImageFile[] = [];
      const nested: FoundImage[] = [];
      for (const member of tar.members) {
        if (member.type !== 'file') continue;
        if (member.name.endsWith('.zip')) {
          try {
            const zip = await ZipArchive.open(member.open());
            innerZips.push(zip);
            problems.push(...zip.problems);
            for (const { image, origin } of zipPartitionImages(zip)) nested.push({ image, origin: `${member.name} › ${origin}` });
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
            problems.push({ path: member.name, message: `inner zip not read: ${error.message}` });
          }
        } else {
          imageFiles.push({ name: member.name, size: member.size, open: async () => member.open() });
        }
      }
      const images = [...findPartitionImages(imageFiles), ...nested];
      for (const { image, origin } of images) await mounts.add(image, origin);
      return await mounts.finish({ format: 'factory-tar', otaMetadata: null, problems, closeContainer });
    } catch (error) {
      await mounts.close();
      await closeContainer();
      throw error;
    }
  },
};
