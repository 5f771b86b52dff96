import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Side } from '../../shared/api.js';
import type { ComparisonResult } from '../../shared/model.js';
import { APP_ORIGIN, emitApiEvent, openLiveRenderer, type BridgeHandlers, type LiveRenderer } from '../support/bridge.js';
import { launchBrowser, recordPageErrors, recordRequests } from '../support/browser.js';
import { unzipMember } from '../support/oracles.js';
import { expectFilesShown, expectPropertiesShown, openAppDetail, readAppDetailRows, readCell, readVerdictCard, showView, waitForReport } from './reportPage.js';
import { expectedAppDiff, expectedCloudMessaging, SAMPLE_NEW, SAMPLE_OLD, sampleExpectations } from './sampleOracle.js';
import { builtHandlers } from '../support/built.js';

// The built handlers and engine, exactly what the Electron main process runs.
const { createHandlers } = await builtHandlers();

let browser: Browser;
let workDir: string;

beforeAll(async () => {
  browser = await launchBrowser();
  workDir = await mkdtemp(join(tmpdir(), 'otalens-live-'));
});

afterAll(async () => {
  await browser?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** The real handlers, with the native open and save dialogs replaced by fixed answers. */
function handlersChoosing(paths: Record<Side, string>): BridgeHandlers {
  return createHandlers({
    choosePackagePath: async (side) => paths[side],
    chooseExportPath: async (name) => join(workDir, name),
    samplesDir: dirname(SAMPLE_OLD),
    recentFile: join(workDir, 'user-data', 'recent-comparisons.json'),
    appVersion: '0.0.0-test',
  });
}

interface LiveSession {
  page: Page;
  live: LiveRenderer;
  handlers: BridgeHandlers;
  errors: string[];
}

async function startSession(paths: Record<Side, string>): Promise<LiveSession> {
  const page = await browser.newPage();
  const errors = recordPageErrors(page);
  const handlers = handlersChoosing(paths);
  const live = await openLiveRenderer(page, handlers);
  await page.getByTestId('start-screen').waitFor();
  return { page, live, handlers, errors };
}

/** Stops whatever the handlers still run, so a failed test does not leave a worker hashing. */
async function endSession(session: LiveSession): Promise<void> {
  await session.handlers.cancelCompare({ sendProgress: () => undefined });
  await session.page.close();
}

async function choose(page: Page, side: Side): Promise<void> {
  const zone = page.getByRole('region', { name: side === 'old' ? 'Old build' : 'New build' });
  await zone.getByRole('button', { name: 'Open file…' }).click();
  await page.getByTestId(`pick-name-${side}`).waitFor();
}

function expectNoNetwork(live: LiveRenderer): void {
  expect(live.blockedRequests).toEqual([]);
  expect(live.allRequests.length).toBeGreaterThan(0);
  expect(live.allRequests.filter((url) => !url.startsWith(`${APP_ORIGIN}/`))).toEqual([]);
}

describe('live renderer with the real handlers', () => {
  const expected = sampleExpectations();
  let session: LiveSession;

  beforeAll(async () => {
    session = await startSession({ old: SAMPLE_OLD, new: SAMPLE_NEW });
  });

  afterAll(async () => {
    if (session) await endSession(session);
  });

  it('enables Compare only once both packages are chosen, showing each name and path', async () => {
    const { page } = session;
    const compare = page.getByRole('button', { name: 'Compare', exact: true });
    expect(await compare.isDisabled()).toBe(true);
    await choose(page, 'old');
    expect(await compare.isDisabled()).toBe(true);
    await choose(page, 'new');
    expect(await compare.isEnabled()).toBe(true);
    expect(await readCell(page, 'pick-name-old')).toBe('sample-old.zip');
    expect(await readCell(page, 'pick-path-old')).toBe(SAMPLE_OLD);
    expect(await readCell(page, 'pick-name-new')).toBe('sample-new.zip');
    expect(await readCell(page, 'pick-path-new')).toBe(SAMPLE_NEW);
  });

  it('compares and shows the verdict, the property changes read from build.prop and the files', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await waitForReport(page);
    const truth = expectedCloudMessaging();
    const card = await readVerdictCard(page, 'cloud-messaging');
    expect([card.change, card.old, card.new]).toEqual(['now-opt-in', truth.old, truth.new]);
    await showView(page, 'settings');
    await expectPropertiesShown(page, expected.properties);
    await showView(page, 'files');
    await expectFilesShown(page, expected.files);
    await showView(page, 'summary');
    expect(await readCell(page, 'fingerprint-old')).toBe(expected.fingerprints.old);
    expect(await readCell(page, 'fingerprint-new')).toBe(expected.fingerprints.new);
  });

  it('shows a changed app whole in the window too: every permission it asks for in the new build, as aapt lists them', async () => {
    const { page } = session;
    const apps = expectedAppDiff();
    const [name] = [...apps.changed].find(([, app]) => app.permissionsAdded.length > 0) ?? [];
    if (name === undefined) throw new Error('the sample should change an app’s permissions');
    await openAppDetail(page, name);
    const rows = await readAppDetailRows(page, 'app-requested-permissions');
    expect(rows.filter(([kind]) => kind !== 'removed').map(([, permission]) => permission).sort()).toEqual(apps.usesPermissions.new.get(name));
    await showView(page, 'summary');
  });

  it('reads any file of either package again in the window: a text as unzip extracts it, and says why a binary one has none', async () => {
    const { page } = session;
    await showView(page, 'files');
    await page.locator('[data-testid="tree-row"][data-path="/system/build.prop"]').click();
    await page.getByTestId('read-text-old').click();
    const dialog = page.getByTestId('evidence-file');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.getAttribute('data-side')).toBe('old');
    expect(await dialog.getByTestId('evidence-file-text').locator('.line-text').allTextContents()).toEqual(
      unzipMember(SAMPLE_OLD, 'system/build.prop').toString('utf8').replace(/\n$/, '').split('\n'),
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('tree-show-unchanged').locator('input').check();
    await page.evaluate(() => { window.location.hash = `#/files/${encodeURIComponent('/system/bin/toolbox')}`; });
    await page.locator('[data-testid="file-detail"][data-path="/system/bin/toolbox"]').getByTestId('read-text-new').click();
    expect(await page.getByTestId('read-text-error').textContent()).toMatch(/sample-new\.zip: \/system\/bin\/toolbox: a binary file/);
    await page.getByTestId('tree-show-unchanged').locator('input').uncheck();
    await showView(page, 'summary');
  });

  it('exports HTML and JSON through the save dialog; the exported HTML opens as the same report', async () => {
    const { page } = session;
    await page.getByTestId('export-json').click();
    const jsonPath = join(workDir, 'otalens-sample-old-vs-sample-new.json');
    await page.getByTestId('export-status').getByText(`Saved ${jsonPath}.`).waitFor();
    const saved = JSON.parse(await readFile(jsonPath, 'utf8')) as ComparisonResult;
    expect(saved.new.fingerprint).toBe(expected.fingerprints.new);
    expect(saved.features.find((feature) => feature.id === 'cloud-messaging')?.change).toBe('now-opt-in');

    await page.getByTestId('export-html').click();
    const htmlPath = join(workDir, 'otalens-sample-old-vs-sample-new.html');
    await page.getByTestId('export-status').getByText(`Saved ${htmlPath}.`).waitFor();
    const reopened = await browser.newPage();
    const requests = recordRequests(reopened);
    const errors = recordPageErrors(reopened);
    await reopened.goto(pathToFileURL(htmlPath).href);
    await waitForReport(reopened);
    const truth = expectedCloudMessaging();
    const card = await readVerdictCard(reopened, 'cloud-messaging');
    expect([card.change, card.old, card.new]).toEqual(['now-opt-in', truth.old, truth.new]);
    expect(await readCell(reopened, 'fingerprint-old')).toBe(expected.fingerprints.old);
    expect(requests).toEqual([pathToFileURL(htmlPath).href]);
    expect(errors).toEqual([]);
    await reopened.close();
  });

  it('exports on File › Export from the app menu (the exportRequested event) like its own button', async () => {
    const { page } = session;
    await emitApiEvent(page, 'exportRequested', 'markdown');
    const markdownPath = join(workDir, 'otalens-sample-old-vs-sample-new.md');
    await page.getByTestId('export-status').getByText(`Saved ${markdownPath}.`).waitFor();
    expect(await readFile(markdownPath, 'utf8')).toMatch(/^# OTA Lens: `sample-old\.zip` → `sample-new\.zip`/);
  });

  it('goes back to the start screen, keeping both choices, on "New comparison"', async () => {
    const { page } = session;
    expect(await page.title()).toBe('OTA Lens report: sample-old.zip → sample-new.zip');
    await page.getByRole('button', { name: 'New comparison' }).click();
    await page.getByTestId('start-screen').waitFor();
    expect(await page.title()).toBe('OTA Lens');
    expect(await readCell(page, 'pick-path-old')).toBe(SAMPLE_OLD);
    expect(await readCell(page, 'pick-path-new')).toBe(SAMPLE_NEW);
  });

  it('takes a package chosen from the app menu (the packageChosen event)', async () => {
    const { page } = session;
    const chosen = { side: 'old' as const, package: { path: SAMPLE_NEW, name: 'sample-new.zip' } };
    await emitApiEvent(page, 'packageChosen', chosen);
    await expect.poll(() => readCell(page, 'pick-path-old')).toBe(SAMPLE_NEW);
    await emitApiEvent(page, 'packageChosen', { side: 'old', package: { path: SAMPLE_OLD, name: 'sample-old.zip' } });
    await expect.poll(() => readCell(page, 'pick-path-old')).toBe(SAMPLE_OLD);
  });

  it('made no network request and raised no error', () => {
    expectNoNetwork(session.live);
    expect(session.errors).toEqual([]);
  });
});

describe('start screen: the sample and recent comparisons', () => {
  it('compares the bundled sample in one click, then lists it as recent, and forgets it on request', async () => {
    await rm(join(workDir, 'user-data'), { recursive: true, force: true });
    const session = await startSession({ old: SAMPLE_OLD, new: SAMPLE_NEW });
    try {
      const { page } = session;
      expect(await page.getByTestId('recent').count(), 'nothing compared yet').toBe(0);
      await page.getByRole('button', { name: 'Try the sample' }).click();
      await waitForReport(page);
      const truth = expectedCloudMessaging();
      const card = await readVerdictCard(page, 'cloud-messaging');
      expect([card.change, card.old, card.new]).toEqual(['now-opt-in', truth.old, truth.new]);

      await page.getByRole('button', { name: 'New comparison' }).click();
      const item = page.getByTestId('recent-item');
      await item.first().waitFor();
      expect(await item.count()).toBe(1);
      expect(await item.locator('.recent-open').textContent()).toBe('sample-old.zip → sample-new.zip');
      expect(await item.locator('.recent-headline').textContent()).toBe(card.summary);
      const stored = JSON.parse(await readFile(join(workDir, 'user-data', 'recent-comparisons.json'), 'utf8')) as { old: { path: string } }[];
      expect(stored.map((entry) => entry.old.path)).toEqual([SAMPLE_OLD]);

      // Running it again from the list gives the same answer.
      await item.locator('.recent-open').click();
      await waitForReport(page);
      expect((await readVerdictCard(page, 'cloud-messaging')).change).toBe('now-opt-in');
      await page.getByRole('button', { name: 'New comparison' }).click();
      await page.getByRole('button', { name: 'Remove sample-old.zip → sample-new.zip from recent comparisons' }).click();
      await page.getByTestId('recent').waitFor({ state: 'detached' });
      expect(JSON.parse(await readFile(join(workDir, 'user-data', 'recent-comparisons.json'), 'utf8'))).toEqual([]);
      expectNoNetwork(session.live);
      expect(session.errors).toEqual([]);
    } finally {
      await endSession(session);
    }
  });
});

describe('cancelling a comparison', () => {
  /**
   * A real engine run that is slow for certain: a folder package holding a 32 GiB sparse file
   * (no disk space, instant to create) that the engine must hash in full. Without a working
   * cancel it would keep the progress screen up far longer than the limit below.
   */
  async function makeSlowFolderPackage(name: string): Promise<string> {
    const root = join(workDir, name);
    await mkdir(join(root, 'system'), { recursive: true });
    await writeFile(join(root, 'system', 'build.prop'), `ro.build.fingerprint=Example/slow/${name}:14/X/1:user/release-keys\n`);
    const big = await open(join(root, 'system', 'huge.img'), 'w');
    await big.truncate(32 * 1024 ** 3);
    await big.close();
    return root;
  }

  it('stops a running comparison and returns to the start screen', async () => {
    const session = await startSession({
      old: await makeSlowFolderPackage('slow-old'),
      new: await makeSlowFolderPackage('slow-new'),
    });
    const { page } = session;
    try {
      await choose(page, 'old');
      await choose(page, 'new');
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      // The engine has opened the packages and is reading (hashing) their files.
      await page.locator('[data-testid="step-reading"][data-status="current"]').waitFor({ timeout: 10_000 });
      expect(await page.title()).toBe('Comparing slow-old → slow-new · OTA Lens');

      const cancelledAt = Date.now();
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByTestId('start-screen').waitFor({ timeout: 5_000 });
      expect(Date.now() - cancelledAt).toBeLessThan(5_000);

      expect(await page.getByTestId('report').count()).toBe(0);
      expect(await page.getByTestId('notice').count()).toBe(0);
      expect(await readCell(page, 'pick-name-old')).toBe('slow-old');
      expect(await page.getByRole('button', { name: 'Compare', exact: true }).isEnabled()).toBe(true);
      expectNoNetwork(session.live);
      expect(session.errors).toEqual([]);
    } finally {
      await endSession(session);
    }
  });

  it('pressed right after Compare on the small sample, leaves the app ready to compare again', async () => {
    const session = await startSession({ old: SAMPLE_OLD, new: SAMPLE_NEW });
    const { page } = session;
    try {
      await choose(page, 'old');
      await choose(page, 'new');
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await page.getByRole('button', { name: 'Cancel' }).click();
      // The sample may finish before the cancel arrives; the app honours the cancel either way.
      await page.getByTestId('start-screen').waitFor();
      expect(await page.getByTestId('notice').count()).toBe(0);

      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await waitForReport(page);
      expect(await readCell(page, 'fingerprint-new')).toBe(sampleExpectations().fingerprints.new);
      expectNoNetwork(session.live);
      expect(session.errors).toEqual([]);
    } finally {
      await endSession(session);
    }
  });
});

describe('a package the engine cannot read', () => {
  it('shows the engine’s message and what to try next, and stays on the start screen', async () => {
    const notAPackage = join(workDir, 'holiday-photo.zip');
    await writeFile(notAPackage, 'this is not a zip file\n');
    const session = await startSession({ old: notAPackage, new: SAMPLE_NEW });
    const { page } = session;
    try {
      await choose(page, 'old');
      await choose(page, 'new');
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      const notice = page.getByRole('alert');
      await notice.waitFor();
      expect(await notice.getByRole('heading').textContent()).toBe('These packages could not be compared');
      expect(await readCell(page, 'notice-message')).toContain('holiday-photo.zip');
      expect(await notice.textContent()).toMatch(/download it again/);
      expect(await page.getByTestId('start-screen').isVisible()).toBe(true);
      expectNoNetwork(session.live);
    } finally {
      await endSession(session);
    }
  });
});

describe('dropping a file', () => {
  it('explains that a file without a location on disk cannot be used, and keeps the zone empty', async () => {
    // Outside Electron, pathForFile answers '' for every file, as Electron does for in-memory files.
    const session = await startSession({ old: SAMPLE_OLD, new: SAMPLE_NEW });
    const { page } = session;
    try {
      await page.getByTestId('zone-old').evaluate((zone) => {
        const dataTransfer = new DataTransfer();
        dataTransfer.items.add(new File(['PK'], 'dropped.zip', { type: 'application/zip' }));
        for (const type of ['dragenter', 'dragover', 'drop']) {
          zone.dispatchEvent(new DragEvent(type, { dataTransfer, bubbles: true, cancelable: true }));
        }
      });
      const notice = page.getByRole('alert');
      await notice.waitFor();
      expect(await notice.getByRole('heading').textContent()).toBe('This file cannot be opened by dropping it');
      expect(await notice.textContent()).toContain('Open file…');
      expect(await page.getByTestId('pick-name-old').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Compare', exact: true }).isDisabled()).toBe(true);
      expectNoNetwork(session.live);
      expect(session.errors).toEqual([]);
    } finally {
      await endSession(session);
    }
  });
});
