import type { GrantDiff } from '../../../../shared/appDiff.js';
import type { PermissionGrant } from '../../../../shared/inventory.js';
import { ChangeKindMark } from '../ChangeKindMark.js';
import { DevicePath } from '../DevicePath.js';
import { ReportSection } from '../ReportSection.js';

const GRANT_KINDS: Record<string, string> = {
  'default-permission': 'Granted by default',
  'privapp-permission': 'Privileged permission',
  'privapp-deny': 'Privileged permission denied',
};

/** Permissions the platform's configuration grants to apps without asking the user. */
export function GrantsSection({ grants }: { grants: GrantDiff }) {
  const rows: { kind: 'added' | 'removed'; grant: PermissionGrant }[] = [
    ...grants.added.map((grant) => ({ kind: 'added' as const, grant })),
    ...grants.removed.map((grant) => ({ kind: 'removed' as const, grant })),
  ];
  return (
    <ReportSection
      id="grants"
      title="Permission grants"
      intro="Permissions that configuration files (default-permissions, privapp-permissions) give to apps without asking the user."
    >
      {rows.length === 0 ? (
        <p className="empty">No permission grant was added or removed.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table grants">
            <colgroup>
              <col className="col-kind" />
              <col className="col-grant-kind" />
              <col className="col-package" />
              <col className="col-permission" />
              <col className="col-fixed" />
              <col className="col-where" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Kind</th>
                <th scope="col">Package</th>
                <th scope="col">Permission</th>
                <th scope="col">User can revoke</th>
                <th scope="col">File</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ kind, grant }, index) => (
                <tr key={`${kind}\u0000${grant.package}\u0000${grant.permission}\u0000${index}`} data-testid="grant-row" data-kind={kind}>
                  <td>
                    <ChangeKindMark kind={kind} />
                  </td>
                  <td>{GRANT_KINDS[grant.kind] ?? grant.kind}</td>
                  <td className="mono">{grant.package}</td>
                  <td className="mono">{grant.permission}</td>
                  <td>{grant.kind !== 'default-permission' ? '—' : grant.fixed === true ? 'No (fixed)' : 'Yes'}</td>
                  <td>
                    <DevicePath path={grant.file} line={grant.line} />
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
