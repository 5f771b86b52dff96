import type { OtaLensApi } from '../../../shared/api.js';
import type { ComparisonResult } from '../../../shared/model.js';
import type { ReportExporter } from '../report/export/exportFormats.js';

/** Exports through the app: a native save dialog, and the file written by the main process. */
export function appExporter(api: OtaLensApi, result: ComparisonResult): ReportExporter {
  return async (format) => {
    const outcome = await api.exportReport({ format, result });
    switch (outcome.status) {
      case 'saved':
        return `Saved ${outcome.path}.`;
      case 'cancelled':
        return null;
      case 'failed':
        throw new Error(outcome.message);
    }
  };
}
