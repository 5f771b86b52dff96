import type { PackageFormat } from './model.js';

/** Plain-language names of package formats, for people. */
export const PACKAGE_FORMAT_LABELS: Readonly<Record<PackageFormat, string>> = {
  directory: 'unpacked folder',
  'file-ota-zip': 'file-based OTA zip',
  'ab-ota-zip': 'A/B OTA zip (payload.bin)',
  'block-ota-zip': 'block-based OTA zip (system.new.dat)',
  'factory-zip': 'factory / fastboot image zip',
  'factory-tar': 'factory image archive (tar/tgz)',
  'raw-image': 'partition image',
  apk: 'Android app (APK)',
};

/** The label for a format; one this version does not know (a newer report) is shown as stored. */
export function formatLabel(format: string): string {
  return Object.hasOwn(PACKAGE_FORMAT_LABELS, format) ? PACKAGE_FORMAT_LABELS[format as PackageFormat] : format;
}
