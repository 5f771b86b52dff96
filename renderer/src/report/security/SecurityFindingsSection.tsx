import type { SecurityDiff, SecurityFinding } from '../../../../shared/security.js';
import { EvidenceLink } from '../evidence/EvidenceLink.js';
import { ReportSection } from '../ReportSection.js';

const SEVERITY_WORDS: Record<SecurityFinding['severity'], string> = { serious: 'Weakens the device', notable: 'Worth a look', info: 'Tightened or gone' };
const MARKS: Record<SecurityFinding['severity'], string> = { serious: '✘', notable: '!', info: '·' };

/** One finding: its sentence, then each piece of evidence one click away, on its side. */
function Finding({ finding }: { finding: SecurityFinding }) {
  return (
    <li className={`security-finding severity-${finding.severity}`} data-testid="security-finding" data-kind={finding.kind} data-severity={finding.severity} data-subject={finding.subject}>
      <span className="finding-mark" aria-hidden="true">
        {MARKS[finding.severity]}
      </span>{' '}
      <span data-testid="security-finding-summary">{finding.summary}</span>
      {finding.evidence.length > 0 && (
        <ul className="evidence-list security-evidence">
          {finding.evidence.map((evidence, index) => (
            <li key={`${evidence.side}\u0000${evidence.path}\u0000${index}`} data-testid="security-evidence" data-side={evidence.side}>
              <span className="muted">{evidence.side === 'old' ? 'old build' : 'new build'}: </span>
              <EvidenceLink side={evidence.side} path={evidence.path} line={evidence.line} detail={evidence.detail} testId="security-evidence-path" />{' '}
              <span className="evidence-detail">{evidence.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** Every security finding, most serious first, grouped by how much it matters. */
export function SecurityFindingsSection({ security }: { security: SecurityDiff }) {
  const groups = (['serious', 'notable', 'info'] as const).map((severity) => ({ severity, findings: security.findings.filter((finding) => finding.severity === severity) }));
  return (
    <ReportSection
      id="security-findings"
      title="Security findings"
      intro="Did the update weaken the device? New setuid files and file capabilities, SELinux domains made permissive, weaker build or AVB flags and new root services come first."
      className={groups[0]?.findings.length === 0 ? undefined : 'warning-section'}
    >
      {security.findings.length === 0 ? (
        <p className="empty">No change in file permissions, capabilities, SELinux policy, init services, build or AVB flags that matters for security.</p>
      ) : (
        groups
          .filter((group) => group.findings.length > 0)
          .map((group) => (
            <div key={group.severity} className="security-group">
              <h3>
                {SEVERITY_WORDS[group.severity]} ({group.findings.length})
              </h3>
              <ul className="security-findings">
                {group.findings.map((finding, index) => (
                  <Finding key={`${finding.kind}\u0000${finding.subject}\u0000${index}`} finding={finding} />
                ))}
              </ul>
            </div>
          ))
      )}
      {security.metadataChanges > 0 && (
        <p className="muted" data-testid="security-metadata-changes">
          {security.metadataChanges.toLocaleString('en-US')} entries changed mode, owner, label or capabilities in all; the findings above name the ones that matter.
        </p>
      )}
    </ReportSection>
  );
}
