import type { PropertyChange } from '../../../shared/model.js';
import { ShowAllButton } from './ShowAllButton.js';
import { useLimitedList } from './useLimitedList.js';
import { ValueText } from './ValueText.js';
import { DevicePath } from './DevicePath.js';

export type PropertyKind = 'changed' | 'added' | 'removed';

interface PropertyTableProps {
  kind: PropertyKind;
  title: string;
  /** Changes left after filtering. */
  changes: readonly PropertyChange[];
  /** Before filtering, to tell "none at all" from "none match". */
  totalCount: number;
}

const COLUMNS: Record<PropertyKind, { old: boolean; new: boolean }> = {
  changed: { old: true, new: true },
  added: { old: false, new: true },
  removed: { old: true, new: false },
};

/** The property file whose value wins; both when the winning file differs between the builds. */
function Layer({ oldLayer, newLayer }: { oldLayer: string | null; newLayer: string | null }) {
  if (oldLayer !== null && newLayer !== null && oldLayer !== newLayer) {
    return (
      <>
        <span className="where-side">old: <DevicePath path={oldLayer} /></span>
        <br />
        <span className="where-side">new: <DevicePath path={newLayer} /></span>
      </>
    );
  }
  const either = newLayer ?? oldLayer;
  return either === null ? <span className="value-missing">—</span> : <DevicePath path={either} />;
}

export function PropertyTable({ kind, title, changes, totalCount }: PropertyTableProps) {
  const { visible, hiddenCount, showAll } = useLimitedList(changes);
  const columns = COLUMNS[kind];
  const headingId = `properties-${kind}-heading`;

  return (
    <section className={`subsection kind-${kind}`} aria-labelledby={headingId} data-testid={`properties-${kind}`}>
      <h3 id={headingId}>
        <span className="kind-tag">{title}</span> <span className="count">({totalCount.toLocaleString('en-US')})</span>
      </h3>
      {changes.length === 0 ? (
        <p className="empty">{totalCount === 0 ? `No properties ${kind}.` : 'None match the search.'}</p>
      ) : (
        <div className="table-scroll">
          <table className="properties">
            <thead>
              <tr>
                <th scope="col">Name</th>
                {columns.old && <th scope="col">{kind === 'changed' ? 'Old value' : 'Value'}</th>}
                {columns.new && <th scope="col">{kind === 'changed' ? 'New value' : 'Value'}</th>}
                <th scope="col">Set in</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((change) => (
                <tr key={change.name} data-testid="property-row" data-name={change.name} data-kind={kind}>
                  <th scope="row" className="mono name">{change.name}</th>
                  {columns.old && (
                    <td data-testid="property-old">
                      <ValueText value={change.old} />
                    </td>
                  )}
                  {columns.new && (
                    <td data-testid="property-new">
                      <ValueText value={change.new} />
                    </td>
                  )}
                  <td data-testid="property-layer">
                    <Layer oldLayer={change.oldLayer} newLayer={change.newLayer} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ShowAllButton shown={visible.length} hiddenCount={hiddenCount} noun={['property', 'properties']} onShowAll={showAll} />
    </section>
  );
}
