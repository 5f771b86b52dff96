import type { SettingChange, SettingDiff } from '../../../../shared/appDiff.js';
import { countOf } from '../../text/format.js';
import type { ChangeKind } from '../changeKind.js';
import { ChangeTable, type ChangeColumn } from '../ChangeTable.js';
import { DevicePath } from '../DevicePath.js';
import { OldToNew } from '../OldToNew.js';
import { ReportSection } from '../ReportSection.js';
import { matchesWords, settingTexts } from './platformSearch.js';

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

type SettingRow = { kind: ChangeKind; change: SettingChange };

const SETTING_COLUMNS: readonly ChangeColumn<SettingRow>[] = [
  {
    header: 'Name',
    colClass: 'col-name',
    isRowHeader: true,
    render: ({ change }) => (
      <>
        <span className="mono">{change.name}</span> <span className="muted">({change.type})</span>
      </>
    ),
  },
  { header: 'Old → new', colClass: 'col-values', render: ({ change }) => <OldToNew old={change.old} current={change.new} /> },
  { header: 'Set by', colClass: 'col-where', render: ({ change }) => <Source change={change} /> },
];

/** SettingsProvider defaults (`def_*` resources) after overlays, as a new phone starts with them. */
export function SettingsSection({ settings, words }: { settings: SettingDiff; words: readonly string[] }) {
  const all: SettingRow[] = [
    ...settings.changed.map((change) => ({ kind: 'changed' as const, change })),
    ...settings.added.map((change) => ({ kind: 'added' as const, change })),
    ...settings.removed.map((change) => ({ kind: 'removed' as const, change })),
  ];
  const rows = all.filter(({ change }) => matchesWords(settingTexts(change), words));
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
        <p className="empty">{all.length === 0 ? 'No setting default changed.' : 'None match the search.'}</p>
      ) : (
        <ChangeTable
          rows={rows}
          columns={SETTING_COLUMNS}
          tableClass="settings"
          rowKey={({ kind, change }) => `${kind}\u0000${change.name}`}
          rowTestId="setting-row"
          kindOf={(row) => row.kind}
          nameOf={(row) => row.change.name}
        />
      )}
    </ReportSection>
  );
}
