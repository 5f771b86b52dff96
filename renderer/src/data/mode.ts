import type { OtaLensApi } from '../../../shared/api.js';
import type { ComparisonResult } from '../../../shared/model.js';
import type { TimelineResult } from '../../../shared/timeline.js';
import { parseEmbeddedData, REPORT_DATA_ELEMENT_ID, ReportDataError } from './embeddedResult.js';

export type AppMode =
  | { kind: 'live'; api: OtaLensApi }
  | { kind: 'report'; result: ComparisonResult; sourceHtml: () => string }
  | { kind: 'timeline'; result: TimelineResult }
  | { kind: 'broken'; message: string };

/** A page with embedded report data is a static report; otherwise it needs the `window.otalens` bridge. */
export function detectMode(win: Window): AppMode {
  const dataElement = win.document.getElementById(REPORT_DATA_ELEMENT_ID);
  if (dataElement !== null) {
    try {
      const data = parseEmbeddedData(dataElement.textContent ?? '');
      if (data.kind === 'timeline') return { kind: 'timeline', result: data.result };
      return { kind: 'report', result: data.result, sourceHtml: () => reportSource(win.document) };
    } catch (error) {
      if (error instanceof ReportDataError) return { kind: 'broken', message: error.message };
      throw error;
    }
  }
  if (win.otalens !== undefined) return { kind: 'live', api: win.otalens };
  return {
    kind: 'broken',
    message: 'This page has no comparison to show. Open it from the OTA Lens app, or open a report file saved by OTA Lens.',
  };
}

/**
 * The report file again, for "Export HTML": the page as parsed, minus what the viewer rendered
 * into #root (it renders again when the saved copy opens). Built on demand so a large report is
 * not held twice.
 */
function reportSource(document: Document): string {
  const copy = document.documentElement.cloneNode(true) as HTMLElement;
  copy.querySelector('#root')?.replaceChildren();
  return `<!DOCTYPE html>\n${copy.outerHTML}`;
}
