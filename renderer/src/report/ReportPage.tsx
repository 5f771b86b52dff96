import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { OtaLensApi } from '../../../shared/api.js';
import type { ComparisonResult } from '../../../shared/model.js';
import { reportTitle } from '../text/format.js';
import { AppsSection } from './apps/AppsSection.js';
import { BuildStrip } from './BuildStrip.js';
import { BuildsTable } from './BuildsTable.js';
import { CopySummaryButton } from './CopySummaryButton.js';
import { ExportButtons, type ExportRequests } from './export/ExportButtons.js';
import type { ReportExporter } from './export/exportFormats.js';
import { EvidenceFileDialog } from './evidence/EvidenceFileDialog.js';
import { EvidenceViewerContext } from './evidence/evidenceViewer.js';
import { useFileViewer } from './evidence/useFileViewer.js';
import { FileBrowserSection } from './files/FileBrowserSection.js';
import { FileTextReaderContext } from './files/fileTextReader.js';
import { FilesSection } from './FilesSection.js';
import { SettingsView } from './platform/SettingsView.js';
import { ProblemsSection } from './ProblemsSection.js';
import { TextDiffsSection } from './TextDiffsSection.js';
import { ClaimCheckerSection } from './verdicts/ClaimCheckerSection.js';
import { ClaimsSection } from './verdicts/ClaimsSection.js';
import { CodeFindingsSection } from './verdicts/CodeFindingsSection.js';
import { leadingFindings, otherFindings } from '../../../shared/signingFindings.js';
import { OtherDefaultsSection } from './verdicts/OtherDefaultsSection.js';
import { SigningFindingsSection } from './verdicts/SigningFindingsSection.js';
import { RuleFilesNote } from './verdicts/RuleFilesNote.js';
import { VerdictsSection } from './verdicts/VerdictsSection.js';
import { inspectorViews, type InspectorRoute, type InspectorView, type ViewId } from './views/inspectorViews.js';
import { useInspectorRoute } from './views/useInspectorRoute.js';
import { ViewNav } from './views/ViewNav.js';
import { SecurityAlertSection } from './security/SecurityAlertSection.js';
import { SecurityView } from './security/SecurityView.js';

interface ReportPageProps {
  result: ComparisonResult;
  /** Given in the app window; a static report has nothing to go back to. */
  onNewComparison?: () => void;
  /** How to save the comparison: downloads in a static report, a save dialog in the app. */
  exporter?: ReportExporter;
  /** Export requests from the app menu, in the window. */
  exportRequests?: ExportRequests;
  /** Reads a file of a compared package as text, in the window. */
  readFileText?: OtaLensApi['readFileText'];
}

