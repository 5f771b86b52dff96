import { useEffect, useState } from 'react';
import { EXPORT_FORMATS, type ExportFormat, type ReportExporter } from './exportFormats.js';

/** Export requests from outside the page (the app menu); returns the unsubscribe function. */
export type ExportRequests = (listener: (format: ExportFormat) => void) => () => void;

/** One button per export format, and a line saying where the last export went. */
export function ExportButtons({ exporter, requests }: { exporter: ReportExporter; requests?: ExportRequests | undefined }) {
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const run = (format: ExportFormat) => {
    setBusy(true);
    exporter(format)
      .then((message) => setStatus(message ?? 'Export cancelled.'))
      .catch((error: unknown) => setStatus(`Could not export: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => setBusy(false));
  };
  useEffect(() => requests?.((format) => run(format)));
  return (
    <div className="export-buttons" role="group" aria-label="Export">
      <span className="export-label" aria-hidden="true">
        Export:
      </span>
      {EXPORT_FORMATS.map(({ format, label }) => (
        <button key={format} type="button" disabled={busy} data-testid={`export-${format}`} aria-label={`Export as ${label}`} onClick={() => run(format)}>
          {format === 'markdown' ? 'Markdown' : format.toUpperCase()}
        </button>
      ))}
      <span role="status" className="copy-status" data-testid="export-status">
        {status}
      </span>
    </div>
  );
}
