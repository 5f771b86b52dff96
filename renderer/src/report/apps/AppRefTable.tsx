import type { AppRef } from '../../../../shared/appDiff.js';
import { DevicePath } from '../DevicePath.js';
import { ShowAllButton } from '../ShowAllButton.js';
import { useLimitedList } from '../useLimitedList.js';
import { describeVersion } from './appFilter.js';

interface AppRefTableProps {
  kind: 'added' | 'removed';
  title: string;
  apps: readonly AppRef[];
  totalCount: number;
}

/** Apps only one build has: package, label, version and where the APK sits. */
export function AppRefTable({ kind, title, apps, totalCount }: AppRefTableProps) {
  const { visible, hiddenCount, showAll } = useLimitedList(apps);
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
              <col className="col-version" />
              <col className="col-where" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Package</th>
                <th scope="col">Label</th>
                <th scope="col">Version</th>
                <th scope="col">APK</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((app) => (
                <tr key={`${app.package}\u0000${app.path}`} data-testid="app-ref" data-package={app.package}>
                  <th scope="row" className="mono">{app.package}</th>
                  <td>{app.label ?? <span className="value-missing">(no label)</span>}</td>
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
