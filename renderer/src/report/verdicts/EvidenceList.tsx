import type { Evidence } from '../../../../shared/verdict.js';
import { stateExplanation, stateLabel } from '../../text/verdictText.js';
import { EvidenceLink } from '../evidence/EvidenceLink.js';
import type { EvidenceSide } from '../evidence/evidenceViewer.js';

/** Each piece of evidence: where it is, what was found there, and what it alone says. */
export function EvidenceList({ evidence, side, emptyText }: { evidence: readonly Evidence[]; side: EvidenceSide; emptyText: string }) {
  if (evidence.length === 0) return <p className="empty">{emptyText}</p>;
  return (
    <ul className="evidence-list">
      {evidence.map((item, index) => (
        <li key={`${item.path}\u0000${item.subject}\u0000${index}`} className="evidence-item" data-testid="evidence-item">
          <div className="evidence-where">
            <EvidenceLink side={side} path={item.path} line={item.line} detail={item.detail} testId="evidence-path" />
            <span className="visually-hidden">This item alone says:</span>
            <span className={`state-chip state-${item.state}`} title={stateExplanation(item.state)} data-testid="evidence-state">
              {stateLabel(item.state)}
            </span>
          </div>
          <p className="evidence-detail" data-testid="evidence-detail">
            {item.detail}
          </p>
        </li>
      ))}
    </ul>
  );
}
