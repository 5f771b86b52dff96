/**
 * The built main process (dist/electron/main.js) run against a stand-in `electron` module: checks
 * that the wiring really applies the policy of security.ts. Electron's binary is not installed
 * here, so this is the closest check of main.ts short of launching the app.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { importBuiltMain, submenuLabels, type Handler } from '../support/fakeElectron.js';

const fake = await vi.hoisted(async () => (await import('../support/fakeElectron.js')).createFakeElectron());
vi.mock('electron', () => fake.module);

const { state } = fake;

/** Calls a recorded handler, failing clearly when main.ts never installed it. */
function installed(handler: Handler | null | undefined, what: string): Handler {
  if (handler === null || handler === undefined) throw new Error(`main.ts did not install ${what}`);
  return handler;
}

interface FakeContents {
  listeners: Map<string, Handler>;
  openHandler: Handler | null;
  on(event: string, listener: Handler): void;
  setWindowOpenHandler(handler: Handler): void;
}

function fakeContents(): FakeContents {
  const contents: FakeContents = {
    listeners: new Map(),
    openHandler: null,
    on: (event, listener) => { contents.listeners.set(event, listener); },
    setWindowOpenHandler: (handler) => { contents.openHandler = handler; },
  };
  return contents;
}

function navigation(url: string) {
  const event = { url, prevented: false, preventDefault: () => { event.prevented = true; } };
  return event;
}

beforeAll(async () => {
  await importBuiltMain();
  expect(state.calls).toEqual(['enableSandbox', 'registerSchemesAsPrivileged']);
  await fake.startApp();
});