/** The comparison, identical in the app window and in a saved HTML report: the answer first, then the detail. */
export function ReportPage({ result, onNewComparison, exporter, exportRequests, readFileText }: ReportPageProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = reportTitle(result.old.file, result.new.file);
    if (onNewComparison !== undefined) headingRef.current?.focus();
  }, [result, onNewComparison]);
  const partial = result.problems.old.length + result.problems.new.length > 0;
  const files = useFileViewer(result, readFileText);

  const views = useMemo(() => inspectorViews(result), [result]);
  const { route, navigated } = useInspectorRoute(views);
  const panel = (id: ViewId, children: ReactNode) => {
    const view = views.find((candidate) => candidate.id === id);
    return view === undefined ? null : (
      <ViewPanel view={view} route={route} navigated={navigated}>
        {children}
      </ViewPanel>
    );
  };

  return (
    <EvidenceViewerContext.Provider value={files.viewer}>
      <FileTextReaderContext.Provider value={files.reader}>
      <main className="page report" data-testid="report">
        <header className="page-header report-header">
          <div>
            <p className="eyebrow">OTA Lens report</p>
            <h1 ref={headingRef} tabIndex={-1} data-testid="report-title">
              <span className="mono">{result.old.file}</span> <span aria-label="compared with">→</span>{' '}
              <span className="mono">{result.new.file}</span>
            </h1>
          </div>
          <div className="header-actions">
            <CopySummaryButton result={result} />
            {exporter !== undefined && <ExportButtons exporter={exporter} requests={exportRequests} />}
            {onNewComparison !== undefined && (
              <button type="button" onClick={onNewComparison}>
                New comparison
              </button>
            )}
          </div>
        </header>
        <ViewNav views={views} current={route.view} />
        {panel(
          'summary',
          <>
            <BuildStrip oldInfo={result.old} newInfo={result.new} />
            <SigningFindingsSection
              id="test-keys"
              title="Apps signed with AOSP's public test keys"
              intro="Android's source code publishes these keys with their private halves: anyone can sign an update that replaces these apps, with their permissions and data."
              findings={leadingFindings(result.apps.signingFindings)}
              apps={result.apps}
            />
            <VerdictsSection features={result.features} partial={partial} />
            <RuleFilesNote ruleFiles={result.ruleFiles} />
            <SecurityAlertSection security={result.security} />
            <ClaimCheckerSection features={result.features} keys={result.claimableKeys} />
            <ClaimsSection claims={result.claims} keyClaims={result.keyClaims} />
            <OtherDefaultsSection changes={result.otherDefaultChanges} />
            <SigningFindingsSection
              id="signatures"
              title="Signatures"
              intro="Apps whose signatures do not verify as Android checks them, apps that gained or lost the platform key (the certificate of framework-res.apk), and apps signed by someone else than before."
              findings={otherFindings(result.apps.signingFindings)}
              apps={result.apps}
              empty="Every app verifies, no app gained or lost the platform key, and no app changed signer."
            />
            <CodeFindingsSection apps={result.apps} />
            <BuildsTable oldInfo={result.old} newInfo={result.new} />
          </>,
        )}
        {panel('security', <SecurityView security={result.security} />)}
        {panel('apps', <AppsSection apps={result.apps} openApp={route.view === 'apps' ? route.app : undefined} />)}
        {panel('settings', <SettingsView diffs={result} />)}
        {panel(
          'files',
          <>
            <FileBrowserSection files={result.files} textDiffs={result.textDiffs} openPath={route.view === 'files' ? route.file : undefined} navigated={navigated} />
            <FilesSection files={result.files} />
            <TextDiffsSection diffs={result.textDiffs} />
          </>,
        )}
        {panel('problems', <ProblemsSection problems={result.problems} />)}
        {files.target !== null && <EvidenceFileDialog files={files.texts} target={files.target} inFiles={files.viewer.inFiles(files.target.path)} onClose={files.close} />}
      </main>
      </FileTextReaderContext.Provider>
    </EvidenceViewerContext.Provider>
  );
}

interface ViewPanelProps {
  view: InspectorView;
  route: InspectorRoute;
  navigated: number;
  children: ReactNode;
}

/**
 * One view. Every view stays mounted, so filters and sort orders survive switching and printing
 * shows them all; only the current one is displayed. After the user moves to a view, focus goes
 * to it (or to the section the address names), so keyboard and screen reader users land there.
 */
function ViewPanel({ view, route, navigated, children }: ViewPanelProps) {
  const panelRef = useRef<HTMLDivElement>(null);
  const active = route.view === view.id;
  useEffect(() => {
    if (!active || (navigated === 0 && route.section === undefined)) return;
    const section = route.section === undefined ? null : document.getElementById(route.section);
    if (section !== null) {
      section.scrollIntoView({ block: 'start' });
      return;
    }
    // An app's detail and a file picked in the tree take focus themselves.
    if (route.app !== undefined || route.file !== undefined) return;
    window.scrollTo(0, 0);
    panelRef.current?.focus({ preventScroll: true });
  }, [active, navigated, route.section, route.app, route.file]);
  return (
    <div ref={panelRef} className="view" role="region" aria-label={view.title} tabIndex={-1} hidden={!active} data-testid={`view-${view.id}`}>
      {children}
    </div>
  );
}
