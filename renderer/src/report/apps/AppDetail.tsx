import { useEffect, useRef } from 'react';
import type { ApkSigner, DeclaredPermission, PreferenceDefault, UsesPermission } from '../../../../shared/app.js';
import type { AppProfile, ComponentFacts } from '../../../../shared/appDiff.js';
import { sameSigners } from '../../../../shared/diffApps.js';
import type { ChangeKind } from '../changeKind.js';
import { ChangeKindMark } from '../ChangeKindMark.js';
import { DevicePath } from '../DevicePath.js';
import { EvidenceLink } from '../evidence/EvidenceLink.js';
import { routeHash } from '../views/inspectorViews.js';
import { AppCodeSection } from './AppCodeSection.js';
import { describeVersion } from './appFilter.js';
import { DetailList, sideValue } from './DetailList.js';
import { either, pairItems, type PairedItem } from './pairItems.js';
import { PermissionName } from './PermissionName.js';
import { isDangerousLevel, type ProtectionLevelLookup } from './platformPermissions.js';
import { describePreferenceDefault } from './preferenceText.js';

export interface AppDetailProps {
  kind: ChangeKind;
  /** The app in each build; null in the build that lacks it. */
  old: AppProfile | null;
  new: AppProfile | null;
  /** How each build declares the permissions the app asks for. */
  levels: { old: ProtectionLevelLookup; new: ProtectionLevelLookup };
}

const NOT_IN_BUILD = 'not in this build';

const yesNo = (value: boolean | null): string => (value === null ? 'not stated' : value ? 'yes' : 'no');
const orNone = (value: number | string | null): string => (value === null ? 'not stated' : String(value));

/** The facts compared row by row: a value per build, marked where they differ. */
const FACTS: readonly { label: string; value: (app: AppProfile) => string; path?: boolean }[] = [
  { label: 'APK', value: (app) => app.path, path: true },
  { label: 'Partition', value: (app) => app.partition },
  { label: 'Version', value: (app) => describeVersion(app.versionName, app.versionCode) },
  { label: 'Minimum SDK', value: (app) => orNone(app.minSdkVersion) },
  { label: 'Target SDK', value: (app) => orNone(app.targetSdkVersion) },
  { label: 'Shared user ID', value: (app) => app.sharedUserId ?? 'none' },
  { label: 'Debuggable', value: (app) => yesNo(app.application.debuggable) },
  { label: 'Allows backup', value: (app) => yesNo(app.application.allowBackup) },
  { label: 'Cleartext network traffic', value: (app) => yesNo(app.application.usesCleartextTraffic) },
  { label: 'Persistent', value: (app) => yesNo(app.application.persistent) },
  { label: 'Signatures', value: signingText },
];

function FactCell({ app, fact }: { app: AppProfile | null; fact: (typeof FACTS)[number] }) {
  if (app === null) return <td className="value-missing">{NOT_IN_BUILD}</td>;
  const value = fact.value(app);
  return <td>{fact.path === true ? <DevicePath path={value} /> : value}</td>;
}

/** What kind of key a certificate is: one of AOSP's public test keys, the build's platform key. */
function keyKinds(signer: ApkSigner): string[] {
  return [...(signer.testKey === undefined ? [] : [`AOSP public test key “${signer.testKey}”`]), ...(signer.platformKey === true ? ['platform key'] : [])];
}

function SignerList({ signers }: { signers: readonly ApkSigner[] }) {
  if (signers.length === 0) return <span className="value-missing">not signed</span>;
  return (
    <ul className="signer-list">
      {signers.map((signer, index) => (
        <li key={`${signer.scheme}\u0000${signer.certificateSha256}\u0000${index}`} data-testid="app-signer" data-scheme={signer.scheme} data-verified={signer.verified}>
          {signer.subject} <span className="muted">({signer.scheme})</span>{' '}
          {signer.verified ? (
            <span className="signer-state-verified">verified</span>
          ) : (
            <span className="signer-state-failed">not verified: {signer.failure ?? 'no reason given'}</span>
          )}
          {keyKinds(signer).map((kind) => (
            <span key={kind} className="badge signer-key-kind" data-testid="signer-key-kind">
              {kind}
            </span>
          ))}
          <br />
          <span className="mono hash">SHA-256 {signer.certificateSha256}</span>
        </li>
      ))}
    </ul>
  );
}

