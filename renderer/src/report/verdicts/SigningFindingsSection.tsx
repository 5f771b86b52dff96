import type { AppDiff, SigningFinding } from '../../../../shared/appDiff.js';
import { DevicePath } from '../DevicePath.js';
import { ReportSection } from '../ReportSection.js';
import { appDetailHash } from '../views/inspectorViews.js';

const BUILDS_WORDS: Record<SigningFinding['builds'], string> = { new: 'new in this build', both: 'in both builds', old: 'no longer' };

interface SigningFindingsSectionProps {
  id: string;
  title: string;
  intro: string;
  findings: readonly SigningFinding[];
  /** Packages with an app detail view (listed among added, removed or changed apps). */
  apps: AppDiff;
  /** Said when there is nothing to show; the section is left out when this is undefined. */
  empty?: string;
}

/** Who signs the apps: one plain sentence per finding, the app one click away when it has a detail view. */
export function SigningFindingsSection({ id, title, intro, findings, apps, empty }: SigningFindingsSectionProps) {
  if (findings.length === 0 && empty === undefined) return null;
  const withDetail = new Set([...apps.profiles.old, ...apps.profiles.new].map((profile) => profile.package));
  return (
    <ReportSection id={id} title={title} intro={intro} className={id === 'test-keys' && findings.length > 0 ? 'warning-section' : undefined}>
      {findings.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <ul className="signing-findings">
          {findings.map((finding) => (
            <li key={`${finding.kind}\u0000${finding.package}\u0000${finding.path}`} className={`signing-finding finding-${finding.kind} builds-${finding.builds}`} data-testid="signing-finding" data-kind={finding.kind} data-package={finding.package} data-builds={finding.builds}>
              <span className="finding-mark" aria-hidden="true">
                {finding.builds === 'old' ? '·' : finding.kind === 'signer-changed' ? '~' : '⚠'}
              </span>{' '}
              {finding.summary} <span className="muted">({BUILDS_WORDS[finding.builds]})</span>
              <br />
              {withDetail.has(finding.package) ? (
                <a href={appDetailHash(finding.package)} data-testid="signing-finding-app">
                  <DevicePath path={finding.path} />
                </a>
              ) : (
                <DevicePath path={finding.path} />
              )}
            </li>
          ))}
        </ul>
      )}
    </ReportSection>
  );
}
