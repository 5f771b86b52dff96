import type { DefaultChange } from '../../../../shared/verdict.js';
import { EvidenceLink } from '../evidence/EvidenceLink.js';
import { OldToNew } from '../OldToNew.js';
import { ReportSection } from '../ReportSection.js';

const KIND_LABELS: Record<string, string> = { preference: 'App preference', setting: 'Setting default', property: 'Property' };

/** Where each side's value comes from; one path when both sides agree. */
function Where({ change }: { change: DefaultChange }) {
  const { old, new: current } = change.evidence;
  if (old !== null && current !== null && (old.path !== current.path || old.line !== current.line)) {
    return (
      <>
        <span className="where-side">old: <EvidenceLink side="old" path={old.path} line={old.line} detail={old.detail} /></span>
        <br />
        <span className="where-side">new: <EvidenceLink side="new" path={current.path} line={current.line} detail={current.detail} /></span>
      </>
    );
  }
  if (current !== null) return <EvidenceLink side="new" path={current.path} line={current.line} detail={current.detail} />;
  return old === null ? <span className="value-missing">—</span> : <EvidenceLink side="old" path={old.path} line={old.line} detail={old.detail} />;
}

/** Privacy-sounding boolean defaults that flipped outside the known features. */
export function OtherDefaultsSection({ changes }: { changes: readonly DefaultChange[] }) {
  return (
    <ReportSection
      id="other-defaults"
      title="Other default changes worth a look"
      intro="On/off defaults that flipped in preferences, settings or properties whose names sound privacy-relevant, beyond the features above."
    >
      {changes.length === 0 ? (
        <p className="empty">No other on/off default with a privacy-sounding name flipped.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table other-defaults">
            <colgroup>
              <col className="col-kind" />
              <col className="col-app" />
              <col className="col-name" />
              <col className="col-values" />
              <col className="col-where" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">App</th>
                <th scope="col">Name</th>
                <th scope="col">Old → new</th>
                <th scope="col">Where</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((change, index) => (
                <tr key={`${change.kind}\u0000${change.package ?? ''}\u0000${change.name}\u0000${index}`} data-testid="other-default" data-name={change.name}>
                  <td>{KIND_LABELS[change.kind] ?? change.kind}</td>
                  <td>{change.package === null ? <span className="value-missing">—</span> : <span className="mono">{change.package}</span>}</td>
                  <th scope="row">
                    <span className="mono">{change.name}</span>
                    {change.title !== null && <span className="title-text">“{change.title}”</span>}
                  </th>
                  <td>
                    <OldToNew old={change.old} current={change.new} />
                  </td>
                  <td>
                    <Where change={change} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </ReportSection>
  );
}
