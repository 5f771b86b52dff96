import { useEffect, useRef } from 'react';
import type { ComparisonResult } from '../../../shared/model.js';
import { reportTitle } from '../text/format.js';
import { AppsSection } from './apps/AppsSection.js';
import { BuildsTable } from './BuildsTable.js';
import { ContentsNav } from './ContentsNav.js';
import { FilesSection } from './FilesSection.js';
import { GrantsSection } from './platform/GrantsSection.js';
import { InitServicesSection } from './platform/InitServicesSection.js';
import { SettingsSection } from './platform/SettingsSection.js';
import { SysconfigSection } from './platform/SysconfigSection.js';
import { ProblemsSection } from './ProblemsSection.js';
import { PropertiesSection } from './PropertiesSection.js';
import { reportContents } from './reportContents.js';
import { TextDiffsSection } from './TextDiffsSection.js';
import { ClaimsSection } from './verdicts/ClaimsSection.js';
import { OtherDefaultsSection } from './verdicts/OtherDefaultsSection.js';
import { VerdictsSection } from './verdicts/VerdictsSection.js';

interface ReportPageProps {
  result: ComparisonResult;
  /** Given in the app window; a static report has nothing to go back to. */
  onNewComparison?: () => void;
}

/** The comparison, identical in the app window and in a saved HTML report: the answer first, then the detail. */
export function ReportPage({ result, onNewComparison }: ReportPageProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = reportTitle(result.old.file, result.new.file);
    if (onNewComparison !== undefined) headingRef.current?.focus();
  }, [result, onNewComparison]);
  const partial = result.problems.old.length + result.problems.new.length > 0;

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
      <ContentsNav entries={reportContents(result)} />
      <VerdictsSection features={result.features} partial={partial} />
      <ClaimsSection claims={result.claims} />
      <OtherDefaultsSection changes={result.otherDefaultChanges} />
      <BuildsTable oldInfo={result.old} newInfo={result.new} />
      <AppsSection apps={result.apps} />
      <SettingsSection settings={result.settings} />
      <GrantsSection grants={result.permissionGrants} />
      <SysconfigSection sysconfig={result.sysconfig} />
      <InitServicesSection services={result.initServices} />
      <PropertiesSection properties={result.properties} />
      <FilesSection files={result.files} />
      <TextDiffsSection diffs={result.textDiffs} />
      <ProblemsSection problems={result.problems} />
    </main>
  );
}
