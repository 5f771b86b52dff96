import type { AppMode } from './data/mode.js';
import { LiveApp } from './live/LiveApp.js';
import { downloadExporter } from './report/export/downloadExporter.js';
import { ReportPage } from './report/ReportPage.js';
import { TimelinePage } from './timeline/TimelinePage.js';

export function App({ mode }: { mode: AppMode }) {
  switch (mode.kind) {
    case 'live':
      return <LiveApp api={mode.api} />;
    case 'report':
      return <ReportPage result={mode.result} exporter={downloadExporter(mode.result, mode.sourceHtml)} />;
    case 'timeline':
      return <TimelinePage result={mode.result} />;
    case 'broken':
      return (
        <main className="page">
          <div className="notice" role="alert" data-testid="notice">
            <h1 className="notice-title">Nothing to show</h1>
            <p className="notice-message" data-testid="notice-message">{mode.message}</p>
          </div>
        </main>
      );
  }
}
