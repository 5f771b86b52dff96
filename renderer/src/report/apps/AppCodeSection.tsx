import type { AppCode, HostFound, SdkFound } from '../../../../shared/app.js';
import type { AppProfile } from '../../../../shared/appDiff.js';
import { codeChange, codeWasRead } from '../../../../shared/codeDiff.js';
import { CATEGORY_LABELS, isTrackerCategory } from '../../../../shared/sdks.js';
import { DevicePath } from '../DevicePath.js';
import { DetailList } from './DetailList.js';
import { either, pairItems } from './pairItems.js';

/** How the code of one build's app was read, in a sentence. */
function statusText(code: AppCode): string {
  if (code.status === 'read' || code.dexFiles.length > 0) {
    const files = `${code.dexFiles.length} DEX ${code.dexFiles.length === 1 ? 'file' : 'files'}, ${code.classCount.toLocaleString('en-US')} classes`;
    return code.reason === undefined ? `Read from ${files}.` : `Read from ${files}; ${code.reason}.`;
  }
  return `${code.reason ?? code.status}.`;
}

/** Where a DEX file is: a member of the APK, or a device path (a VDEX, a jar). */
function DexFile({ name }: { name: string }) {
  return name.startsWith('/') ? <DevicePath path={name} /> : <span className="mono">{name}</span>;
}

function SdkEvidence({ sdk }: { sdk: SdkFound }) {
  return (
    <>
      <span className="mono">{sdk.evidence.className}</span> in <DexFile name={sdk.evidence.dexFile} />
      {sdk.classCount > 1 && <span className="muted"> (and {(sdk.classCount - 1).toLocaleString('en-US')} more classes)</span>}
    </>
  );
}

function placesText(host: HostFound): string {
  const others = host.alsoIn?.length ?? 0;
  return others === 0 ? host.foundIn : `${host.foundIn} and ${others} more`;
}

/**
 * An app's code layer side by side: how each build's code was read, the SDKs it carries (trackers
 * marked) with the class that identifies each, the servers it names with a string that names them,
 * and apart from them the names that are no servers. Changes first when both builds have the app.
 */
export function AppCodeSection({ old, current, showStatus }: { old: AppProfile | null; current: AppProfile | null; showStatus: boolean }) {
  const oldCode = old?.code;
  const newCode = current?.code;
  // Results written before the code layer existed have no `code` at all.
  if (oldCode === undefined && newCode === undefined) return null;
  const change = codeChange(oldCode, newCode);
  const comparable = change?.notCompared === undefined;
  // When one build's code could not be read, its empty lists are no evidence of removal or addition:
  // the lists show the build whose code was read.
  const readSide = [newCode, oldCode].find((code) => code !== null && code !== undefined && codeWasRead(code)) ?? newCode ?? oldCode ?? null;
  const sides = comparable ? { old: oldCode ?? null, new: newCode ?? null } : { old: null, new: readSide };
  // Code that was not read at all (not in the build's files, unreadable) leaves the SDKs unknown, not "none".
  const shown = [sides.old, sides.new].filter((code): code is AppCode => code !== null);
  const sdksUnknown = shown.length > 0 && !shown.some(codeWasRead);
  const sdks = pairItems<SdkFound>(sides.old?.sdks ?? null, sides.new?.sdks ?? null, (sdk) => sdk.id, () => true);
  const hosts = pairItems<HostFound>(sides.old?.hosts ?? null, sides.new?.hosts ?? null, (host) => host.host, () => true);
  const nonEndpoints = (newCode ?? oldCode)?.nonEndpoints ?? [];
  const withStatus = showStatus && comparable;

  return (
    <>
      <section className="subsection app-code" aria-labelledby="app-code-heading" data-testid="app-code">
        <h4 id="app-code-heading">Code</h4>
        {oldCode === null || newCode === null ? (
          <p className="muted" data-testid="app-code-status">Code analysis was turned off for this comparison.</p>
        ) : (
          <ul className="code-status">
            {old !== null && oldCode !== undefined && (current === null || change?.status !== undefined) && (
              <li data-testid="app-code-status" data-side="old" data-status={oldCode.status}>
                {current !== null && <strong>Old build: </strong>}
                {statusText(oldCode)}
              </li>
            )}
            {current !== null && newCode !== undefined && (
              <li data-testid="app-code-status" data-side="new" data-status={newCode.status}>
                {old !== null && change?.status !== undefined && <strong>New build: </strong>}
                {statusText(newCode)}
              </li>
            )}
          </ul>
        )}
        {!comparable && (
          <p className="notice" data-testid="app-code-not-compared">
            {change?.notCompared}; the lists show the build whose code was read.
          </p>
        )}
      </section>
      <DetailList
        id="app-sdks"
        title="SDKs in its code"
        intro="Known by the classes the app's DEX files define (the SDK knowledge base: εxodus, ETIP and the vendors' own package names). Trackers collect data about the user or the device."
        items={sdks}
        showStatus={withStatus}
        noun={['SDK', 'SDKs']}
        empty={sdksUnknown ? "Not known: the app's code was not read (see above)." : undefined}
        columns={[
          { header: 'SDK', colClass: 'col-name', isRowHeader: true, render: (item) => either(item).name },
          {
            header: 'Category',
            colClass: 'col-category',
            render: (item) => {
              const sdk = either(item);
              return (
                <>
                  {CATEGORY_LABELS[sdk.category]}
                  {isTrackerCategory(sdk.category) && (
                    <span className="badge tone-bad sdk-tracker" data-testid="sdk-tracker">
                      tracker
                    </span>
                  )}
                </>
              );
            },
          },
          { header: 'Evidence', colClass: 'col-where', render: (item) => <SdkEvidence sdk={either(item)} /> },
        ]}
      />
      <DetailList
        id="app-hosts"
        title="Servers it names"
        intro="Host names and addresses in URLs and host-name strings of its code, resources and XML (network security config included)."
        items={hosts}
        showStatus={withStatus}
        noun={['server', 'servers']}
        columns={[
          { header: 'Host', colClass: 'col-name', cellClass: 'mono', isRowHeader: true, render: (item) => either(item).host },
          { header: 'A string that names it', colClass: 'col-value', cellClass: 'mono sample', render: (item) => either(item).sample },
          { header: 'Found in', colClass: 'col-where', render: (item) => placesText(either(item)) },
        ]}
      />
      {nonEndpoints.length > 0 && (
        <details className="subsection non-endpoints" data-testid="app-non-endpoints">
          <summary>
            {nonEndpoints.length.toLocaleString('en-US')} {nonEndpoints.length === 1 ? 'name that is' : 'names that are'} no server (XML namespaces, documentation
            links, example and local addresses)
          </summary>
          <ul>
            {nonEndpoints.map((host) => (
              <li key={host.host}>
                <span className="mono">{host.host}</span>: {host.reason} <span className="muted">({host.foundIn})</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
