/** Native dialogs: choosing a package, saving an export, and the About box. */
import { dialog, type BaseWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { ExportFormat, PackageKind, Side } from '../shared/api.js';

const PACKAGE_FILTERS: OpenDialogOptions['filters'] = [
  { name: 'Android packages (zip, img, tar, tgz, md5, bin)', extensions: ['zip', 'img', 'tar', 'tgz', 'gz', 'md5', 'bin', 'lz4', 'zst', 'xz', 'bz2', 'br'] },
  { name: 'OTA / ROM zip', extensions: ['zip'] },
  { name: 'Samsung firmware (tar.md5)', extensions: ['md5', 'tar'] },
  { name: 'A/B payload (payload.bin)', extensions: ['bin'] },
  { name: 'Disk images', extensions: ['img', 'lz4', 'zst', 'xz', 'gz', 'bz2', 'br'] },
  { name: 'Tarballs', extensions: ['tar', 'tgz', 'gz'] },
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

const EXPORT_FILTERS: Record<ExportFormat, { name: string; extensions: string[] }> = {
  html: { name: 'HTML report', extensions: ['html'] },
  json: { name: 'JSON', extensions: ['json'] },
  markdown: { name: 'Markdown', extensions: ['md'] },
};

/** Asks where to save an export; resolves null when the user cancels. */
export async function showExportDialog(parent: BaseWindow | null, defaultName: string, format: ExportFormat): Promise<string | null> {
  const options: SaveDialogOptions = {
    title: 'Export comparison',
    defaultPath: defaultName,
    filters: [EXPORT_FILTERS[format]],
    properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
  };
  const { canceled, filePath } = parent === null ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(parent, options);
  return canceled || filePath === undefined || filePath === '' ? null : filePath;
}

/** Asks where to save the window as PDF; resolves null when the user cancels. */
export async function showPdfDialog(parent: BaseWindow): Promise<string | null> {
  const { canceled, filePath } = await dialog.showSaveDialog(parent, {
    title: 'Export as PDF',
    defaultPath: 'otalens-report.pdf',
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
  });
  return canceled || filePath === undefined || filePath === '' ? null : filePath;
}
