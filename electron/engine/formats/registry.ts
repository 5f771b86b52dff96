import { InputError, UnsupportedFormatError } from '../errors.js';
import { directoryFormat } from './directory.js';
import { fileOtaZipFormat } from './fileOtaZip.js';
import { PackageProbe } from './probe.js';
import type { OpenedPackage, PackageFormatModule } from './types.js';

/** Tried in order; the first whose detect() says yes opens the package. */
export const PACKAGE_FORMATS: readonly PackageFormatModule[] = [directoryFormat, fileOtaZipFormat];

/** Package kinds recognised well enough to name, but not opened yet: the message says what it is. */
const KNOWN_UNSUPPORTED_ZIP_MEMBERS: readonly { member: string; kind: string }[] = [
  { member: 'payload.bin', kind: 'an A/B OTA package (payload.bin)' },
  { member: 'system.transfer.list', kind: 'a block-based OTA package (system.transfer.list + system.new.dat)' },
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

async function unsupportedError(probe: PackageProbe): Promise<InputError> {
  if (probe.stats.size === 0) return new UnsupportedFormatError('the file is empty', { file: probe.name, format: 'file', offset: 0 });
  const zip = await probe.zip();
  if (zip !== null) {
    for (const { member, kind } of KNOWN_UNSUPPORTED_ZIP_MEMBERS) {
      if (zip.get(member) !== undefined) {
        return new UnsupportedFormatError(`${kind}: this kind of package is not supported yet`, { file: probe.name, format: 'zip' });
      }
    }
    return new UnsupportedFormatError('a zip file, but not a firmware package: no system/ files and no payload', {
      file: probe.name,
      format: 'zip',
      expected: 'system/… members (file-based OTA)',
    });
  }
  const head = await probe.head(8);
  return new UnsupportedFormatError(`not a recognised firmware package (starts with ${head.toString('hex') || 'nothing'})`, {
    file: probe.name,
    format: 'file',
    offset: 0,
    expected: 'a zip (PK\\x03\\x04) or an unpacked folder',
  });
}
