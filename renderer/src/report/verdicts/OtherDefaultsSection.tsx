import type { DefaultChange } from '../../../../shared/verdict.js';
import { ChangeTable, type ChangeColumn } from '../ChangeTable.js';
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

const OTHER_DEFAULT_COLUMNS: readonly ChangeColumn<DefaultChange>[] = [
  { header: 'Kind', colClass: 'col-kind', render: (change) => KIND_LABELS[change.kind] ?? change.kind },
  {
    header: 'App',
    colClass: 'col-app',
    render: (change) => (change.package === null ? <span className="value-missing">—</span> : <span className="mono">{change.package}</span>),
  },
  {
    header: 'Name',
    colClass: 'col-name',
    isRowHeader: true,
    render: (change) => (
      <>
        <span className="mono">{change.name}</span>
        {change.title !== null && <span className="title-text">“{change.title}”</span>}
      </>
    ),
  },
  { header: 'Old → new', colClass: 'col-values', render: (change) => <OldToNew old={change.old} current={change.new} /> },
  { header: 'Where', colClass: 'col-where', render: (change) => <Where change={change} /> },
];

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
        <ChangeTable
          rows={changes}
          columns={OTHER_DEFAULT_COLUMNS}
          tableClass="other-defaults"
          rowKey={(change, index) => `${change.kind}\u0000${change.package ?? ''}\u0000${change.name}\u0000${index}`}
          rowTestId="other-default"
          nameOf={(change) => change.name}
        />
      )}
    </ReportSection>
  );
}
