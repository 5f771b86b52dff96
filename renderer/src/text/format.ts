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
