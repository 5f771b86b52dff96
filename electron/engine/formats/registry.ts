import { InputError, UnsupportedFormatError } from '../errors.js';
import { abOtaZipFormat } from './abOtaZip.js';
import { apkPackageFormat } from './apkPackage.js';
import { blockOtaZipFormat } from './blockOtaZip.js';
import { directoryFormat } from './directory.js';
import { factoryFolderFormat } from './factoryFolder.js';
import { factoryTarFormat } from './factoryTar.js';
import { factoryZipFormat } from './factoryZip.js';
import { fileOtaZipFormat } from './fileOtaZip.js';
import { odinSetFormat, odinTarFormat } from './odin.js';
import { payloadFileFormat } from './payloadFile.js';
import { rawImageFormat } from './rawImage.js';
import { superEmptyFormat } from './superEmpty.js';
import { PackageProbe } from './probe.js';
import type { OpenedPackage, PackageFormatModule } from './types.js';

/**
 * Tried in order; the first whose detect() says yes opens the package. Zips are told apart by
 * their members (payload.bin, transfer lists, system/ files, images), the rest by magic.
 */
export const PACKAGE_FORMATS: readonly PackageFormatModule[] = [
  odinSetFormat,
  factoryFolderFormat,
  directoryFormat,
  abOtaZipFormat,
  blockOtaZipFormat,
  fileOtaZipFormat,
  factoryZipFormat,
  odinTarFormat,
  factoryTarFormat,
  payloadFileFormat,
  superEmptyFormat,
  rawImageFormat,
  apkPackageFormat,
];

export interface PackageHandle {
  probe: PackageProbe;
  opened: OpenedPackage;
}

/** Opens a package of any supported format; the caller closes it with closePackage. */
export async function openPackage(path: string): Promise<PackageHandle> {
  const probe = await PackageProbe.create(path);
  try {
    for (const format of PACKAGE_FORMATS) {
      if (await format.detect(probe)) return { probe, opened: await format.open(probe) };
    }
    throw await unsupportedError(probe);
  } catch (error) {
    await probe.close();
    throw error;
  }
}

export async function closePackage(handle: PackageHandle): Promise<void> {
  await handle.opened.tree.close();
  await handle.opened.close();
  await handle.probe.close();
}

/** Opens a package, lets `use` read it, and closes it whatever happens. */
export async function withPackage<T>(path: string, use: (handle: PackageHandle) => Promise<T>): Promise<T> {
  const handle = await openPackage(path);
  try {
    return await use(handle);
  } finally {
    await closePackage(handle);
  }
}

async function unsupportedError(probe: PackageProbe): Promise<InputError> {
  if (probe.stats.size === 0) return new UnsupportedFormatError('the file is empty', { file: probe.name, format: 'file', offset: 0 });
  const zip = await probe.zip();
  if (zip !== null) {
    return new UnsupportedFormatError('a zip file, but not a firmware package: no payload.bin, transfer list, system/ files or partition images', {
      file: probe.name,
      format: 'zip',
      expected: 'an OTA or factory image zip',
    });
  }
  const head = await probe.head(8);
  return new UnsupportedFormatError(`not a recognised firmware package (starts with ${head.toString('hex') || 'nothing'})`, {
    file: probe.name,
    format: 'file',
    offset: 0,
    expected: 'a zip, a tar/tgz, a partition image (ext4, EROFS, sparse, super) or an unpacked folder',
  });
}
