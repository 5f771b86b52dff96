import { useId, useState } from 'react';
import type { SettingChange, SettingDiff } from '../../../../shared/appDiff.js';
import { countOf } from '../../text/format.js';
import { ChangeKindMark, type ChangeKind } from '../ChangeKindMark.js';
import { DevicePath } from '../DevicePath.js';
import { OldToNew } from '../OldToNew.js';
import { ReportSection } from '../ReportSection.js';

/** The APK that sets the value; both when the source moved (an overlay took over, or stopped). */
function Source({ change }: { change: SettingChange }) {
  const { oldSource, newSource } = change;
  if (oldSource !== null && newSource !== null && oldSource !== newSource) {
    return (
      <>
        <span className="where-side">old: <DevicePath path={oldSource} /></span>
        <br />
        <span className="where-side">new: <DevicePath path={newSource} /></span>
      </>
    );
  }
  const either = newSource ?? oldSource;
  return either === null ? <span className="value-missing">—</span> : <DevicePath path={either} />;
}

/** Whether a setting matches every word of the query, in its name, type, values or the APK that sets it. */
export function settingMatches(change: SettingChange, query: string): boolean {
  const haystack = [change.name, change.type, change.old ?? '', change.new ?? '', change.oldSource ?? '', change.newSource ?? ''].join('\n').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '')
    .every((word) => haystack.includes(word));
}

/** SettingsProvider defaults (`def_*` resources) after overlays, as a new phone starts with them. */
export function SettingsSection({ settings }: { settings: SettingDiff }) {
  const filterId = useId();
  const [query, setQuery] = useState('');
  const all: { kind: ChangeKind; change: SettingChange }[] = [
    ...settings.changed.map((change) => ({ kind: 'changed' as const, change })),
    ...settings.added.map((change) => ({ kind: 'added' as const, change })),
    ...settings.removed.map((change) => ({ kind: 'removed' as const, change })),
  ];
  const rows = all.filter(({ change }) => settingMatches(change, query));
  return (
    <ReportSection
      id="settings"
      title="Settings defaults"
      intro={
        <>
          The values a freshly set-up phone starts with (SettingsProvider resources, after resource overlays):{' '}
          {countOf(settings.changed.length, 'changed', 'changed')}, {countOf(settings.added.length, 'added', 'added')},{' '}
          {countOf(settings.removed.length, 'removed', 'removed')}.
        </>
      }
    >
      {all.length > 0 && (
        <div className="filter">
          <label htmlFor={filterId}>Filter settings</label>
          <input
            id={filterId}
            type="search"
            value={query}
            placeholder="Name, value or APK, e.g. location"
            onChange={(event) => setQuery(event.target.value)}
            data-testid="setting-filter"
            spellCheck={false}
            autoComplete="off"
          />
          {query.trim() !== '' && (
            <span className="filter-status" role="status" data-testid="setting-filter-status">
              {rows.length.toLocaleString('en-US')} of {countOf(all.length, 'setting', 'settings')} match.
            </span>
          )}
        </div>
      )}
      {rows.length === 0 ? (
        <p className="empty">{all.length === 0 ? 'No setting default changed.' : 'None match the filter.'}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table settings">
            <colgroup>
              <col className="col-kind" />
              <col className="col-name" />
              <col className="col-values" />
              <col className="col-where" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Name</th>
                <th scope="col">Old → new</th>
                <th scope="col">Set by</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ kind, change }) => (
                <tr key={`${kind}\u0000${change.name}`} data-testid="setting-row" data-name={change.name} data-kind={kind}>
                  <td>
                    <ChangeKindMark kind={kind} />
                  </td>
                  <th scope="row">
                    <span className="mono">{change.name}</span> <span className="muted">({change.type})</span>
                  </th>
                  <td>
                    <OldToNew old={change.old} current={change.new} />
                  </td>
                  <td>
                    <Source change={change} />
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
