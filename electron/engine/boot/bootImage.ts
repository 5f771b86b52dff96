import type { BootImageInfo, BootInfo, Problem } from '../../../shared/model.js';
import { compareStrings } from '../../../shared/sort.js';
import { InputError } from '../errors.js';
import type { ByteSource } from '../io/byteSource.js';
import { readBootHeader } from './bootHeader.js';
import { findKernelBanner, type KernelBanner } from './kernelBanner.js';

/**
 * A boot image's facts: its header's OS version and patch level, and the kernel release from the
 * kernel banner. A kernel whose banner cannot be decoded leaves the version unknown and is
 * reported; the header facts still stand. Null when `source` is no boot image.
 */
export async function readBootImage(partition: string, source: ByteSource, problems: Problem[]): Promise<BootImageInfo | null> {
  const header = await readBootHeader(source, partition);
  if (header === null) return null;
  let kernel: KernelBanner = { banner: null, release: null, encoding: 'unknown' };
  if (header.kernel.size === 0) {
    kernel = { banner: null, release: null, encoding: 'none' };
  } else {
    try {
      kernel = await findKernelBanner(source, header.kernel.offset, header.kernel.size);
      if (kernel.banner === null) problems.push({ path: `/${partition}`, message: `no "Linux version" banner found in the kernel (${kernel.encoding === 'unknown' ? 'stored in a form OTA Lens does not decode' : kernel.encoding})` });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push({ path: `/${partition}`, message: `kernel version not read: ${error.message}` });
    }
  }
  return {
    partition,
    kind: header.kind,
    headerVersion: header.headerVersion,
    osVersion: header.osVersion,
    securityPatch: header.securityPatch,
    kernelVersion: kernel.release,
    kernelBanner: kernel.banner,
    kernelEncoding: kernel.encoding,
  };
}

/** The order a reader looks at boot images in: the boot image first, the ramdisk's next. */
const PREFERENCE = ['boot', 'init_boot', 'recovery', 'vendor_boot', 'vendor_kernel_boot'];
const rank = (partition: string): number => {
  const index = PREFERENCE.indexOf(partition);
  return index === -1 ? PREFERENCE.length : index;
};

/** The package's boot facts from its boot images (null when there are none). */
export function summarizeBoot(images: readonly BootImageInfo[]): BootInfo | null {
  if (images.length === 0) return null;
  const ordered = [...images].sort((a, b) => rank(a.partition) - rank(b.partition) || compareStrings(a.partition, b.partition));
  return {
    securityPatch: ordered.find((image) => image.securityPatch !== null)?.securityPatch ?? null,
    osVersion: ordered.find((image) => image.osVersion !== null)?.osVersion ?? null,
    kernelVersion: ordered.find((image) => image.kernelVersion !== null)?.kernelVersion ?? null,
    images: [...images].sort((a, b) => compareStrings(a.partition, b.partition)),
  };
}
