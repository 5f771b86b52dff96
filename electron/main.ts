/**
 * Electron main process: app lifecycle and wiring. The policy lives in security.ts, the guards in
 * hardening.ts, the privileged functions in handlers.ts; this file only connects them.
 */
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import { PACKAGE_CHOSEN_EVENT, type PackageChosen, type Side } from '../shared/api.js';
import { PRELOAD_PATH, RENDERER_DIR } from './appPaths.js';
import { serveAppFile } from './appProtocol.js';
import { showAboutDialog, showPackageDialog } from './dialogs.js';
import { createHandlers } from './handlers.js';
import { guardAllWebContents, hardenSession } from './hardening.js';
import { registerIpcHandlers } from './ipc.js';
import { installApplicationMenu } from './menu.js';
import { APP_SCHEME, createUrlPolicy, parseDevServerUrl } from './security.js';
import { createMainWindow } from './window.js';

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

function logFailure(action: string, task: Promise<void>): void {
  task.catch((error: unknown) => console.error(`OTA Lens: ${action} failed:`, error));
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession, policy);
  protocol.handle(APP_SCHEME, (request) => serveAppFile(request.url, RENDERER_DIR));
  registerIpcHandlers(ipcMain, handlers, policy.isAppUrl);

  installApplicationMenu({
    openPackage: (side) => logFailure('File › Open', openPackageFromMenu(side)),
    showAbout: () => logFailure('Help › About', showAboutDialog(mainWindow, app.getVersion())),
    development: !app.isPackaged,
  });

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
