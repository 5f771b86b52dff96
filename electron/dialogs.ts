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
  { name: 'Saved inventories (otalens inventory -o)', extensions: ['json', 'gz', 'zst'] },
  { name: 'All files', extensions: ['*'] },
];

export async function showPackageDialog(parent: BaseWindow | null, side: Side, kind: PackageKind): Promise<string | null> {
  const options: OpenDialogOptions = kind === 'file'
    ? { title: `Open ${side} package`, properties: ['openFile', 'dontAddToRecent'], filters: PACKAGE_FILTERS }
    : { title: `Open ${side} package folder`, properties: ['openDirectory', 'dontAddToRecent'] };
  const { canceled, filePaths } = parent === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(parent, options);
  return canceled ? null : filePaths[0] ?? null;
}

async function openDialog(parent: BaseWindow | null, options: OpenDialogOptions): Promise<string[]> {
  const { canceled, filePaths } = parent === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(parent, options);
  return canceled ? [] : filePaths;
}

/** Asks for a feature rules file (JSON or YAML); resolves null when the user cancels. */
export async function showRulesDialog(parent: BaseWindow | null): Promise<string | null> {
  const [path] = await openDialog(parent, {
    title: 'Load feature rules',
    properties: ['openFile', 'dontAddToRecent'],
    filters: [{ name: 'Feature rules (YAML, JSON)', extensions: ['yaml', 'yml', 'json'] }, { name: 'All files', extensions: ['*'] }],
  });
  return path ?? null;
}

/** Asks for the builds of a timeline: packages or saved inventories, several at once. */
export async function showBuildsDialog(parent: BaseWindow | null): Promise<string[]> {
  return openDialog(parent, {
    title: 'Choose builds for a timeline',
    properties: ['openFile', 'multiSelections', 'dontAddToRecent'],
    filters: [{ name: 'Packages and saved inventories', extensions: [...(PACKAGE_FILTERS?.[0]?.extensions ?? []), 'json'] }, { name: 'All files', extensions: ['*'] }],
  });
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
