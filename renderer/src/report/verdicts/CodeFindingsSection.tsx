import type { AppDiff } from '../../../../shared/appDiff.js';
import { summariseCode } from '../../../../shared/codeDiff.js';
import { countOf } from '../../text/format.js';
import { DevicePath } from '../DevicePath.js';
import { ReportSection } from '../ReportSection.js';
import { appDetailHash } from '../views/inspectorViews.js';

/**
 * What the new build brings the apps' code: how many apps gained a tracker or a server and which,
 * one sentence per app, each one click from the app's Code section.
 */
export function CodeFindingsSection({ apps }: { apps: AppDiff }) {
  if (apps.codeFindings === undefined) return null;
  const findings = apps.codeFindings;
  const summary = summariseCode(findings);
  return (
    <ReportSection
      id="code-findings"
      title="Trackers and servers"
      intro="SDKs are known by the classes in the apps' code; servers by the URLs and host names in their code, resources and XML. Code shows what an app can do, not whether a setting is on by default."
      className={summary.gainedTrackers.length + summary.newAppsWithTrackers.length > 0 ? 'warning-section' : undefined}
    >
      <p data-testid="code-findings-counts">
        {countOf(summary.gainedTrackers.length, 'app')} gained a tracker, {countOf(summary.gainedServers.length, 'app')} a server;{' '}
        {countOf(summary.newAppsWithTrackers.length, 'new app')} {summary.newAppsWithTrackers.length === 1 ? 'carries' : 'carry'} trackers.
      </p>
      {findings.length === 0 ? (
        <p className="empty">No app gained a tracker, an SDK or a server.</p>
      ) : (
        <ul className="signing-findings code-findings">
          {findings.map((finding) => (
            <li key={finding.package} className={`signing-finding code-finding code-finding-${finding.app}`} data-testid="code-finding" data-package={finding.package} data-app={finding.app}>
              <span className="finding-mark" aria-hidden="true">
                {finding.trackersAdded.length > 0 ? '⚠' : '~'}
              </span>{' '}
              {finding.summary}
              <br />
              <a href={appDetailHash(finding.package)} data-testid="code-finding-app">
                <DevicePath path={finding.path} />
              </a>
            </li>
          ))}
        </ul>
      )}
    </ReportSection>
  );
}
