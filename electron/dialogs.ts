/** Native dialogs: choosing a package, and the About box. */
import { dialog, type BaseWindow, type OpenDialogOptions } from 'electron';
import type { PackageKind, Side } from '../shared/api.js';

const PACKAGE_FILTERS: OpenDialogOptions['filters'] = [
  { name: 'Android packages (zip, img, tgz)', extensions: ['zip', 'img', 'tgz', 'gz'] },
  { name: 'OTA / ROM zip', extensions: ['zip'] },
  { name: 'Disk images', extensions: ['img'] },
  { name: 'Tarballs', extensions: ['tgz', 'gz'] },
  { name: 'All files', extensions: ['*'] },
];

export async function showPackageDialog(parent: BaseWindow | null, side: Side, kind: PackageKind): Promise<string | null> {
  const options: OpenDialogOptions = kind === 'file'
    ? { title: `Open ${side} package`, properties: ['openFile', 'dontAddToRecent'], filters: PACKAGE_FILTERS }
    : { title: `Open ${side} package folder`, properties: ['openDirectory', 'dontAddToRecent'] };
  const { canceled, filePaths } = parent === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(parent, options);
  return canceled ? null : filePaths[0] ?? null;
}

export async function showAboutDialog(parent: BaseWindow | null, version: string): Promise<void> {
  const options = {
    type: 'info' as const,
    title: 'About OTA Lens',
    message: `OTA Lens ${version}`,
    detail: 'Compares two Android ROM/OTA packages.\nWorks offline: nothing you open leaves this machine.',
    buttons: ['OK'],
  };
  if (parent === null) await dialog.showMessageBox(options);
  else await dialog.showMessageBox(parent, options);
}
