import { exportFileName } from '../../../../shared/api.js';
import type { ComparisonResult } from '../../../../shared/model.js';
import { EXPORT_FORMATS, exportText, type ReportExporter } from './exportFormats.js';

/**
 * Exports from a static report by download: the data is already in the page, so nothing is
 * fetched. `sourceHtml` gives the report file as it was parsed, before the viewer rendered into it.
 */
export function downloadExporter(result: ComparisonResult, sourceHtml: () => string): ReportExporter {
  return (format) => {
    const spec = EXPORT_FORMATS.find((candidate) => candidate.format === format);
    if (spec === undefined) return Promise.resolve(null);
    const text = format === 'html' ? sourceHtml() : exportText(result, format);
    const name = exportFileName(result.old.file, result.new.file, format);
    const url = URL.createObjectURL(new Blob([text], { type: spec.mime }));
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = name;
    anchor.click();
    // The download has taken its copy once the click is handled.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return Promise.resolve(`Downloaded ${name}.`);
  };
}
