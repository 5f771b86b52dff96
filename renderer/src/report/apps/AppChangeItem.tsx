import type { ApkSigner } from '../../../../shared/app.js';
import type { AppChange, ComponentChange } from '../../../../shared/appDiff.js';
import { DevicePath } from '../DevicePath.js';
import { EvidenceLink } from '../evidence/EvidenceLink.js';
import { PermissionName } from './PermissionName.js';
import { OldToNew } from '../OldToNew.js';
import { ChangeList } from './ChangeList.js';
import { describePreferenceDefault } from './preferenceText.js';

function text(value: number | string | null): string | null {
  return value === null ? null : String(value);
}

function componentDifferences(change: ComponentChange): string[] {
  const parts: string[] = [];
  if (change.old.exported !== change.new.exported) parts.push(`exported ${String(change.old.exported)} → ${String(change.new.exported)}`);
  if (change.old.enabled !== change.new.enabled) parts.push(`enabled ${String(change.old.enabled)} → ${String(change.new.enabled)}`);
  if (change.old.permission !== change.new.permission) parts.push(`permission ${change.old.permission ?? 'none'} → ${change.new.permission ?? 'none'}`);
  return parts;
}

function SignerList({ signers }: { signers: readonly ApkSigner[] }) {
  if (signers.length === 0) return <span className="value-missing">not signed</span>;
  return (
    <ul className="signer-list">
      {signers.map((signer, index) => (
        <li key={`${signer.scheme}\u0000${signer.certificateSha256}\u0000${index}`}>
          {signer.subject} <span className="muted">({signer.scheme})</span>
          <br />
          <span className="mono hash">SHA-256 {signer.certificateSha256}</span>
        </li>
      ))}
    </ul>
  );
}

