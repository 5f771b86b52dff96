import { isDangerousLevel, type ProtectionLevel } from './platformPermissions.js';

/**
 * A permission name with its protection level and, when the build declares it, who declares it.
 * A dangerous one says so in words, not only in colour.
 */
export function PermissionName({ name, level }: { name: string; level: ProtectionLevel | null }) {
  const declaredBy = level?.declaredBy === null || level?.declaredBy === undefined ? null : `declared by ${level.declaredBy}`;
  if (level === null) return <span className="mono">{name}</span>;
  return (
    <>
      <span className="mono">{name}</span>
      {isDangerousLevel(level) ? (
        <span className="danger-tag" data-testid="permission-dangerous" title={`Protection level: ${level.level} (the user must grant it at run time)`}>
          {' '}
          <span aria-hidden="true">⚠</span> dangerous
        </span>
      ) : (
        <span className="muted" data-testid="permission-level">
          {' '}
          ({level.level})
        </span>
      )}
      {declaredBy !== null && <span className="muted"> {declaredBy}</span>}
    </>
  );
}
