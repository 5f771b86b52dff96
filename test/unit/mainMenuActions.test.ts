/**
 * The application menu's actions in the built main process (dist/electron/main.js), run against the
 * stand-in `electron` module: File › Export › PDF…, File › Open Recent and Help › About. The
 * recent comparisons live in a real temporary user-data folder, so they go through the disk.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { PACKAGE_CHOSEN_EVENT, type CompareOutcome, type RecentComparison } from '../../shared/api.js';
import { clickMenuItem, importBuiltMain, submenuLabels, type FakeBrowserWindow } from '../support/fakeElectron.js';

// The version differs from package.json's, so the About box can only have it from app.getVersion().
const fake = await vi.hoisted(async () => (await import('../support/fakeElectron.js')).createFakeElectron({ version: '3.7.0' }));
vi.mock('electron', () => fake.module);

const { state, electron } = fake;
const { dialog } = electron;

const samplesDir = fileURLToPath(new URL('../../samples/', import.meta.url));

/** A comparison made in an earlier session, stored as handlers.ts stores them (shared/api.ts RecentComparison). */
const storedComparison: RecentComparison = {
  id: 'c3f1b0d2e4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff',
  old: { path: '/home/tester/roms/lynx-ota-2025-06.zip', name: 'lynx-ota-2025-06.zip' },
  new: { path: '/home/tester/roms/lynx-ota-2025-07.zip', name: 'lynx-ota-2025-07.zip' },
  comparedAt: '2025-07-14T09:30:00.000Z',
  headline: 'Usage statistics were off by default and are now on.',
};

const PDF_BYTES = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');

let scratch: string;
let userData: string;
let window: FakeBrowserWindow;
let loggedErrors: MockInstance<typeof console.error>;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'otalens-menu-'));
  userData = join(scratch, 'user-data');
  await mkdir(userData);
  await writeFile(join(userData, 'recent-comparisons.json'), `${JSON.stringify([storedComparison], null, 2)}\n`);
  electron.app.setPath('userData', userData);
  await importBuiltMain();
  window = await fake.startApp();
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  vi.clearAllMocks();
  window.webContents.printToPDF.mockResolvedValue(PDF_BYTES);
  // The menu actions report their failures only through console.error.
  loggedErrors = vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => {
  const errors = [...loggedErrors.mock.calls];
  loggedErrors.mockRestore();
  expect(errors).toEqual([]);
});

/** Menu actions run detached from the click; this gives one that went astray time to act. */
function afterActionSettles(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 100));
}

function answerSaveDialog(filePath: string): void {
  dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath });
}

describe('File › Export › PDF…', () => {
  it('prints the window with its backgrounds and writes exactly the printed bytes to the chosen file', async () => {
    const target = join(await mkdtemp(join(scratch, 'pdf-')), 'lynx report.pdf');
    answerSaveDialog(target);
    clickMenuItem(state.menu, window, '&File', '&Export', 'PDF…');
    await vi.waitFor(async () => expect(await readFile(target)).toEqual(PDF_BYTES));
    expect(dialog.showSaveDialog).toHaveBeenCalledExactlyOnceWith(window, expect.objectContaining({ filters: [expect.objectContaining({ extensions: ['pdf'] })] }));
    expect(window.webContents.printToPDF).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ printBackground: true }));
  });

  it('writes nothing and warns when the chosen name does not end in .pdf', async () => {
    const folder = await mkdtemp(join(scratch, 'pdf-'));
    answerSaveDialog(join(folder, 'sample-new.zip'));
    clickMenuItem(state.menu, window, '&File', '&Export', 'PDF…');
    await vi.waitFor(() => expect(dialog.showMessageBox).toHaveBeenCalledOnce());
    expect(dialog.showMessageBox).toHaveBeenCalledWith(window, expect.objectContaining({ type: 'warning', message: expect.stringContaining('.pdf') as unknown }));
    await afterActionSettles();
    expect(window.webContents.printToPDF).not.toHaveBeenCalled();
    expect(await readdir(folder)).toEqual([]);
  });

  it('writes nothing when the save dialog is cancelled', async () => {
    // The stand-in's save dialog answers { canceled: true, filePath: '' }, as Electron does.
    clickMenuItem(state.menu, window, '&File', '&Export', 'PDF…');
    await vi.waitFor(() => expect(dialog.showSaveDialog).toHaveBeenCalledOnce());
    await afterActionSettles();
    expect(window.webContents.printToPDF).not.toHaveBeenCalled();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });
});