/** One app present in both builds whose APK changed: every change a reviewer reads, nothing else. */
export function AppChangeItem({ app }: { app: AppChange }) {
  const moved = app.path.old !== app.path.new;
  const facts: { key: string; label: string; old: string | null; current: string | null }[] = [];
  if (app.versionName !== undefined) facts.push({ key: 'version-name', label: 'Version name', old: app.versionName.old, current: app.versionName.new });
  if (app.versionCode !== undefined) facts.push({ key: 'version-code', label: 'Version code', old: text(app.versionCode.old), current: text(app.versionCode.new) });
  if (app.targetSdkVersion !== undefined) facts.push({ key: 'target-sdk', label: 'Target SDK', old: text(app.targetSdkVersion.old), current: text(app.targetSdkVersion.new) });

  return (
    <article className="app-change" data-testid="app-changed" data-package={app.package}>
      <h4>
        <span className="mono" data-testid="app-package">{app.package}</span>
        {app.label !== null && <span className="title-text" data-testid="app-label">“{app.label}”</span>}
      </h4>
      <dl className="app-facts">
        <div>
          <dt>APK</dt>
          <dd>
            {moved ? (
              <>
                <DevicePath path={app.path.old} /> <span aria-label="moved to" role="img">→</span> <DevicePath path={app.path.new} />
              </>
            ) : (
              <DevicePath path={app.path.new} />
            )}
          </dd>
        </div>
        {facts.map((fact) => (
          <div key={fact.key} data-testid={`app-${fact.key}`}>
            <dt>{fact.label}</dt>
            <dd>
              <OldToNew old={fact.old} current={fact.current} />
            </dd>
          </div>
        ))}
      </dl>
      {app.signers !== undefined && (
        <div className="warning" role="note" data-testid="app-signer-change">
          <p>
            <span aria-hidden="true">⚠</span> <strong>Signed with a different certificate.</strong> An app signed by someone else
            cannot update the old one in place; check who signs the new build.
          </p>
          <div className="signer-sides">
            <div>
              <h5>Old build</h5>
              <SignerList signers={app.signers.old} />
            </div>
            <div>
              <h5>New build</h5>
              <SignerList signers={app.signers.new} />
            </div>
          </div>
        </div>
      )}
      <div className="change-groups">
        <ChangeList
          title="Now asks for"
          kind="added"
          testId="app-permissions-added"
          items={app.usesPermissions.added.map((name) => ({ key: name, content: <PermissionName name={name} /> }))}
        />
        <ChangeList
          title="No longer asks for"
          kind="removed"
          testId="app-permissions-removed"
          items={app.usesPermissions.removed.map((name) => ({ key: name, content: <PermissionName name={name} /> }))}
        />
        <ChangeList
          title="Declares new permissions"
          kind="added"
          items={app.permissions.added.map((permission) => ({
            key: permission.name,
            content: (
              <>
                <PermissionName name={permission.name} protectionLevel={permission.protectionLevel} />
              </>
            ),
          }))}
        />
        <ChangeList
          title="No longer declares"
          kind="removed"
          items={app.permissions.removed.map((permission) => ({
            key: permission.name,
            content: (
              <>
                <PermissionName name={permission.name} protectionLevel={permission.protectionLevel} />
              </>
            ),
          }))}
        />
        <ChangeList
          title="Declared permissions with a new protection level"
          kind="changed"
          items={app.permissions.changed.map((permission) => ({
            key: permission.name,
            content: (
              <>
                <span className="mono">{permission.name}</span>: <OldToNew old={permission.old} current={permission.new} />
              </>
            ),
          }))}
        />
        <ChangeList
          title="Components added"
          kind="added"
          items={app.components.added.map((component) => ({
            key: `${component.type}\u0000${component.name}`,
            content: (
              <>
                {component.type} <span className="mono">{component.name}</span>
                {component.exported && <span className="muted"> (exported{component.permission === null ? '' : `, needs ${component.permission}`})</span>}
              </>
            ),
          }))}
        />
        <ChangeList
          title="Components removed"
          kind="removed"
          items={app.components.removed.map((component) => ({
            key: `${component.type}\u0000${component.name}`,
            content: (
              <>
                {component.type} <span className="mono">{component.name}</span>
              </>
            ),
          }))}
        />
        <ChangeList
          title="Components changed"
          kind="changed"
          items={app.components.changed.map((component) => ({
            key: `${component.type}\u0000${component.name}`,
            content: (
              <>
                {component.type} <span className="mono">{component.name}</span>: {componentDifferences(component).join('; ')}
              </>
            ),
          }))}
        />
        <ChangeList
          title="Preference defaults changed"
          kind="changed"
          testId="app-preferences-changed"
          items={app.preferences.changed.map((preference) => ({
            key: `${preference.file}\u0000${preference.key}`,
            content: (
              <>
                <span className="mono">{preference.key}</span>
                {preference.title !== null && <span className="title-text">“{preference.title}”</span>}:{' '}
                <OldToNew old={describePreferenceDefault(preference.old)} current={describePreferenceDefault(preference.new)} prose />
                <br />
                <EvidenceLink side="new" path={`${app.path.new}!/${preference.file}`} line={preference.new.line} />
              </>
            ),
          }))}
        />
        <ChangeList
          title="Preferences added"
          kind="added"
          items={app.preferences.added.map((preference) => ({
            key: `${preference.file}\u0000${preference.key}`,
            content: (
              <>
                <span className="mono">{preference.key}</span>
                {preference.title !== null && <span className="title-text">“{preference.title}”</span>}, default {describePreferenceDefault(preference)}
              </>
            ),
          }))}
        />
        <ChangeList
          title="Preferences removed"
          kind="removed"
          items={app.preferences.removed.map((preference) => ({
            key: `${preference.file}\u0000${preference.key}`,
            content: (
              <>
                <span className="mono">{preference.key}</span>
                {preference.title !== null && <span className="title-text">“{preference.title}”</span>}, was {describePreferenceDefault(preference)}
              </>
            ),
          }))}
        />
      </div>
    </article>
  );
}
