/**
 * The build's platform key: the certificates framework-res.apk (package `android`) is verifiably
 * signed with. An app verifiably signed with one of them is platform-signed: Android grants it the
 * platform's signature permissions. Without a readable framework-res.apk nobody can tell (null).
 */
import type { InventoryApp } from '../../../shared/inventory.js';
import { compareStrings } from '../../../shared/sort.js';

const FRAMEWORK_PACKAGE = 'android';

/** Sets `signing.platformSigned` and each signer's `platformKey` on every app of one build. */
export function markPlatformSigned(apps: readonly InventoryApp[]): void {
  const framework = apps
    .filter((entry) => entry.app?.package === FRAMEWORK_PACKAGE && entry.app.signing.verified)
    .sort((a, b) => Number(!a.path.endsWith('/framework-res.apk')) - Number(!b.path.endsWith('/framework-res.apk')) || compareStrings(a.path, b.path))[0];
  const platform = new Set(framework?.app?.signers.filter((signer) => signer.verified).map((signer) => signer.certificateSha256) ?? []);
  for (const { app } of apps) {
    if (app === null) continue;
    if (platform.size === 0) {
      app.signing.platformSigned = null;
      continue;
    }
    for (const signer of app.signers) if (platform.has(signer.certificateSha256)) signer.platformKey = true;
    app.signing.platformSigned = app.signing.verified && app.signers.some((signer) => signer.verified && signer.platformKey === true);
  }
}
