import type { KeyClaimCheck } from '../../../../shared/keyClaims.js';
import type { ClaimCheck } from '../../../../shared/verdict.js';
import { claimBadge } from '../../text/verdictText.js';
import { Badge } from '../Badge.js';
import { ReportSection } from '../ReportSection.js';
import { EvidenceList } from './EvidenceList.js';
import { KeyClaimCard } from './KeyClaimCard.js';
import { StateText } from './StateText.js';

/** Claims about the new build, checked against its verdicts and keys; shown only when some were given. */
export function ClaimsSection({ claims = [], keyClaims = [] }: { claims: readonly ClaimCheck[] | undefined; keyClaims?: readonly KeyClaimCheck[] | undefined }) {
  if (claims.length === 0 && keyClaims.length === 0) return null;
  return (
    <ReportSection id="claims" title="Claims checked" intro="Each claim is about the new build and is checked against the evidence found in it.">
      <div className="feature-cards">
        {claims.map((claim, index) => {
          const badge = claimBadge(claim.verdict);
          return (
            <article
              key={`${claim.feature}\u0000${index}`}
              className={`feature-card claim-card tone-${badge.tone}`}
              data-testid="claim-card"
              data-feature={claim.feature}
              data-verdict={claim.verdict}
            >
              <div className="feature-head">
                <h3>
                  <span className="mono">
                    {claim.feature}={claim.claimed}
                  </span>
                </h3>
                <Badge badge={badge} testId="claim-verdict" />
              </div>
              <p className="feature-summary" data-testid="claim-summary">
                {claim.summary}
              </p>
              <p className="feature-states">
                <span className="feature-side">
                  <span className="feature-side-label">Claimed:</span> <StateText state={claim.claimed} />
                </span>
                <span className="feature-side">
                  <span className="feature-side-label">Found in the new build:</span> <StateText state={claim.actual} testId="claim-actual" />
                </span>
              </p>
              {claim.evidence.length > 0 && (
                <details className="evidence" data-testid="claim-evidence">
                  <summary>Evidence ({claim.evidence.length.toLocaleString('en-US')})</summary>
                  <EvidenceList evidence={claim.evidence} side="new" emptyText="Nothing found in the new build." />
                </details>
              )}
            </article>
          );
        })}
        {keyClaims.map((check, index) => (
          <KeyClaimCard key={`${check.text}\u0000${index}`} check={check} testId="key-claim-card" />
        ))}
      </div>
    </ReportSection>
  );
}
