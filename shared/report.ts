/** Id of the `<script type="application/json">` element a static report carries its data in. */
export const REPORT_DATA_ELEMENT_ID = 'otalens-report';

/** The report's title, in the static file's `<title>` and in the window. */
export function reportTitle(oldFile: string, newFile: string): string {
  return `OTA Lens report: ${oldFile} → ${newFile}`;
}
