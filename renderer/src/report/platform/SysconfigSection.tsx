import type { SysconfigDiff } from '../../../../shared/appDiff.js';
import type { SysconfigEntry } from '../../../../shared/inventory.js';
import { ChangeTable, type ChangeColumn } from '../ChangeTable.js';
import { DevicePath } from '../DevicePath.js';
import { ReportSection } from '../ReportSection.js';
import { matchesWords, sysconfigTexts } from './platformSearch.js';

type SysconfigRow = { kind: 'added' | 'removed'; entry: SysconfigEntry };

const SYSCONFIG_COLUMNS: readonly ChangeColumn<SysconfigRow>[] = [
  { header: 'Entry', colClass: 'col-entry', cellClass: 'mono', render: ({ entry }) => entry.kind },
  {
    header: 'Package or name',
    colClass: 'col-name',
    cellClass: 'mono',
    render: ({ entry }) => entry.package ?? entry.name ?? <span className="value-missing">—</span>,
  },
  { header: 'File', colClass: 'col-where', render: ({ entry }) => <DevicePath path={entry.file} line={entry.line} /> },
];

/** Allow lists and other entries of `etc/sysconfig` and `etc/permissions`. */
export function SysconfigSection({ sysconfig, words }: { sysconfig: SysconfigDiff; words: readonly string[] }) {
  const all: SysconfigRow[] = [
    ...sysconfig.added.map((entry) => ({ kind: 'added' as const, entry })),
    ...sysconfig.removed.map((entry) => ({ kind: 'removed' as const, entry })),
  ];
  const rows = all.filter(({ entry }) => matchesWords(sysconfigTexts(entry), words));
  return (
    <ReportSection
      id="sysconfig"
      title="System configuration"
      intro="Entries of etc/sysconfig and etc/permissions, such as apps allowed to run in the background while the battery saver is on."
    >
      {rows.length === 0 ? (
        <p className="empty">{all.length === 0 ? 'No system configuration entry was added or removed.' : 'None match the search.'}</p>
      ) : (
        <ChangeTable
          rows={rows}
          columns={SYSCONFIG_COLUMNS}
          tableClass="sysconfig"
          rowKey={({ kind, entry }, index) => `${kind}\u0000${entry.kind}\u0000${entry.package ?? entry.name ?? ''}\u0000${index}`}
          rowTestId="sysconfig-row"
          kindOf={(row) => row.kind}
        />
      )}
    </ReportSection>
  );
}
