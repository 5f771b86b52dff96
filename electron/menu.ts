/** The application menu: File › Open old…, Open new…, Open Recent, Load Feature Rules…, Export, Quit; Help › About. */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { ExportFormat, RecentComparison, Side } from '../shared/api.js';

export interface MenuActions {
  openPackage(side: Side): void;
  /** Picks both packages of a recent comparison. */
  openRecent(entry: RecentComparison): void;
  recent: readonly RecentComparison[];
  /** HTML, JSON and Markdown are exported by the page; PDF is printed from the window. */
  exportAs(format: ExportFormat | 'pdf'): void;
  /** File › Load Feature Rules… and File › Use Built-in Feature Rules Only. */
  loadFeatureRules(): void;
  forgetFeatureRules(): void;
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
        {
          label: 'Open &Recent',
          submenu:
            actions.recent.length === 0
              ? [{ label: 'No recent comparisons', enabled: false }]
              : actions.recent.map((entry) => ({ label: `${entry.old.name} → ${entry.new.name}`, click: () => actions.openRecent(entry) })),
        },
        { type: 'separator' },
        { label: 'Load Feature &Rules…', click: () => actions.loadFeatureRules() },
        { label: 'Use Built-in Feature Rules Only', click: () => actions.forgetFeatureRules() },
        { type: 'separator' },
        {
          label: '&Export',
          submenu: [
            { label: 'HTML Report…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportAs('html') },
            { label: 'JSON…', click: () => actions.exportAs('json') },
            { label: 'Markdown Summary…', click: () => actions.exportAs('markdown') },
            { label: 'PDF…', click: () => actions.exportAs('pdf') },
          ],
        },
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
