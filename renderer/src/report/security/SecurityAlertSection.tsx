import { seriousFindings } from '../../../../shared/securityDiff.js';
import type { SecurityDiff } from '../../../../shared/security.js';
import { ReportSection } from '../ReportSection.js';
import { routeHash } from '../views/inspectorViews.js';

/** In the Summary, right after the verdicts: what weakens the device, with a way to the Security view. */
export function SecurityAlertSection({ security }: { security: SecurityDiff | undefined }) {
  const serious = seriousFindings(security);
  if (serious.length === 0) return null;
  return (
    <ReportSection id="security-alert" title="Security: what weakens the device" className="warning-section">
      <ul className="security-findings">
        {serious.map((finding, index) => (
          <li key={`${finding.kind}\u0000${finding.subject}\u0000${index}`} className="security-finding severity-serious" data-testid="security-alert-finding" data-kind={finding.kind}>
            <span className="finding-mark" aria-hidden="true">
              ✘
            </span>{' '}
            {finding.summary}
          </li>
        ))}
      </ul>
      <p>
        <a href={routeHash({ view: 'security' })} data-testid="security-alert-link">
          Every security finding, with its evidence
        </a>
      </p>
    </ReportSection>
  );
}
