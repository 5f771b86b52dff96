import { useMemo, useState } from 'react';
import { ChangeKindMark } from '../ChangeKindMark.js';
import { ShowAllButton } from '../ShowAllButton.js';
import { useLimitedList } from '../useLimitedList.js';
import { appDetailHash } from '../views/inspectorViews.js';
import { sortAppRows, type AppRow, type AppSort, type AppSortKey } from './appRows.js';

const COLUMNS: readonly { key: AppSortKey; title: string; colClass: string }[] = [
  { key: 'kind', title: 'Change', colClass: 'col-kind' },
  { key: 'package', title: 'Package', colClass: 'col-package' },
  { key: 'label', title: 'Label', colClass: 'col-label' },
  { key: 'partition', title: 'Partition', colClass: 'col-partition' },
  { key: 'version', title: 'Version', colClass: 'col-version' },
  { key: 'permissions', title: 'Permissions', colClass: 'col-permissions' },
];

/** A column header that sorts the table; `aria-sort` tells screen readers which column does. */
function SortHeader({ column, sort, onSort }: { column: (typeof COLUMNS)[number]; sort: AppSort; onSort: (key: AppSortKey) => void }) {
  const active = sort.key === column.key;
  return (
    <th scope="col" aria-sort={active ? (sort.ascending ? 'ascending' : 'descending') : undefined}>
      <button type="button" className="sort-button" onClick={() => onSort(column.key)} data-testid={`sort-${column.key}`}>
        {column.title}
        <span aria-hidden="true" className="sort-mark">
          {active ? (sort.ascending ? ' ▲' : ' ▼') : ' ↕'}
        </span>
      </button>
    </th>
  );
}

function VersionCell({ version }: { version: AppRow['version'] }) {
  if (version.old === null || version.new === null || version.old === version.new) return <>{version.new ?? version.old}</>;
  return (
    <>
      {version.old} <span aria-label="to" role="img">→</span> {version.new}
    </>
  );
}

/** `+3 (1 dangerous) −1`, with the signs also said in words for screen readers. */
function PermissionsCell({ row }: { row: AppRow }) {
  const added = row.permissionsAdded.length;
  const removed = row.permissionsRemoved.length;
  if (added + removed === 0) return <span className="muted">none</span>;
  return (
    <span className="permission-counts" data-testid="app-row-permissions">
      {added > 0 && (
        <span className="count-added" data-added={added}>
          +{added}
          <span className="visually-hidden"> added</span>
          {row.dangerousAdded > 0 && (
            <span className="danger-tag">
              {' '}
              (<span aria-hidden="true">⚠</span> {row.dangerousAdded} dangerous)
            </span>
          )}
        </span>
      )}
      {added > 0 && removed > 0 && ' '}
      {removed > 0 && (
        <span className="count-removed" data-removed={removed}>
          −{removed}
          <span className="visually-hidden"> removed</span>
        </span>
      )}
    </span>
  );
}

/** Added, removed and changed apps in one sortable table; the package opens the app's detail. */
export function AppsTable({ rows }: { rows: readonly AppRow[] }) {
  const [sort, setSort] = useState<AppSort>({ key: 'kind', ascending: true });
  const sorted = useMemo(() => sortAppRows(rows, sort), [rows, sort]);
  const onSort = (key: AppSortKey) => setSort((current) => ({ key, ascending: current.key === key ? !current.ascending : true }));
  const { visible, hiddenCount, showAll } = useLimitedList(sorted);
  return (
    <>
      <div className="table-scroll">
        <table className="data-table apps" data-testid="apps-table">
          <caption className="visually-hidden">Apps added, removed and changed; sort by a column header, open an app by its package.</caption>
          <colgroup>
            {COLUMNS.map((column) => (
              <col key={column.key} className={column.colClass} />
            ))}
            <col className="col-other" />
          </colgroup>
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <SortHeader key={column.key} column={column} sort={sort} onSort={onSort} />
              ))}
              <th scope="col">Also changed</th>
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => (
              <tr key={row.package} data-testid="app-row" data-package={row.package} data-kind={row.kind}>
                <td>
                  <ChangeKindMark kind={row.kind} />
                </td>
                <th scope="row" className="mono">
                  <a href={appDetailHash(row.package)} data-testid="app-open">
                    {row.package}
                  </a>
                </th>
                <td>{row.label ?? <span className="value-missing">(no label)</span>}</td>
                <td>{row.partitions.join(' → ')}</td>
                <td data-testid="app-row-version">
                  <VersionCell version={row.version} />
                </td>
                <td>
                  <PermissionsCell row={row} />
                </td>
                <td data-testid="app-row-other">{row.onlyRebuilt ? <span className="muted">only rebuilt</span> : row.otherChanges.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ShowAllButton shown={visible.length} hiddenCount={hiddenCount} noun={['app', 'apps']} onShowAll={showAll} />
    </>
  );
}
