/** The one application window, created hidden and shown once its first paint is ready. */
import { BrowserWindow } from 'electron';
import { secureWebPreferences } from './security.js';

export function createMainWindow(options: { preloadPath: string; entryUrl: string; devTools: boolean }): BrowserWindow {
  const window = new BrowserWindow({
    title: 'OTA Lens',
    width: 1280,
    height: 840,
    minWidth: 800,
    minHeight: 560,
    show: false,
    webPreferences: secureWebPreferences({ preloadPath: options.preloadPath, devTools: options.devTools }),
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(options.entryUrl).catch((error: unknown) => {
    console.error(`OTA Lens: could not load ${options.entryUrl}:`, error);
  });
  return window;
}
