import type { Evidence } from '../../../../shared/verdict.js';
import { stateExplanation, stateLabel } from '../../text/verdictText.js';
import { DevicePath } from '../DevicePath.js';

/** Each piece of evidence: where it is, what was found there, and what it alone says. */
export function EvidenceList({ evidence, emptyText }: { evidence: readonly Evidence[]; emptyText: string }) {
  if (evidence.length === 0) return <p className="empty">{emptyText}</p>;
  return (
    <ul className="evidence-list">
      {evidence.map((item, index) => (
        <li key={`${item.path}\u0000${item.subject}\u0000${index}`} className="evidence-item" data-testid="evidence-item">
          <div className="evidence-where">
            <DevicePath path={item.path} line={item.line} testId="evidence-path" />
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
