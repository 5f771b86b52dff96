/**
 * The security policy of the window, as plain values and pure functions (no Electron runtime
 * import), so unit tests can check exactly what main.ts applies.
 */
import type { WebPreferences } from 'electron';

/** The UI is served from `app://otalens/`, a privileged standard scheme (see appProtocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'otalens';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * No 'unsafe-inline' and no 'unsafe-eval': Vite's production build emits only external module
 * scripts and stylesheets, and React's `style` props go through the CSSOM, which CSP does not
 * govern. Nothing may connect anywhere: IPC is not a network request.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'none'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function secureWebPreferences(options: { preloadPath: string; devTools: boolean }): WebPreferences {
  return {
    preload: options.preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    experimentalFeatures: false,
    devTools: options.devTools,
  };
}

/** Where the window's content may come from and which requests it may make. */
export interface UrlPolicy {
  /** The page the window loads. */
  readonly entryUrl: string;
  /** A navigation target or IPC sender frame that belongs to the app itself. */
  isAppUrl(url: string): boolean;
  /** A request the session lets through; everything else is cancelled, so nothing reaches the network. */
  isAllowedRequest(url: string): boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Development loads the UI from Vite's dev server; it must be on this machine so that even
 * development makes no outside request.
 */
export function parseDevServerUrl(value: string | undefined): URL | null {
  if (value === undefined || value === '') return null;
  const url = parseUrl(value);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new Error(`OTALENS_DEV_SERVER_URL must be an http(s) URL on this machine (127.0.0.1, localhost or [::1]), got ${JSON.stringify(value)}`);
  }
  return url;
}

export function createUrlPolicy(devServer: URL | null = null): UrlPolicy {
  const isAppUrl = (url: string): boolean => {
    const parsed = parseUrl(url);
    if (parsed === null) return false;
    if (devServer !== null) return parsed.protocol === devServer.protocol && parsed.host === devServer.host;
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  };
  const isDevServerSocket = (parsed: URL): boolean =>
    devServer !== null && parsed.protocol === (devServer.protocol === 'https:' ? 'wss:' : 'ws:') && parsed.host === devServer.host;

  return {
    entryUrl: devServer === null ? APP_ENTRY_URL : devServer.href,
    isAppUrl,
    isAllowedRequest: (url) => {
      if (isAppUrl(url)) return true;
      const parsed = parseUrl(url);
      if (parsed === null) return false;
      // data: never touches the network (the CSP limits it to images); devtools: is Chromium's own UI.
      return parsed.protocol === 'data:' || parsed.protocol === 'devtools:' || isDevServerSocket(parsed);
    },
  };
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
