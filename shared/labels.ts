import type { PackageFormat, PartitionSummary } from './model.js';

/** Plain-language names of package formats, for people. */
export const PACKAGE_FORMAT_LABELS: Readonly<Record<PackageFormat, string>> = {
  directory: 'unpacked folder',
  'file-ota-zip': 'file-based OTA zip',
  'ab-ota-zip': 'A/B OTA zip (payload.bin)',
  'block-ota-zip': 'block-based OTA zip (system.new.dat)',
  'factory-zip': 'factory / fastboot image zip',
  'factory-tar': 'factory image archive (tar/tgz)',
  'raw-image': 'partition image',
  'payload-bin': 'A/B OTA payload (payload.bin)',
  'odin-tar': 'Samsung Odin firmware (.tar.md5)',
  'odin-set': 'Samsung Odin firmware set (AP, BL, CP, CSC)',
  'factory-folder': 'folder of partition images',
  'super-empty': 'partition layout without data (super_empty.img)',
  apk: 'Android app (APK)',
};

/** The label for a format; one this version does not know (a newer report) is shown as stored. */
export function formatLabel(format: string): string {
  return Object.hasOwn(PACKAGE_FORMAT_LABELS, format) ? PACKAGE_FORMAT_LABELS[format as PackageFormat] : format;
}

/** A partition as listings name it: `/system` where it is mounted, the bare name (`boot`) where not. */
export function partitionDisplayName(partition: Pick<PartitionSummary, 'name' | 'kind'>): string {
  return partition.kind === 'file-system' || partition.kind === 'apex' ? `/${partition.name}` : partition.name;
}
