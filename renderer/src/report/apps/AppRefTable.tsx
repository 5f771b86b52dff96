import type { AppRef } from '../../../../shared/appDiff.js';
import { DevicePath } from '../DevicePath.js';
import { ShowAllButton } from '../ShowAllButton.js';
import { useLimitedList } from '../useLimitedList.js';
import { useMemo, useState } from 'react';
import { describeVersion } from './appFilter.js';
import { sortApps, type AppSort, type AppSortKey } from './appSort.js';

const COLUMNS: readonly { key: AppSortKey; title: string }[] = [
  { key: 'package', title: 'Package' },
  { key: 'label', title: 'Label' },
  { key: 'partition', title: 'Partition' },
  { key: 'version', title: 'Version' },
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

interface AppRefTableProps {
  kind: 'added' | 'removed';
  title: string;
  apps: readonly AppRef[];
  totalCount: number;
}

/** Apps only one build has: package, label, version and where the APK sits. */
export function AppRefTable({ kind, title, apps, totalCount }: AppRefTableProps) {
  const [sort, setSort] = useState<AppSort>({ key: 'package', ascending: true });
  const sorted = useMemo(() => sortApps(apps, sort), [apps, sort]);
  const onSort = (key: AppSortKey) => setSort((current) => ({ key, ascending: current.key === key ? !current.ascending : true }));
  const { visible, hiddenCount, showAll } = useLimitedList(sorted);
  const headingId = `apps-${kind}-heading`;
  return (
    <section className={`subsection kind-${kind}`} aria-labelledby={headingId} data-testid={`apps-${kind}`}>
      <h3 id={headingId}>
        <span className="kind-tag">{title}</span> <span className="count">({totalCount.toLocaleString('en-US')})</span>
      </h3>
      {apps.length === 0 ? (
        <p className="empty">{totalCount === 0 ? `No apps ${kind}.` : 'None match the filter.'}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table apps">
            <colgroup>
              <col className="col-package" />
              <col className="col-label" />
              <col className="col-partition" />
              <col className="col-version" />
              <col className="col-where" />
            </colgroup>
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <SortHeader key={column.key} column={column} sort={sort} onSort={onSort} />
                ))}
                <th scope="col">APK</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((app) => (
                <tr key={`${app.package}\u0000${app.path}`} data-testid="app-ref" data-package={app.package}>
                  <th scope="row" className="mono">{app.package}</th>
                  <td>{app.label ?? <span className="value-missing">(no label)</span>}</td>
                  <td>{app.partition}</td>
                  <td>{describeVersion(app.versionName, app.versionCode)}</td>
                  <td>
                    <DevicePath path={app.path} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ShowAllButton shown={visible.length} hiddenCount={hiddenCount} noun={['app', 'apps']} onShowAll={showAll} />
    </section>
  );
}
