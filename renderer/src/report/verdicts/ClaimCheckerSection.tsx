import { useId, useState, type FormEvent } from 'react';
import type { ClaimCheck, FeatureState, FeatureVerdict } from '../../../../shared/verdict.js';
import { checkClaim } from '../../../../shared/verdicts.js';
import { claimBadge, STATE_LABELS } from '../../text/verdictText.js';
import { Badge } from '../Badge.js';
import { ReportSection } from '../ReportSection.js';
import { EvidenceList } from './EvidenceList.js';
import { StateText } from './StateText.js';

/** The states a claim can name; "cannot tell" is an answer, never a claim. */
const CLAIMABLE_STATES: readonly FeatureState[] = ['default-on', 'opt-in', 'absent'];

function ClaimResult({ check }: { check: ClaimCheck }) {
  const badge = claimBadge(check.verdict);
  return (
    <article className={`feature-card claim-card tone-${badge.tone}`} data-testid="claim-check-result" data-verdict={check.verdict}>
      <div className="feature-head">
        <h3>
          Claim: <StateText state={check.claimed} />
        </h3>
        <Badge badge={badge} testId="claim-check-verdict" />
      </div>
      <p className="feature-summary" data-testid="claim-check-summary">
        {check.summary}
      </p>
      <p className="feature-states">
        <span className="feature-side">
          <span className="feature-side-label">Found in the new build:</span> <StateText state={check.actual} />
        </span>
      </p>
      <h4>Evidence in the new build</h4>
      <EvidenceList evidence={check.evidence} side="new" emptyText="Nothing found in the new build." />
    </article>
  );
}

/** Pick a feature and what someone claims about the new build; the verdicts answer it, with the evidence. */
export function ClaimCheckerSection({ features }: { features: readonly FeatureVerdict[] }) {
  const ids = useId();
  const [featureId, setFeatureId] = useState(features[0]?.id ?? '');
  const [claimed, setClaimed] = useState<FeatureState>('opt-in');
  const [check, setCheck] = useState<ClaimCheck | null>(null);
  if (features.length === 0) return null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setCheck(checkClaim({ feature: featureId, claimed }, features));
  };
  return (
    <ReportSection
      id="check-claim"
      title="Check a claim"
      intro="Someone says a feature ships a certain way in the new build? Pick the feature and the claim; the answer comes from the evidence above."
    >
      <form className="claim-form" onSubmit={onSubmit} data-testid="claim-form">
        <label htmlFor={`${ids}-feature`}>Feature</label>
        <select
          id={`${ids}-feature`}
          value={featureId}
          data-testid="claim-feature"
          onChange={(event) => {
            setFeatureId(event.target.value);
            setCheck(null);
          }}
        >
          {features.map((feature) => (
            <option key={feature.id} value={feature.id}>
              {feature.title}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-state`}>is, in the new build,</label>
        <select
          id={`${ids}-state`}
          value={claimed}
          data-testid="claim-state"
          onChange={(event) => {
            setClaimed(event.target.value as FeatureState);
            setCheck(null);
          }}
        >
          {CLAIMABLE_STATES.map((state) => (
            <option key={state} value={state}>
              {STATE_LABELS[state]}
            </option>
          ))}
        </select>
        <button type="submit" data-testid="claim-check">
          Check the claim
        </button>
      </form>
      <div aria-live="polite">{check !== null && <ClaimResult check={check} />}</div>
    </ReportSection>
  );
}