describe('File › Open Recent', () => {
  it('lists the comparisons stored in the user-data folder, and picks both packages of the one clicked', () => {
    expect(submenuLabels(state.menu, '&File', 'Open &Recent')).toEqual(['lynx-ota-2025-06.zip → lynx-ota-2025-07.zip']);
    clickMenuItem(state.menu, window, '&File', 'Open &Recent', 'lynx-ota-2025-06.zip → lynx-ota-2025-07.zip');
    expect(window.webContents.send.mock.calls).toEqual([
      [PACKAGE_CHOSEN_EVENT, { side: 'old', package: { path: '/home/tester/roms/lynx-ota-2025-06.zip', name: 'lynx-ota-2025-06.zip' } }],
      [PACKAGE_CHOSEN_EVENT, { side: 'new', package: { path: '/home/tester/roms/lynx-ota-2025-07.zip', name: 'lynx-ota-2025-07.zip' } }],
    ]);
  });

  it('adds a comparison made over IPC at the top, stored in the user-data folder', async () => {
    const oldPath = join(samplesDir, 'sample-old.zip');
    const newPath = join(samplesDir, 'sample-new.zip');
    const compare = state.ipcHandlers.get('otalens:compare');
    if (compare === undefined) throw new Error('main.ts did not register the compare channel');
    const fromAppPage = { senderFrame: { url: 'app://otalens/index.html' }, sender: { isDestroyed: () => false, send: () => {} } };
    const outcome = await compare(fromAppPage, { oldPath, newPath }) as CompareOutcome;
    expect(outcome.ok ? 'ok' : outcome.error.message).toBe('ok');

    await vi.waitFor(() => expect(submenuLabels(state.menu, '&File', 'Open &Recent')).toEqual([
      'sample-old.zip → sample-new.zip',
      'lynx-ota-2025-06.zip → lynx-ota-2025-07.zip',
    ]));
    const stored = JSON.parse(await readFile(join(userData, 'recent-comparisons.json'), 'utf8')) as RecentComparison[];
    expect(stored.map((entry) => [entry.old.path, entry.new.path])).toEqual([[oldPath, newPath], [storedComparison.old.path, storedComparison.new.path]]);

    clickMenuItem(state.menu, window, '&File', 'Open &Recent', 'sample-old.zip → sample-new.zip');
    expect(window.webContents.send.mock.calls).toEqual([
      [PACKAGE_CHOSEN_EVENT, { side: 'old', package: { path: oldPath, name: 'sample-old.zip' } }],
      [PACKAGE_CHOSEN_EVENT, { side: 'new', package: { path: newPath, name: 'sample-new.zip' } }],
    ]);
  });
});

describe('Help › About', () => {
  it('shows the app version and says the app works offline', async () => {
    clickMenuItem(state.menu, window, '&Help', 'About OTA Lens');
    await vi.waitFor(() => expect(dialog.showMessageBox).toHaveBeenCalledOnce());
    const [parent, options] = dialog.showMessageBox.mock.calls[0] ?? [];
    expect(parent).toBe(window);
    const { message, detail } = options as { message: string; detail?: string };
    expect(message).toContain('OTA Lens 3.7.0');
    expect(`${message}\n${detail ?? ''}`).toMatch(/works offline/i);
  });
});
