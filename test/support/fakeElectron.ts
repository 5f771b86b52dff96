/**
 * A stand-in for the `electron` module, enough for the built main process (dist/electron/main.js)
 * to start: Electron's binary is not installed here. It records what main.ts installs (protocol,
 * session and IPC handlers, the menu template, windows) so tests can call those directly.
 *
 * `vi.mock('electron')` is hoisted above a test file's imports, so create the stand-in in
 * `vi.hoisted`:
 *
 *   const fake = await vi.hoisted(async () => (await import('../support/fakeElectron.js')).createFakeElectron());
 *   vi.mock('electron', () => fake.module);
 *
 * main.ts is imported once per test file; Vitest isolates test files (vitest.config.ts keeps the
 * default `isolate: true`), so each file gets its own main process and its own stand-in.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MenuItemConstructorOptions } from 'electron';
import { expect, vi } from 'vitest';

export type Handler = (...args: unknown[]) => unknown;

export const BUILT_MAIN = fileURLToPath(new URL('../../dist/electron/main.js', import.meta.url));

/** The members of BrowserWindow that main.ts and window.ts use. */
export class FakeBrowserWindow {
  readonly loaded: string[] = [];
  readonly onceListeners = new Map<string, Handler>();
  shown = false;
  readonly webContents = {
    send: vi.fn<(channel: string, ...args: unknown[]) => void>(),
    printToPDF: vi.fn<(options: Record<string, unknown>) => Promise<Buffer>>(() => Promise.reject(new Error('the test did not set printToPDF'))),
  };
  constructor(readonly options: Record<string, unknown>) {}
  once(event: string, listener: Handler) { this.onceListeners.set(event, listener); return this; }
  on() { return this; }
  show() { this.shown = true; }
  isDestroyed() { return false; }
  loadURL(url: string) { this.loaded.push(url); return Promise.resolve(); }
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

export function createFakeElectron(options: { version?: string } = {}) {
  // Belt and braces: should the real `electron` package ever be loaded, this makes it return a
  // path instead of downloading its binary.
  process.env['ELECTRON_OVERRIDE_DIST_PATH'] = '/nonexistent-electron-dist';
  delete process.env['OTALENS_DEV_SERVER_URL'];

  const calls: string[] = [];
  const windows: FakeBrowserWindow[] = [];
  const paths = new Map<string, string>();
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => { markReady = resolve; });
  const state = {
    calls,
    appListeners: new Map<string, Handler>(),
    windows,
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, Handler>(),
    ipcHandlers: new Map<string, Handler>(),
    permissionRequest: null as Handler | null,
    permissionCheck: null as Handler | null,
    devicePermission: null as Handler | null,
    spellChecker: null as boolean | null,
    beforeRequest: null as Handler | null,
    /** The template last given to Menu.setApplicationMenu (buildFromTemplate returns it as is). */
    menu: null as MenuItemConstructorOptions[] | null,
  };

  class BrowserWindow extends FakeBrowserWindow {
    static getAllWindows = () => windows;
    constructor(options: Record<string, unknown>) {
      super(options);
      calls.push('new BrowserWindow');
      windows.push(this);
    }
  }

  const electron = {
    app: {
      enableSandbox: () => calls.push('enableSandbox'),
      on: (event: string, listener: Handler) => { state.appListeners.set(event, listener); },
      whenReady: () => ready,
      getVersion: () => options.version ?? '0.1.0',
      getPath: (name: string) => paths.get(name) ?? `/nonexistent/otalens-test/${name}`,
      setPath: (name: string, path: string) => { paths.set(name, path); },
      isPackaged: true,
      quit: () => calls.push('quit'),
      exit: (code: number) => calls.push(`exit ${code}`),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => { calls.push('registerSchemesAsPrivileged'); state.schemes = schemes; },
      handle: (scheme: string, handler: Handler) => { state.protocolHandlers.set(scheme, handler); },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Handler) => { state.permissionRequest = handler; },
        setPermissionCheckHandler: (handler: Handler) => { state.permissionCheck = handler; },
        setDevicePermissionHandler: (handler: Handler) => { state.devicePermission = handler; },
        setSpellCheckerEnabled: (enabled: boolean) => { state.spellChecker = enabled; },
        webRequest: { onBeforeRequest: (handler: Handler) => { state.beforeRequest = handler; } },
      },
    },
    ipcMain: {
      handle: (channel: string, handler: Handler) => { state.ipcHandlers.set(channel, handler); },
      removeHandler: (channel: string) => { state.ipcHandlers.delete(channel); },
    },
    Menu: {
      buildFromTemplate: (template: MenuItemConstructorOptions[]) => template,
      setApplicationMenu: (menu: MenuItemConstructorOptions[]) => { state.menu = menu; },
    },
    // Every dialog answers as if cancelled or dismissed unless a test says otherwise.
    dialog: {
      showOpenDialog: vi.fn<Handler>(() => Promise.resolve({ canceled: true, filePaths: [] })),
      showSaveDialog: vi.fn<Handler>(() => Promise.resolve({ canceled: true, filePath: '' })),
      showMessageBox: vi.fn<Handler>(() => Promise.resolve({ response: 0 })),
    },
    BrowserWindow,
  };

  return {
    state,
    electron,
    /** What `vi.mock('electron', ...)` should resolve to: the named exports and the default one. */
    module: { ...electron, default: electron },
    /** Lets the app become ready and waits for main.ts to open its window, which it does after installing the menu. */
    async startApp(): Promise<FakeBrowserWindow> {
      markReady();
      await vi.waitFor(() => expect(windows).toHaveLength(1));
      return windows[0] as FakeBrowserWindow;
    },
  };
}

/** Imports the built main process; it then waits in app.whenReady() until the fake's startApp(). */
export async function importBuiltMain(): Promise<void> {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run \`npm run build\` first (npm test does).`);
  // Electron sets this for a packaged app; the sample pair is looked up under it.
  Object.assign(process, { resourcesPath: '/nonexistent/otalens-test/resources' });
  await import(BUILT_MAIN);
}

/** The item reached by following labels through a menu template, e.g. ('&File', '&Export', 'PDF…'). */
export function menuItem(template: readonly MenuItemConstructorOptions[] | null, ...labels: string[]): MenuItemConstructorOptions {
  let items = template ?? [];
  let found: MenuItemConstructorOptions | undefined;
  for (const label of labels) {
    found = items.find((item) => item.label === label);
    if (found === undefined) throw new Error(`no menu item ${labels.join(' › ')}: ${label} is not among ${items.map((item) => item.label ?? item.role).join(', ')}`);
    items = Array.isArray(found.submenu) ? found.submenu : [];
  }
  if (found === undefined) throw new Error('menuItem needs at least one label');
  return found;
}

/** The labels of a submenu, in order. */
export function submenuLabels(template: readonly MenuItemConstructorOptions[] | null, ...labels: string[]): Array<string | undefined> {
  const { submenu } = menuItem(template, ...labels);
  return (Array.isArray(submenu) ? submenu : []).map((item) => item.label);
}

/** Clicks a menu item as Electron does, with the item, the focused window and an (empty) event. */
export function clickMenuItem(template: readonly MenuItemConstructorOptions[] | null, focused: FakeBrowserWindow, ...labels: string[]): void {
  const item = menuItem(template, ...labels);
  if (item.click === undefined) throw new Error(`${labels.join(' › ')} has no click handler`);
  (item.click as (...args: unknown[]) => void)(item, focused, {});
}
