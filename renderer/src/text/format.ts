import type { PackageFormat } from '../../../shared/model.js';

/** `1 file`, `3 files`; the plural is given when it is not just `+s`. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}

/** Decimal megabytes with one digit, as disk tools show them: `12.3 MB`. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

const FORMAT_LABELS: Record<PackageFormat, string> = {
  'file-ota-zip': 'OTA package (zip)',
  directory: 'Folder',
};

/** A plain-words name for a package format; a format this viewer does not know is shown as stored. */
export function formatLabel(format: string): string {
  return Object.hasOwn(FORMAT_LABELS, format) ? FORMAT_LABELS[format as PackageFormat] : format;
}

/** Same wording as the static report's `<title>`, built by electron/report/htmlReport.ts. */
export function reportTitle(oldFile: string, newFile: string): string {
  return `OTA Lens report: ${oldFile} → ${newFile}`;
}
