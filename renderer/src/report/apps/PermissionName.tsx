import { platformProtectionLevel } from './platformPermissions.js';

/** A permission name with its protection level; a dangerous one says so in words, not only in colour. */
export function PermissionName({ name, protectionLevel }: { name: string; protectionLevel?: string }) {
  const level = protectionLevel ?? platformProtectionLevel(name);
  const dangerous = level !== null && level.split('|').includes('dangerous');
  return (
    <>
      <span className="mono">{name}</span>
      {dangerous ? (
        <span className="danger-tag" data-testid="permission-dangerous" title="Protection level: dangerous (the user must grant it at run time)">
          {' '}
          <span aria-hidden="true">⚠</span> dangerous
        </span>
      ) : (
        level !== null && <span className="muted"> ({level})</span>
      )}
    </>
  );
}
