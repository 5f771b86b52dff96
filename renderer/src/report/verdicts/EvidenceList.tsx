import type { Evidence } from '../../../../shared/verdict.js';
import { stateExplanation, stateLabel } from '../../text/verdictText.js';
import { EvidenceLink } from '../evidence/EvidenceLink.js';
import { useEvidenceViewer, type EvidenceSide } from '../evidence/evidenceViewer.js';
import { appDetailHash } from '../views/inspectorViews.js';

/** A link to the app the evidence sits in, when the Apps view shows that app whole. */
function AppOfEvidence({ side, path }: { side: EvidenceSide; path: string }) {
  const viewer = useEvidenceViewer();
  const archive = path.indexOf('!/');
  const app = viewer === null || archive < 0 ? null : viewer.appAt(side, path.slice(0, archive));
  if (app === null) return null;
  return (
    <a href={appDetailHash(app.package)} className="evidence-app" data-testid="evidence-app">
      See {app.label ?? app.package} whole in Apps
    </a>
  );
}

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
          <AppOfEvidence side={side} path={item.path} />
        </li>
      ))}
    </ul>
  );
}
