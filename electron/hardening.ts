/**
 * Runtime guards that keep every web contents on the app's own page and the session off the
 * network: no navigation away, no new windows, no webviews, no permissions, no outside requests.
 */
import { app, type Session, type WebContents } from 'electron';
import type { UrlPolicy } from './security.js';

export function hardenSession(session: Session, policy: UrlPolicy): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setSpellCheckerEnabled(false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = policy.isAllowedRequest(details.url);
    if (!allowed) console.warn(`OTA Lens: blocked a request to ${details.url}`);
    callback({ cancel: !allowed });
  });
}

/** Applies to every web contents the app ever creates, including ones a page might spawn. */
export function guardAllWebContents(policy: UrlPolicy): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, policy));
}

function guardWebContents(contents: WebContents, policy: UrlPolicy): void {
  const blockForeignNavigation = (event: { url: string; preventDefault(): void }): void => {
    if (!policy.isAppUrl(event.url)) {
      event.preventDefault();
      console.warn(`OTA Lens: blocked navigation to ${event.url}`);
    }
  };
  contents.on('will-navigate', blockForeignNavigation);
  contents.on('will-frame-navigate', blockForeignNavigation);
  contents.on('will-redirect', blockForeignNavigation);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
