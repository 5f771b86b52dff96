import type { SysconfigDiff } from '../../../../shared/appDiff.js';
import type { SysconfigEntry } from '../../../../shared/inventory.js';
import { ChangeKindMark } from '../ChangeKindMark.js';
import { DevicePath } from '../DevicePath.js';
import { ReportSection } from '../ReportSection.js';

/** Allow lists and other entries of `etc/sysconfig` and `etc/permissions`. */
export function SysconfigSection({ sysconfig }: { sysconfig: SysconfigDiff }) {
  const rows: { kind: 'added' | 'removed'; entry: SysconfigEntry }[] = [
    ...sysconfig.added.map((entry) => ({ kind: 'added' as const, entry })),
    ...sysconfig.removed.map((entry) => ({ kind: 'removed' as const, entry })),
  ];
  return (
    <ReportSection
      id="sysconfig"
      title="System configuration"
      intro="Entries of etc/sysconfig and etc/permissions, such as apps allowed to run in the background while the battery saver is on."
    >
      {rows.length === 0 ? (
        <p className="empty">No system configuration entry was added or removed.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table sysconfig">
            <colgroup>
              <col className="col-kind" />
              <col className="col-entry" />
              <col className="col-name" />
              <col className="col-where" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Entry</th>
                <th scope="col">Package or name</th>
                <th scope="col">File</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ kind, entry }, index) => (
                <tr key={`${kind}\u0000${entry.kind}\u0000${entry.package ?? entry.name ?? ''}\u0000${index}`} data-testid="sysconfig-row" data-kind={kind}>
                  <td>
                    <ChangeKindMark kind={kind} />
                  </td>
                  <td className="mono">{entry.kind}</td>
                  <td className="mono">{entry.package ?? entry.name ?? <span className="value-missing">—</span>}</td>
                  <td>
                    <DevicePath path={entry.file} line={entry.line} />
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
