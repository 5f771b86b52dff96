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

/** SettingsProvider defaults (`def_*` resources) after overlays, as a new phone starts with them. */
export function SettingsSection({ settings }: { settings: SettingDiff }) {
  const rows: { kind: ChangeKind; change: SettingChange }[] = [
    ...settings.changed.map((change) => ({ kind: 'changed' as const, change })),
    ...settings.added.map((change) => ({ kind: 'added' as const, change })),
    ...settings.removed.map((change) => ({ kind: 'removed' as const, change })),
  ];
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
      {rows.length === 0 ? (
        <p className="empty">No setting default changed.</p>
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