describe('main process wiring', () => {
  it('enables the sandbox and registers app:// as a secure standard scheme before the app is ready', () => {
    expect(state.schemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) as unknown },
    ]);
    expect(state.schemes).not.toContainEqual(expect.objectContaining({ privileges: expect.objectContaining({ bypassCSP: true }) as unknown }));
  });

  it('opens one hidden window with the secure preferences and the built preload, shown when ready', async () => {
    const { secureWebPreferences } = await import('../../electron/security.js');
    const window = state.windows[0];
    if (window === undefined) throw new Error('no window');
    expect(window.options).toMatchObject({ title: 'OTA Lens', show: false });
    const preferences = window.options['webPreferences'] as { preload: string };
    expect(preferences.preload).toBe(resolve(import.meta.dirname, '../../dist/electron/preload.cjs'));
    expect(existsSync(preferences.preload)).toBe(true);
    expect(preferences).toEqual(secureWebPreferences({ preloadPath: preferences.preload, devTools: false }));
    expect(window.loaded).toEqual(['app://otalens/index.html']);
    expect(window.shown).toBe(false);
    installed(window.onceListeners.get('ready-to-show'), 'a ready-to-show listener')();
    expect(window.shown).toBe(true);
  });

  it('serves the built renderer over app:// with the CSP, and nothing outside it', async () => {
    const serve = installed(state.protocolHandlers.get('app'), 'an app:// protocol handler');
    const page = await serve({ url: 'app://otalens/index.html' }) as Response;
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(await page.text()).toContain('<div id="root">');
    const escape = await serve({ url: 'app://otalens/..%2f..%2fpackage.json' }) as Response;
    expect(escape.status).toBe(404);
  });

  it('denies every permission request and check', () => {
    const decisions: boolean[] = [];
    installed(state.permissionRequest, 'a permission request handler')({}, 'media', (granted: boolean) => decisions.push(granted), {});
    installed(state.permissionRequest, 'a permission request handler')({}, 'clipboard-read', (granted: boolean) => decisions.push(granted), {});
    expect(decisions).toEqual([false, false]);
    expect(installed(state.permissionCheck, 'a permission check handler')({}, 'geolocation', 'app://otalens', {})).toBe(false);
    expect(installed(state.devicePermission, 'a device permission handler')({})).toBe(false);
    expect(state.spellChecker).toBe(false);
  });

  it('cancels every request that is not the app\'s own', () => {
    const decide = (url: string) => {
      let response: unknown;
      installed(state.beforeRequest, 'a webRequest filter')({ url }, (r: unknown) => { response = r; });
      return response;
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(decide('app://otalens/assets/index.js')).toEqual({ cancel: false });
    expect(decide('https://example.com/collect')).toEqual({ cancel: true });
    expect(decide('http://127.0.0.1:5173/')).toEqual({ cancel: true });
    expect(decide('file:///etc/passwd')).toEqual({ cancel: true });
    warn.mockRestore();
  });

  it('guards every web contents: no foreign navigation or redirect, no new windows, no webviews', () => {
    const contents = fakeContents();
    installed(state.appListeners.get('web-contents-created'), 'a web-contents-created guard')({}, contents);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const away = navigation('https://example.com/');
      installed(contents.listeners.get(event), event)(away);
      expect(away.prevented, event).toBe(true);
      const inside = navigation('app://otalens/index.html');
      installed(contents.listeners.get(event), event)(inside);
      expect(inside.prevented, event).toBe(false);
    }
    warn.mockRestore();
    expect(installed(contents.openHandler, 'a window open handler')({ url: 'app://otalens/index.html' })).toEqual({ action: 'deny' });
    const webview = navigation('');
    installed(contents.listeners.get('will-attach-webview'), 'a will-attach-webview guard')(webview);
    expect(webview.prevented).toBe(true);
  });

  it('answers IPC on exactly the contract channels, and only from the app\'s page', async () => {
    expect([...state.ipcHandlers.keys()].sort()).toEqual([
      'otalens:appInfo', 'otalens:cancelCompare', 'otalens:chooseBuilds', 'otalens:chooseFeatureRules', 'otalens:choosePackage', 'otalens:compare', 'otalens:exportReport',
      'otalens:featureRules', 'otalens:forgetFeatureRules', 'otalens:forgetRecent', 'otalens:readFileText', 'otalens:recentComparisons', 'otalens:samplePackages', 'otalens:timeline',
    ]);
    const appInfo = installed(state.ipcHandlers.get('otalens:appInfo'), 'the appInfo channel');
    const sender = { isDestroyed: () => false, send: () => {} };
    await expect(appInfo({ senderFrame: { url: 'app://otalens/index.html' }, sender })).resolves.toEqual({ name: 'OTA Lens', version: '0.1.0' });
    expect(() => appInfo({ senderFrame: { url: 'https://example.com/' }, sender })).toThrow(/refused a message from https:\/\/example.com\//);
  });

  it('installs a File menu with Open old, Open new, Load Feature Rules and Quit, and Help › About', () => {
    const file = state.menu?.find((item) => item.label === '&File');
    const labels = (Array.isArray(file?.submenu) ? file.submenu : []).map((item) => item.label ?? item.role);
    expect(labels).toEqual(['Open &Old Package…', 'Open &New Package…', 'Open &Recent', undefined, 'Load Feature &Rules…', 'Use Built-in Feature Rules Only', undefined, '&Export', undefined, process.platform === 'darwin' ? 'close' : 'quit']);
    expect(submenuLabels(state.menu, '&File', '&Export')).toEqual(['HTML Report…', 'JSON…', 'Markdown Summary…', 'PDF…']);
    // The fake user-data folder holds no recent list.
    expect(submenuLabels(state.menu, '&File', 'Open &Recent')).toEqual(['No recent comparisons']);
    expect(submenuLabels(state.menu, '&Help')).toEqual(['About OTA Lens']);
  });

  it('quits when the last window closes (except on macOS)', () => {
    expect(state.calls).not.toContain('quit');
    installed(state.appListeners.get('window-all-closed'), 'a window-all-closed listener')();
    expect(state.calls.includes('quit')).toBe(process.platform !== 'darwin');
    expect(state.calls).not.toContain('exit 1');
  });
});
