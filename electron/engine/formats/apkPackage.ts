import { InputError } from '../errors.js';
import { locateCentralDirectory } from '../zip/endOfCentralDirectory.js';
import { ZipArchive } from '../zip/zipArchive.js';
import { zipMembersTree } from '../zip/zipTree.js';
import { DeviceTree, ROOT_MOUNT } from '../vfs/deviceTree.js';
import type { PackageProbe } from './probe.js';
import type { PackageFormatModule } from './types.js';

const MANIFEST = 'AndroidManifest.xml';

/**
 * An APK given as the package: its members are the device tree (`/AndroidManifest.xml`,
 * `/res/…`), so `ls`, `cat --decode` and `!/` work on it as on a firmware package. Found by its
 * End of Central Directory record, as `otalens apk` and Android find it, so data in front of the
 * first entry (a Janus APK) does not hide it.
 */
export const apkPackageFormat: PackageFormatModule = {
  id: 'apk',
  description: 'Android app (APK)',
  async detect(probe) {
    if (probe.isDirectory) return false;
    const zip = await apkZip(probe);
    return zip !== null && zip.get(MANIFEST) !== undefined;
  },
  async open(probe) {
    const zip = await apkZip(probe);
    if (zip === null) throw new Error('detect() accepted a file that is not a zip');
    probe.claim();
    const problems = [...zip.problems];
    const tree = await zipMembersTree(zip, problems);
    return {
      format: 'apk',
      tree: new DeviceTree(new Map([[ROOT_MOUNT, tree]]), probe.name),
      otaMetadata: null,
      // An app has no partitions: its members are the tree's root.
      partitions: [],
      problems,
      close: () => zip.close(),
    };
  },
};

const opened = new WeakMap<PackageProbe, Promise<ZipArchive | null>>();

/** The file as a zip: the probe's when it starts like one, else one found by its End of Central Directory record. */
function apkZip(probe: PackageProbe): Promise<ZipArchive | null> {
  let zip = opened.get(probe);
  if (zip === undefined) {
    zip = (async () => {
      const started = await probe.zip();
      if (started !== null) return started;
      const source = await probe.fileSource();
      try {
        await locateCentralDirectory(source, probe.name);
      } catch (error) {
        if (error instanceof InputError) return null;
        throw error;
      }
      return ZipArchive.open(source);
    })();
    opened.set(probe, zip);
  }
  return zip;
}
