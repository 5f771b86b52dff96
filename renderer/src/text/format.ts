export { formatLabel } from '../../../shared/labels.js';
export { reportTitle } from '../../../shared/report.js';

/** `1 file`, `3 files`; the plural is given when it is not just `+s`. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}

/** Decimal megabytes with one digit, as disk tools show them: `12.3 MB`. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** A size for people: exact bytes below 1,000, else decimal units with one digit (`12.3 MB`). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return countOf(bytes, 'byte');
  let value = bytes / 1000;
  let index = 0;
  // Compare the rounded value, so 999,960 bytes reads `1.0 MB` rather than `1000.0 KB`.
  while (Number(value.toFixed(1)) >= 1000 && index < BYTE_UNITS.length - 1) {
    value /= 1000;
    index++;
  }
  return `${value.toFixed(1)} ${BYTE_UNITS[index]}`;
}

/** Exact bytes with separators, for a title next to a rounded size. */
export function formatExactBytes(bytes: number): string {
  return countOf(bytes, 'byte');
}
