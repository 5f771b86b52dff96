import type { GrantDiff } from '../../../../shared/appDiff.js';
import type { PermissionGrant } from '../../../../shared/inventory.js';
import { ChangeTable, type ChangeColumn } from '../ChangeTable.js';
import { DevicePath } from '../DevicePath.js';
import { ReportSection } from '../ReportSection.js';
import { GRANT_KINDS, grantTexts, matchesWords } from './platformSearch.js';

type GrantRow = { kind: 'added' | 'removed'; grant: PermissionGrant };

const GRANT_COLUMNS: readonly ChangeColumn<GrantRow>[] = [
  { header: 'Kind', colClass: 'col-grant-kind', render: ({ grant }) => GRANT_KINDS[grant.kind] ?? grant.kind },
  { header: 'Package', colClass: 'col-package', cellClass: 'mono', render: ({ grant }) => grant.package },
  { header: 'Permission', colClass: 'col-permission', cellClass: 'mono', render: ({ grant }) => grant.permission },
  {
    header: 'User can revoke',
    colClass: 'col-fixed',
    render: ({ grant }) => (grant.kind !== 'default-permission' ? '—' : grant.fixed === true ? 'No (fixed)' : 'Yes'),
  },
  { header: 'File', colClass: 'col-where', render: ({ grant }) => <DevicePath path={grant.file} line={grant.line} /> },
];

/** Permissions the platform's configuration grants to apps without asking the user. */
export function GrantsSection({ grants, words }: { grants: GrantDiff; words: readonly string[] }) {
  const all: GrantRow[] = [
    ...grants.added.map((grant) => ({ kind: 'added' as const, grant })),
    ...grants.removed.map((grant) => ({ kind: 'removed' as const, grant })),
  ];
  const rows = all.filter(({ grant }) => matchesWords(grantTexts(grant), words));
  return (
    <ReportSection
      id="grants"
      title="Permission grants"
      intro="Permissions that configuration files (default-permissions, privapp-permissions) give to apps without asking the user."
    >
      {rows.length === 0 ? (
        <p className="empty">{all.length === 0 ? 'No permission grant was added or removed.' : 'None match the search.'}</p>
      ) : (
        <ChangeTable
          rows={rows}
          columns={GRANT_COLUMNS}
          tableClass="grants"
          rowKey={({ kind, grant }, index) => `${kind}\u0000${grant.package}\u0000${grant.permission}\u0000${index}`}
          rowTestId="grant-row"
          kindOf={(row) => row.kind}
        />
      )}
    </ReportSection>
  );
}
