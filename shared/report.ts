/** Id of the `<script type="application/json">` element a static report carries its data in. */
export const REPORT_DATA_ELEMENT_ID = 'otalens-report';

/** The report's title, in the static file's `<title>` and in the window. */
export function reportTitle(oldFile: string, newFile: string): string {
  return `OTA Lens report: ${oldFile} → ${newFile}`;
}

/** The title of a timeline report: `OTA Lens timeline: 4 builds (first.zip … last.zip)`. */
export function timelineTitle(files: readonly string[]): string {
  return `OTA Lens timeline: ${files.length} builds (${files[0] ?? ''} … ${files.at(-1) ?? ''})`;
}
