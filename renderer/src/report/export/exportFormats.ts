import type { ExportFormat } from '../../../../shared/api.js';
import type { ComparisonResult } from '../../../../shared/model.js';
import { markdownSummary } from '../../../../shared/summary.js';

export type { ExportFormat } from '../../../../shared/api.js';

export const EXPORT_FORMATS: readonly { format: ExportFormat; label: string; mime: string }[] = [
  { format: 'html', label: 'HTML report', mime: 'text/html;charset=utf-8' },
  { format: 'json', label: 'JSON', mime: 'application/json;charset=utf-8' },
  { format: 'markdown', label: 'Markdown summary', mime: 'text/markdown;charset=utf-8' },
];

/** Saves the comparison in one format; resolves a sentence saying where it went, or null when the user cancelled. */
export type ReportExporter = (format: ExportFormat) => Promise<string | null>;

/** The text of a JSON or Markdown export (the same as the app writes); HTML is the report page itself. */
export function exportText(result: ComparisonResult, format: 'json' | 'markdown'): string {
  return format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : markdownSummary(result);
}
