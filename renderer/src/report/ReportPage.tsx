import { useEffect, useRef } from 'react';
import type { ComparisonResult } from '../../../shared/model.js';
import { reportTitle } from '../text/format.js';
import { BuildsTable } from './BuildsTable.js';
import { FilesSection } from './FilesSection.js';
import { ProblemsSection } from './ProblemsSection.js';
import { PropertiesSection } from './PropertiesSection.js';

interface ReportPageProps {
  result: ComparisonResult;
  /** Given in the app window; a static report has nothing to go back to. */
  onNewComparison?: () => void;
}

/** The comparison, identical in the app window and in a saved HTML report. */
export function ReportPage({ result, onNewComparison }: ReportPageProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = reportTitle(result.old.file, result.new.file);
    if (onNewComparison !== undefined) headingRef.current?.focus();
  }, [result, onNewComparison]);

  return (
    <main className="page report" data-testid="report">
      <header className="page-header report-header">
        <div>
          <p className="eyebrow">OTA Lens report</p>
          <h1 ref={headingRef} tabIndex={-1} data-testid="report-title">
            <span className="mono">{result.old.file}</span> <span aria-label="compared with">→</span>{' '}
            <span className="mono">{result.new.file}</span>
          </h1>
        </div>
        {onNewComparison !== undefined && (
          <button type="button" onClick={onNewComparison}>
            New comparison
          </button>
        )}
      </header>
      <BuildsTable oldInfo={result.old} newInfo={result.new} />
      <PropertiesSection properties={result.properties} />
      <FilesSection files={result.files} />
      <ProblemsSection problems={result.problems} />
    </main>
  );
}
