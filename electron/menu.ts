/** The application menu: File › Open old…, Open new…, Quit; Help › About. */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { Side } from '../shared/api.js';

export interface MenuActions {
  openPackage(side: Side): void;
  showAbout(): void;
  /** Adds View › Reload / Toggle Developer Tools. */
  development: boolean;
}

export function installApplicationMenu(actions: MenuActions): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open &Old Package…', accelerator: 'CmdOrCtrl+O', click: () => actions.openPackage('old') },
        { label: 'Open &New Package…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openPackage('new') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    // Without an Edit menu, copy and paste shortcuts do nothing on macOS.
    { role: 'editMenu' },
    ...(actions.development ? [{ role: 'viewMenu' } as const] : []),
    {
      label: '&Help',
      role: 'help',
      submenu: [{ label: 'About OTA Lens', click: () => actions.showAbout() }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
