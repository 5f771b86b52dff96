import type { KeyClaimCheck } from '../../../../shared/keyClaims.js';
import { claimBadge } from '../../text/verdictText.js';
import { Badge } from '../Badge.js';
import { ValueText } from '../ValueText.js';
import { EvidenceList } from './EvidenceList.js';

/** A claim about one key of the new build, checked: the verdict, the sentence, the values found and where. */
export function KeyClaimCard({ check, testId }: { check: KeyClaimCheck; testId: string }) {
  const badge = claimBadge(check.verdict);
  return (
    <article className={`feature-card claim-card tone-${badge.tone}`} data-testid={testId} data-claim={check.text} data-verdict={check.verdict}>
      <div className="feature-head">
        <h3>
          <span className="mono">{check.text}</span>
        </h3>
        <Badge badge={badge} testId="key-claim-verdict" />
      </div>
      <p className="feature-summary" data-testid="key-claim-summary">
        {check.summary}
      </p>
      <p className="feature-states">
        <span className="feature-side">
          <span className="feature-side-label">Found in the new build:</span>{' '}
          {check.found.length === 0 ? (
            <span className="value-missing">not set</span>
          ) : (
            check.found.map((value, index) => (
              <span key={`${value ?? ''}\u0000${index}`} data-testid="key-claim-found">
                {index > 0 && ', '}
                <ValueText value={value} />
              </span>
            ))
          )}
        </span>
      </p>
      {check.evidence.length > 0 && (
        <details className="evidence" data-testid="key-claim-evidence" open={check.evidence.length <= 3}>
          <summary>Evidence ({check.evidence.length.toLocaleString('en-US')})</summary>
          <EvidenceList evidence={check.evidence} side="new" emptyText="Nothing found in the new build." />
        </details>
      )}
    </article>
  );
}
