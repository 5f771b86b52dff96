import { useId, useMemo, useState } from 'react';
import type { AppDiff } from '../../../../shared/appDiff.js';
import { countOf } from '../../text/format.js';
import { FilterBox } from '../FilterBox.js';
import { ReportSection } from '../ReportSection.js';
import { routeHash } from '../views/inspectorViews.js';
import { AppDetail } from './AppDetail.js';
import { appRows, filterAppRows, profilesByPackage, type CodeFilter, type KindFilter } from './appRows.js';
import { AppsTable } from './AppsTable.js';
import { protectionLevels } from './platformPermissions.js';

const KIND_CHOICES: readonly { value: KindFilter; title: string }[] = [
  { value: 'all', title: 'All' },
  { value: 'added', title: 'Added' },
  { value: 'removed', title: 'Removed' },
  { value: 'changed', title: 'Changed' },
];

/** Apps by what the new build brings their code. */
const CODE_CHOICES: readonly { value: CodeFilter; title: string }[] = [
  { value: 'all', title: 'Any' },
  { value: 'tracker', title: 'Gained a tracker' },
  { value: 'server', title: 'New server' },
];

interface ChoiceGroupProps<T extends string> {
  legend: string;
  testId: string;
  choices: readonly { value: T; title: string }[];
  value: T;
  counts: Record<T, number>;
  onChange: (value: T) => void;
}

/** Radio buttons that narrow the apps table, each with how many apps it shows. */
function ChoiceGroup<T extends string>({ legend, testId, choices, value, counts, onChange }: ChoiceGroupProps<T>) {
  const name = useId();
  return (
    <fieldset className="choice-group" data-testid={testId}>
      <legend>{legend}</legend>
      {choices.map((choice) => (
        <label key={choice.value}>
          <input type="radio" name={name} value={choice.value} checked={value === choice.value} onChange={() => onChange(choice.value)} />{' '}
          {choice.title} <span className="count">({counts[choice.value].toLocaleString('en-US')})</span>
        </label>
      ))}
    </fieldset>
  );
}

/** The apps view: one table of every app added, removed or changed; `openApp` shows one app whole instead. */
export function AppsSection({ apps, openApp }: { apps: AppDiff; openApp?: string | undefined }) {
  const rows = useMemo(() => appRows(apps), [apps]);
  const oldProfiles = useMemo(() => profilesByPackage(apps.profiles.old), [apps]);
  const newProfiles = useMemo(() => profilesByPackage(apps.profiles.new), [apps]);
  const levels = useMemo(() => ({ old: protectionLevels(apps.permissionDeclarations.old), new: protectionLevels(apps.permissionDeclarations.new) }), [apps]);
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState<KindFilter>('all');
  const [includeRebuilt, setIncludeRebuilt] = useState(false);
  const [code, setCode] = useState<CodeFilter>('all');
  const shown = useMemo(() => filterAppRows(rows, { query, kind, includeRebuilt, code }), [rows, query, kind, includeRebuilt, code]);
  const codeCounts: Record<CodeFilter, number> = { all: rows.length, tracker: rows.filter((row) => row.gainedTracker).length, server: rows.filter((row) => row.newServer).length };
  const rebuiltCount = rows.filter((row) => row.onlyRebuilt).length;
  const counts: Record<KindFilter, number> = { all: rows.length, added: apps.added.length, removed: apps.removed.length, changed: apps.changed.length };
  const selected = openApp === undefined ? undefined : rows.find((row) => row.package === openApp);

  return (
    <ReportSection
      id="apps"
      title="Apps"
      intro={
        <>
          {countOf(apps.changed.length, 'changed', 'changed')}, {countOf(apps.added.length, 'added', 'added')},{' '}
          {countOf(apps.removed.length, 'removed', 'removed')}. Apps are matched by package name, wherever the APK sits; open one by its package to see
          it whole.
        </>
      }
    >
      {openApp !== undefined && selected === undefined && (
        <p className="notice" role="alert" data-testid="app-not-found">
          This comparison has no added, removed or changed app <span className="mono">{openApp}</span>. <a href={routeHash({ view: 'apps' })}>Show all apps</a>
        </p>
      )}
      {selected !== undefined && <AppDetail kind={selected.kind} old={oldProfiles.get(selected.package) ?? null} new={newProfiles.get(selected.package) ?? null} levels={levels} />}
      <div hidden={selected !== undefined} data-testid="apps-list">
        {rows.length === 0 ? (
          <p className="empty">Both builds have the same apps, byte for byte.</p>
        ) : (
          <>
            <div className="filter-row">
              <FilterBox
                label="Filter apps"
                placeholder="Package, label, path or permission"
                testId="app-filter"
                query={query}
                onQueryChange={setQuery}
                matching={shown.length}
                totalText={countOf(rows.length, 'app')}
              />
              <ChoiceGroup legend="Show" testId="app-kind-filter" choices={KIND_CHOICES} value={kind} counts={counts} onChange={setKind} />
              {apps.codeFindings !== undefined && <ChoiceGroup legend="Code" testId="app-code-filter" choices={CODE_CHOICES} value={code} counts={codeCounts} onChange={setCode} />}
              {rebuiltCount > 0 && (
                <label className="checkbox" data-testid="app-include-rebuilt">
                  <input type="checkbox" checked={includeRebuilt} onChange={(event) => setIncludeRebuilt(event.target.checked)} /> Include{' '}
                  {countOf(rebuiltCount, 'app')} only rebuilt (same version, permissions, components and preference defaults)
                </label>
              )}
            </div>
            {shown.length === 0 ? <p className="empty">No app matches.</p> : <AppsTable rows={shown} />}
          </>
        )}
      </div>
    </ReportSection>
  );
}
