import { useId, useMemo, useState, type FormEvent } from 'react';
import { CLAIM_KEY_KINDS, checkKeyClaim, KEY_KIND_WORDS, type ClaimKeyKind, type KeyClaimCheck, type KeyFact } from '../../../../shared/keyClaims.js';
import type { ClaimCheck, FeatureState, FeatureVerdict } from '../../../../shared/verdict.js';
import { checkClaim } from '../../../../shared/verdicts.js';
import { claimBadge, STATE_LABELS } from '../../text/verdictText.js';
import { Badge } from '../Badge.js';
import { ReportSection } from '../ReportSection.js';
import { EvidenceList } from './EvidenceList.js';
import { KeyClaimCard } from './KeyClaimCard.js';
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
function FeatureClaimForm({ features }: { features: readonly FeatureVerdict[] }) {
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
    <>
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
    </>
  );
}

/** Most keys offered as suggestions per kind: a large build has thousands of preferences. */
const SUGGESTION_LIMIT = 5000;

/** A claim about any single key of the new build: a preference, setting, property or flag and its claimed value. */
function KeyClaimForm({ keys }: { keys: readonly KeyFact[] }) {
  const ids = useId();
  const [kind, setKind] = useState<ClaimKeyKind>('pref');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('off');
  const [check, setCheck] = useState<KeyClaimCheck | null>(null);
  const suggestions = useMemo(() => [...new Set(keys.filter((fact) => fact.kind === kind).map((fact) => fact.key))].slice(0, SUGGESTION_LIMIT), [keys, kind]);
  const reset = () => setCheck(null);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const name = key.trim();
    if (name === '' || value.trim() === '') return;
    const slash = kind === 'pref' ? name.lastIndexOf('/') : -1;
    const claim = { kind, key: slash < 0 ? name : name.slice(slash + 1), package: slash < 0 ? null : name.slice(0, slash), value: value.trim() };
    setCheck(checkKeyClaim(claim, keys));
  };
  return (
    <>
      <p className="claim-key-intro">Or a claim about any one key of the new build (a preference may be given as <span className="mono">package/key</span>):</p>
      <form className="claim-form" onSubmit={onSubmit} data-testid="key-claim-form">
        <label htmlFor={`${ids}-kind`}>Kind</label>
        <select
          id={`${ids}-kind`}
          value={kind}
          data-testid="key-claim-kind"
          onChange={(event) => {
            setKind(event.target.value as ClaimKeyKind);
            reset();
          }}
        >
          {CLAIM_KEY_KINDS.map((option) => (
            <option key={option} value={option}>
              {KEY_KIND_WORDS[option]}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-key`}>named</label>
        <input
          id={`${ids}-key`}
          className="mono"
          list={`${ids}-keys`}
          value={key}
          required
          spellCheck={false}
          placeholder={kind === 'flag' ? 'com.android.example.flag_name' : 'name'}
          data-testid="key-claim-key"
          onChange={(event) => {
            setKey(event.target.value);
            reset();
          }}
        />
        <datalist id={`${ids}-keys`}>
          {suggestions.map((suggestion) => (
            <option key={suggestion} value={suggestion} />
          ))}
        </datalist>
        <label htmlFor={`${ids}-value`}>is</label>
        <input
          id={`${ids}-value`}
          className="mono"
          value={value}
          required
          spellCheck={false}
          placeholder="off, on, a value, or absent"
          data-testid="key-claim-value"
          onChange={(event) => {
            setValue(event.target.value);
            reset();
          }}
        />
        <button type="submit" data-testid="key-claim-check">
          Check the claim
        </button>
      </form>
      <div aria-live="polite">{check !== null && <KeyClaimCard check={check} testId="key-claim-result" />}</div>
    </>
  );
}

/** Claims about the new build: about a known feature, or about any single key. */
export function ClaimCheckerSection({ features, keys = [] }: { features: readonly FeatureVerdict[]; keys?: readonly KeyFact[] }) {
  if (features.length === 0 && keys.length === 0) return null;
  return (
    <ReportSection
      id="check-claim"
      title="Check a claim"
      intro="Someone says a feature, a setting, a property, a preference or a flag ships a certain way in the new build? Pick it and the claim; the answer comes from the evidence found in the new build."
    >
      <FeatureClaimForm features={features} />
      {keys.length > 0 && <KeyClaimForm keys={keys} />}
    </ReportSection>
  );
}