function signingText(app: AppProfile): string {
  const verdict = app.signing.verified ? 'verify, as Android checks them' : `do not verify: ${app.signing.failure ?? 'no reason given'}`;
  const keys = app.signing.testKeys.length > 0 ? `; signed with AOSP's public test key ${app.signing.testKeys.join(', ')}` : '';
  const platform = app.signing.platformSigned === null ? '' : app.signing.platformSigned ? '; holds the platform key' : '; not the platform key';
  return `${verdict}${keys}${platform}`;
}


function FactsTable({ old, current, signersDiffer }: { old: AppProfile | null; current: AppProfile | null; signersDiffer: boolean }) {
  const differs = (a: string | null, b: string | null) => old !== null && current !== null && a !== b;
  return (
    <div className="table-scroll">
      <table className="data-table app-facts-table" data-testid="app-facts">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Fact</span>
            </th>
            <th scope="col">Old build</th>
            <th scope="col">New build</th>
          </tr>
        </thead>
        <tbody>
          {FACTS.map((fact) => {
            const changed = differs(old === null ? null : fact.value(old), current === null ? null : fact.value(current));
            return (
              <tr key={fact.label} className={changed ? 'fact-changed' : undefined} data-testid="app-fact" data-fact={fact.label} data-changed={changed}>
                <th scope="row">
                  {fact.label}
                  {changed && <span className="changed-word"> (changed)</span>}
                </th>
                <FactCell app={old} fact={fact} />
                <FactCell app={current} fact={fact} />
              </tr>
            );
          })}
          <tr className={signersDiffer ? 'fact-changed' : undefined} data-testid="app-fact" data-fact="Signers" data-changed={signersDiffer}>
            <th scope="row">
              Signed by{signersDiffer && <span className="changed-word"> (changed)</span>}
            </th>
            <td>{old === null ? <span className="value-missing">{NOT_IN_BUILD}</span> : <SignerList signers={old.signers} />}</td>
            <td>{current === null ? <span className="value-missing">{NOT_IN_BUILD}</span> : <SignerList signers={current.signers} />}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

const COMPONENT_FACTS = (component: ComponentFacts): string =>
  [component.exported ? 'exported' : 'not exported', component.enabled ? 'enabled' : 'disabled', component.permission === null ? 'no permission' : `needs ${component.permission}`].join(', ');

function preferencePath(item: PairedItem<PreferenceDefault>, old: AppProfile | null, current: AppProfile | null): { side: 'old' | 'new'; path: string; line: number } | null {
  const app = item.new !== null ? current : old;
  const preference = item.new ?? item.old;
  if (app === null || preference === null) return null;
  return { side: item.new !== null ? 'new' : 'old', path: `${app.path}!/${preference.file}`, line: preference.line };
}

/** One app whole: its facts side by side, then its permissions, components and preference defaults, changes first. */
export function AppDetail({ kind, old, new: current, levels }: AppDetailProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [old, current]);
  const app = current ?? old;
  if (app === null) return null;
  const showStatus = kind === 'changed';
  const requested = pairItems<UsesPermission>(old?.usesPermissions ?? null, current?.usesPermissions ?? null, (permission) => permission.name, () => true);
  const declared = pairItems<DeclaredPermission>(old?.permissions ?? null, current?.permissions ?? null, (permission) => permission.name, (a, b) => a.protectionLevel === b.protectionLevel);
  const components = pairItems<ComponentFacts>(
    old?.components ?? null,
    current?.components ?? null,
    (component) => `${component.type} ${component.name}`,
    (a, b) => COMPONENT_FACTS(a) === COMPONENT_FACTS(b),
  );
  const preferences = pairItems<PreferenceDefault>(
    old?.preferences ?? null,
    current?.preferences ?? null,
    (preference) => `${preference.file} ${preference.key}`,
    (a, b) => describePreferenceDefault(a) === describePreferenceDefault(b),
  );
  // The new build's declaration for what it asks for, the old build's for what only it asked for.
  const levelOf = (item: PairedItem<UsesPermission>) => (item.new !== null ? levels.new : levels.old)(item.key);
  const asksDangerous = requested.some((item) => isDangerousLevel(levelOf(item)));
  const signersDiffer = old !== null && current !== null && !sameSigners(old.signers, current.signers);

  return (
    <article className="app-detail" data-testid="app-detail" data-package={app.package} data-kind={kind}>
      <p className="back-link">
        <a href={routeHash({ view: 'apps' })} data-testid="app-detail-back">
          <span aria-hidden="true">←</span> All apps
        </a>
      </p>
      <h3 ref={headingRef} tabIndex={-1} data-testid="app-detail-title">
        {app.label ?? app.package}
        {app.label !== null && <span className="mono">{app.package}</span>}
      </h3>
      <p className="app-detail-kind">
        <ChangeKindMark kind={kind} />: {kind === 'added' ? 'Only the new build has this app.' : kind === 'removed' ? 'Only the old build has this app.' : 'Both builds have this app; its APK differs.'}
      </p>
      {current !== null && current.signing.testKeys.length > 0 && (
        <div className="warning" role="note" data-testid="app-test-key">
          <p>
            <span aria-hidden="true">⚠</span> <strong>Signed with AOSP's public test key {current.signing.testKeys.join(', ')}.</strong> Its private key is
            published with Android's source code: anyone can sign an update that replaces this app, with its permissions and data.
          </p>
        </div>
      )}
      {current !== null && !current.signing.verified && (
        <div className="warning" role="note" data-testid="app-not-verified">
          <p>
            <span aria-hidden="true">⚠</span> <strong>Its signatures do not verify.</strong> {current.signing.failure}
          </p>
        </div>
      )}
      {signersDiffer && (
        <div className="warning" role="note" data-testid="app-signer-change">
          <p>
            <span aria-hidden="true">⚠</span> <strong>Signed with a different certificate.</strong> An app signed by someone else
            cannot update the old one in place; check who signs the new build.
          </p>
        </div>
      )}
      <FactsTable old={old} current={current} signersDiffer={signersDiffer} />
      <DetailList
        id="app-requested-permissions"
        title="Permissions it asks for"
        intro={asksDangerous ? 'Dangerous permissions are granted by the user at run time, unless the firmware grants them by default (see Settings & properties › Permission grants).' : undefined}
        items={requested}
        showStatus={showStatus}
        noun={['permission', 'permissions']}
        columns={[
          {
            header: 'Permission',
            colClass: 'col-name',
            isRowHeader: true,
            render: (item) => {
              const implied = either(item).implied;
              return (
                <>
                  <PermissionName name={item.key} level={levelOf(item)} />
                  {implied !== undefined && (
                    <span className="muted implied-permission" data-testid="implied-permission">
                      {' '}
                      (implied: {implied.reason})
                    </span>
                  )}
                </>
              );
            },
          },
        ]}
      />
      <DetailList
        id="app-declared-permissions"
        title="Permissions it declares"
        items={declared}
        showStatus={showStatus}
        noun={['permission', 'permissions']}
        columns={[
          { header: 'Permission', colClass: 'col-name', cellClass: 'mono', isRowHeader: true, render: (item) => item.key },
          { header: 'Protection level', colClass: 'col-level', render: (item) => sideValue(item, (permission) => permission.protectionLevel) },
        ]}
      />
      <DetailList
        id="app-components"
        title="Components"
        items={components}
        showStatus={showStatus}
        noun={['component', 'components']}
        columns={[
          { header: 'Type', colClass: 'col-type', render: (item) => either(item).type },
          { header: 'Class', colClass: 'col-name', cellClass: 'mono', isRowHeader: true, render: (item) => either(item).name },
          { header: 'Exported, enabled, permission', colClass: 'col-facts', render: (item) => sideValue(item, COMPONENT_FACTS) },
        ]}
      />
      <DetailList
        id="app-preferences"
        title="Preferences and their defaults"
        items={preferences}
        showStatus={showStatus}
        noun={['preference', 'preferences']}
        columns={[
          { header: 'Key', colClass: 'col-name', cellClass: 'mono', isRowHeader: true, render: (item) => either(item).key },
          { header: 'Title', colClass: 'col-title', render: (item) => either(item).title ?? <span className="value-missing">(no title)</span> },
          { header: 'Default', colClass: 'col-value', render: (item) => sideValue(item, describePreferenceDefault) },
          {
            header: 'Where',
            colClass: 'col-where',
            render: (item) => {
              const where = preferencePath(item, old, current);
              return where === null ? null : <EvidenceLink side={where.side} path={where.path} line={where.line} />;
            },
          },
        ]}
      />
      <AppCodeSection old={old} current={current} showStatus={showStatus} />
    </article>
  );
}
