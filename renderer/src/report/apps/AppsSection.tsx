import { useState } from 'react';
import type { AppChange, AppDiff } from '../../../../shared/appDiff.js';
import { countOf } from '../../text/format.js';
import { DevicePath } from '../DevicePath.js';
import { FilterBox } from '../FilterBox.js';
import { ReportSection } from '../ReportSection.js';
import { ShowAllButton } from '../ShowAllButton.js';
import { useLimitedList } from '../useLimitedList.js';
import { AppChangeItem } from './AppChangeItem.js';
import { AppRefTable } from './AppRefTable.js';
import { filterAppChanges, filterAppRefs, hasVisibleChanges } from './appFilter.js';

/** Each changed app is a block of its own; fewer are rendered before asking than for plain rows. */
const CHANGED_APP_LIMIT = 200;

function ChangedApps({ apps, totalCount }: { apps: readonly AppChange[]; totalCount: number }) {
  const detailed = apps.filter(hasVisibleChanges);
  const rebuilt = apps.filter((app) => !hasVisibleChanges(app));
  const detailedList = useLimitedList(detailed, CHANGED_APP_LIMIT);
  const rebuiltList = useLimitedList(rebuilt);
  return (
    <section className="subsection kind-changed" aria-labelledby="apps-changed-heading" data-testid="apps-changed">
      <h3 id="apps-changed-heading">
        <span className="kind-tag">Changed</span> <span className="count">({totalCount.toLocaleString('en-US')})</span>
      </h3>
      {apps.length === 0 && <p className="empty">{totalCount === 0 ? 'No apps changed.' : 'None match the filter.'}</p>}
      {detailedList.visible.map((app) => (
        <AppChangeItem key={app.package} app={app} />
      ))}
      <ShowAllButton shown={detailedList.visible.length} hiddenCount={detailedList.hiddenCount} noun={['changed app', 'changed apps']} onShowAll={detailedList.showAll} />
      {rebuilt.length > 0 && (
        <div className="rebuilt" data-testid="apps-rebuilt">
          <h4>
            Rebuilt with the same version, permissions, components and preference defaults{' '}
            <span className="count">({rebuilt.length.toLocaleString('en-US')})</span>
          </h4>
          <ul className="paths">
            {rebuiltList.visible.map((app) => (
              <li key={app.package} data-package={app.package}>
                <span className="mono">{app.package}</span> <span className="muted">at</span> <DevicePath path={app.path.new} />
              </li>
            ))}
          </ul>
          <ShowAllButton shown={rebuiltList.visible.length} hiddenCount={rebuiltList.hiddenCount} noun={['app', 'apps']} onShowAll={rebuiltList.showAll} />
        </div>
      )}
    </section>
  );
}

export function AppsSection({ apps }: { apps: AppDiff }) {
  const [query, setQuery] = useState('');
  const added = filterAppRefs(apps.added, query);
  const removed = filterAppRefs(apps.removed, query);
  const changed = filterAppChanges(apps.changed, query);
  const total = apps.added.length + apps.removed.length + apps.changed.length;
  const matching = added.length + removed.length + changed.length;

  return (
    <ReportSection
      id="apps"
      title="Apps"
      intro={
        <>
          {countOf(apps.changed.length, 'changed', 'changed')}, {countOf(apps.added.length, 'added', 'added')},{' '}
          {countOf(apps.removed.length, 'removed', 'removed')}. Apps are matched by package name, wherever the APK sits.
        </>
      }
    >
      {total > 0 && (
        <FilterBox
          label="Filter apps"
          placeholder="Package, label, path or permission"
          testId="app-filter"
          query={query}
          onQueryChange={setQuery}
          matching={matching}
          totalText={countOf(total, 'app')}
        />
      )}
      <ChangedApps apps={changed} totalCount={apps.changed.length} />
      <AppRefTable kind="added" title="Added" apps={added} totalCount={apps.added.length} />
      <AppRefTable kind="removed" title="Removed" apps={removed} totalCount={apps.removed.length} />
    </ReportSection>
  );
}
