import type { PackageFormat } from './model.js';

/** Plain-language names of package formats, for people. */
export const PACKAGE_FORMAT_LABELS: Readonly<Record<PackageFormat, string>> = {
  directory: 'unpacked folder',
  'file-ota-zip': 'file-based OTA zip',
};

/** The label for a format; one this version does not know (a newer report) is shown as stored. */
export function formatLabel(format: string): string {
  return Object.hasOwn(PACKAGE_FORMAT_LABELS, format) ? PACKAGE_FORMAT_LABELS[format as PackageFormat] : format;
}
