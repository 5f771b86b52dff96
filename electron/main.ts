/**
 * Electron main process: app lifecycle and wiring. The policy lives in security.ts, the guards in
 * hardening.ts, the privileged functions in handlers.ts; this file only connects them.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFile } from 'node:fs/promises';
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import { EVENT_CHANNELS, PACKAGE_CHOSEN_EVENT, type PackageChosen, type Side } from '../shared/api.js';
import { PRELOAD_PATH, RENDERER_DIR } from './appPaths.js';
import { serveAppFile } from './appProtocol.js';
import { showAboutDialog, showBuildsDialog, showExportDialog, showPackageDialog, showPdfDialog, showRulesDialog } from './dialogs.js';
import { createHandlers } from './handlers.js';
import { guardAllWebContents, hardenSession } from './hardening.js';
import { registerIpcHandlers } from './ipc.js';
import { installApplicationMenu } from './menu.js';
import { APP_SCHEME, createUrlPolicy, parseDevServerUrl } from './security.js';
import { createMainWindow } from './window.js';

/** The sample pair: packaged as an extra resource, or the repository's samples/ when run from dist/. */
const SAMPLES_DIR = app.isPackaged ? join(process.resourcesPath, 'samples') : fileURLToPath(new URL('../../samples/', import.meta.url));

const EXPORT_REQUESTED_EVENT = EVENT_CHANNELS.exportRequested;
const FEATURE_RULES_CHANGED_EVENT = EVENT_CHANNELS.featureRulesChanged;

const devServer = parseDevServerUrl(process.env['OTALENS_DEV_SERVER_URL']);
const policy = createUrlPolicy(devServer);

// Both must happen before the app is ready.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
]);
guardAllWebContents(policy);

let mainWindow: BrowserWindow | null = null;
const noProgress = { sendProgress: () => {} };

const handlers = createHandlers({
  choosePackagePath: (side, kind) => showPackageDialog(mainWindow, side, kind),
  chooseExportPath: (defaultName, format) => showExportDialog(mainWindow, defaultName, format),
  samplesDir: SAMPLES_DIR,
  recentFile: join(app.getPath('userData'), 'recent-comparisons.json'),
  chooseRulesPath: () => showRulesDialog(mainWindow),
  rulesSettingsFile: join(app.getPath('userData'), 'feature-rules.json'),
  chooseBuildPaths: () => showBuildsDialog(mainWindow),
  onRecentChanged: () => logFailure('updating File › Open Recent', refreshMenu()),
  appVersion: app.getVersion(),
});

function openMainWindow(): void {
  mainWindow = createMainWindow({ preloadPath: PRELOAD_PATH, entryUrl: policy.entryUrl, devTools: !app.isPackaged });
  mainWindow.on('closed', () => {
    mainWindow = null;
    // Nobody is left to show the result: stop the worker instead of letting it finish.
    void handlers.cancelCompare(noProgress);
  });
}

async function openPackageFromMenu(side: Side): Promise<void> {
  const window = mainWindow;
  if (window === null) return;
  const picked = await handlers.choosePackage(noProgress, side, 'file');
  if (picked === null || window.isDestroyed()) return;
  const chosen: PackageChosen = { side, package: picked };
  window.webContents.send(PACKAGE_CHOSEN_EVENT, chosen);
}

/** File › Load Feature Rules… (or forgetting them): the page hears which rules are in use now. */
async function changeFeatureRules(load: boolean): Promise<void> {
  const status = load ? await handlers.chooseFeatureRules(noProgress) : await handlers.forgetFeatureRules(noProgress);
  const window = mainWindow;
  if (window === null || window.isDestroyed()) return;
  window.webContents.send(FEATURE_RULES_CHANGED_EVENT, status);
  if (status.error !== null) await dialog.showMessageBox(window, { type: 'warning', message: 'These feature rules cannot be used', detail: status.error, buttons: ['OK'] });
}

/** Rebuilt whenever the recent comparisons change, so File › Open Recent lists them. */
async function refreshMenu(): Promise<void> {
  const recent = await handlers.recentComparisons(noProgress);
  installApplicationMenu({
    openPackage: (side) => logFailure('File › Open', openPackageFromMenu(side)),
    openRecent: (entry) => {
      const window = mainWindow;
      if (window === null || window.isDestroyed()) return;
      for (const side of ['old', 'new'] as const) {
        const chosen: PackageChosen = { side, package: entry[side] };
        window.webContents.send(PACKAGE_CHOSEN_EVENT, chosen);
      }
    },
    recent,
    exportAs: (format) => {
      const window = mainWindow;
      if (window === null || window.isDestroyed()) return;
      if (format === 'pdf') logFailure('File › Export › PDF', savePdf(window));
      else window.webContents.send(EXPORT_REQUESTED_EVENT, format);
    },
    loadFeatureRules: () => logFailure('File › Load Feature Rules', changeFeatureRules(true)),
    forgetFeatureRules: () => logFailure('File › Use Built-in Feature Rules Only', changeFeatureRules(false)),
    showAbout: () => logFailure('Help › About', showAboutDialog(mainWindow, app.getVersion())),
    development: !app.isPackaged,
  });
}

/** Prints the window as shown to a PDF the user names; only a `.pdf` name, so no package is ever overwritten. */
async function savePdf(window: BrowserWindow): Promise<void> {
  const path = await showPdfDialog(window);
  // The window may have been closed while the dialog was open: nothing is left to print.
  if (path === null || window.isDestroyed()) return;
  if (!path.toLowerCase().endsWith('.pdf')) {
    await dialog.showMessageBox(window, { type: 'warning', message: 'Choose a file name ending in .pdf.', buttons: ['OK'] });
    return;
  }
  await writeFile(path, await window.webContents.printToPDF({ printBackground: true }));
}

function logFailure(action: string, task: Promise<void>): void {
  task.catch((error: unknown) => console.error(`OTA Lens: ${action} failed:`, error));
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession, policy);
  protocol.handle(APP_SCHEME, (request) => serveAppFile(request.url, RENDERER_DIR));
  registerIpcHandlers(ipcMain, handlers, policy.isAppUrl);

  await refreshMenu();

  openMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

start().catch((error: unknown) => {
  console.error('OTA Lens failed to start:', error);
  app.exit(1);
});
