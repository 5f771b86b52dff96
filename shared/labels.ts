import type { PackageFormat } from './model.js';

/** Plain-language names of package formats, for people. */
export const PACKAGE_FORMAT_LABELS: Readonly<Record<PackageFormat, string>> = {
  directory: 'unpacked folder',
  'file-ota-zip': 'file-based OTA zip',
};
