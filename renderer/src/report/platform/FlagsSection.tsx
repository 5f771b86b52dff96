import { flagAddress, flagValueText, type FeatureFlag, type FlagDiff } from '../../../../shared/flags.js';
import { countOf } from '../../text/format.js';
import type { ChangeKind } from '../changeKind.js';
import { ChangeTable, type ChangeColumn } from '../ChangeTable.js';
import { DevicePath } from '../DevicePath.js';
import { OldToNew } from '../OldToNew.js';
import { ReportSection } from '../ReportSection.js';
import { flagTexts, matchesWords } from './platformSearch.js';

type FlagRow = { kind: ChangeKind; name: string; old: FeatureFlag | null; new: FeatureFlag | null };

const SOURCE_WORDS: Record<string, string> = { aconfig: 'aconfig', 'aconfig-storage': 'aconfig storage', 'device-config': 'device-config default' };

const FLAG_COLUMNS: readonly ChangeColumn<FlagRow>[] = [
  {
    header: 'Flag',
    colClass: 'col-name',
    isRowHeader: true,
    render: (row) => {
      const flag = row.new ?? row.old;
      return (
        <>
          <span className="mono">{row.name}</span>
          {flag?.namespace !== null && flag?.namespace !== undefined && <span className="muted"> (namespace {flag.namespace})</span>}
          {flag?.description !== undefined && <span className="title-text">{flag.description}</span>}
        </>
      );
    },
  },
  { header: 'Old → new', colClass: 'col-values', render: (row) => <OldToNew old={row.old === null ? null : flagValueText(row.old)} current={row.new === null ? null : flagValueText(row.new)} /> },
  {
    header: 'Declared in',
    colClass: 'col-where',
    render: (row) => {
      const flag = row.new ?? row.old;
      return flag === null ? null : (
        <>
          <DevicePath path={flag.file} line={flag.line} /> <span className="muted">({SOURCE_WORDS[flag.source] ?? flag.source})</span>
        </>
      );
    },
  },
];

/** aconfig flags and device-config defaults that flipped, or came or went. */
export function FlagsSection({ flags, words }: { flags: FlagDiff; words: readonly string[] }) {
  const all: FlagRow[] = [
    ...flags.changed.map((change) => ({ kind: 'changed' as const, name: change.name, old: change.old, new: change.new })),
    ...flags.added.map((flag) => ({ kind: 'added' as const, name: flagAddress(flag), old: null, new: flag })),
    ...flags.removed.map((flag) => ({ kind: 'removed' as const, name: flagAddress(flag), old: flag, new: null })),
  ];
  const rows = all.filter((row) => matchesWords([...flagTexts(row.old), ...flagTexts(row.new)], words));
  return (
    <ReportSection
      id="flags"
      title="Feature flags"
      intro={
        <>
          aconfig flags each partition ships (Android 14+) and device-config defaults set in property files; a read-write flag can still be changed
          remotely after setup: {countOf(flags.changed.length, 'flipped or changed', 'flipped or changed')}, {countOf(flags.added.length, 'added', 'added')},{' '}
          {countOf(flags.removed.length, 'removed', 'removed')}.
        </>
      }
    >
      {rows.length === 0 ? (
        <p className="empty">{all.length === 0 ? 'No flag flipped, and none came or went.' : 'None match the search.'}</p>
      ) : (
        <ChangeTable
          rows={rows}
          columns={FLAG_COLUMNS}
          tableClass="flags"
          rowKey={(row) => `${row.kind}\u0000${row.name}`}
          rowTestId="flag-row"
          kindOf={(row) => row.kind}
          nameOf={(row) => row.name}
        />
      )}
    </ReportSection>
  );
}
