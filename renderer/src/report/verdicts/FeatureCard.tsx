import type { FeatureVerdict } from '../../../../shared/verdict.js';
import { changeBadge, countSides } from '../../text/verdictText.js';
import { Badge } from '../Badge.js';
import { EvidenceList } from './EvidenceList.js';
import { StateText } from './StateText.js';

const SIDES = [
  { side: 'old', title: 'Old build' },
  { side: 'new', title: 'New build' },
] as const;

/** One feature's answer: the sentence, the two states, the change, and the evidence one click away. */
export function FeatureCard({ feature }: { feature: FeatureVerdict }) {
  const badge = changeBadge(feature.change);
  const headingId = `feature-${feature.id}-heading`;
  const evidenceCount = feature.old.evidence.length + feature.new.evidence.length;
  return (
    <article
      className={`feature-card tone-${badge.tone}`}
      aria-labelledby={headingId}
      data-testid="feature-card"
      data-feature={feature.id}
      data-change={feature.change}
    >
      <div className="feature-head">
        <h3 id={headingId}>{feature.title}</h3>
        <Badge badge={badge} testId="feature-change" />
      </div>
      <p className="feature-summary" data-testid="feature-summary">
        {feature.summary}
      </p>
      <p className="feature-states">
        <span className="feature-side">
          <span className="feature-side-label">Old build:</span> <StateText state={feature.old.state} testId="feature-old-state" />
        </span>
        <span className="arrow" role="img" aria-label="then">
          →
        </span>
        <span className="feature-side">
          <span className="feature-side-label">New build:</span> <StateText state={feature.new.state} testId="feature-new-state" />
        </span>
      </p>
      {feature.reachNote !== undefined && (
        <p className="reach-note" data-testid="feature-reach-note">
          <span className="note-label">Note:</span> {feature.reachNote}
        </p>
      )}
      <p className="why">
        <span className="why-label">Why it matters:</span> {feature.whyItMatters}
      </p>
      {evidenceCount === 0 ? (
        <p className="empty">No evidence was found in either build.</p>
      ) : (
        <details className="evidence" data-testid="feature-evidence">
          <summary>Evidence ({countSides(feature.old.evidence.length, feature.new.evidence.length)})</summary>
          {SIDES.map(({ side, title }) => (
            <section key={side} className="evidence-side" data-testid={`evidence-${side}`} aria-label={`${title} evidence`}>
              <h4>
                {title}: <StateText state={feature[side].state} />
              </h4>
              <EvidenceList evidence={feature[side].evidence} side={side} emptyText="Nothing found in this build." />
            </section>
          ))}
        </details>
      )}
    </article>
  );
}
