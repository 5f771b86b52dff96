import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonResult } from '../../shared/model.js';
import { markdownSummary } from '../../shared/summary.js';
import { launchBrowser, recordPageErrors, recordRequests } from '../support/browser.js';
import { pdfText, unzipMember } from '../support/oracles.js';
import { builtCompare, builtHtmlReport } from '../support/built.js';
import { seriousViolations } from './accessibility.js';
import { openAppDetail, showView, waitForReport } from './reportPage.js';
import { findPreferenceByTitle, type OraclePreference } from './sampleApkOracle.js';
import { appDiffOf, handmadeResult } from './handmadeResult.js';
import { expectedAppDiff, expectedCloudMessaging, SAMPLE_NEW, SAMPLE_OLD, sampleExpectations } from './sampleOracle.js';

// The inspector's interactive parts on the static report of the sample, as shipped from dist/.
const { comparePackages } = await builtCompare();
const { renderHtmlReport } = await builtHtmlReport();

/**
 * The README's screenshots are refreshed with OTALENS_SCREENSHOTS=1 npm test; other runs write
 * them to a temporary folder, so testing never changes the checkout.
 */
const SCREENSHOTS = process.env['OTALENS_SCREENSHOTS'] === '1' ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : join(tmpdir(), 'otalens-screenshots/');
const CLOUD_MESSAGING = /^Mi Cloud Messaging$/;

let browser: Browser;
let workDir: string;
let result: ComparisonResult;
let reportUrl: string;

beforeAll(async () => {
  browser = await launchBrowser();
  workDir = await mkdtemp(join(tmpdir(), 'otalens-inspector-'));
  result = await comparePackages(SAMPLE_OLD, SAMPLE_NEW);
  const file = join(workDir, 'sample.html');
  await writeFile(file, await renderHtmlReport(result));
  reportUrl = pathToFileURL(file).href;
});

afterAll(async () => {
  await browser?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

interface OpenedPage {
  page: Page;
  requests: string[];
  errors: string[];
}

async function openSample(colorScheme: 'light' | 'dark' = 'light'): Promise<OpenedPage> {
  const page = await browser.newPage({ colorScheme, viewport: { width: 1024, height: 720 } });
  const requests = recordRequests(page);
  const errors = recordPageErrors(page);
  await page.goto(reportUrl);
  await waitForReport(page);
  return { page, requests, errors };
}

/** The Mi Cloud Messaging preference of one sample as aapt reads it from the APK. */
function oraclePreference(zipPath: string): OraclePreference {
  const preference = findPreferenceByTitle(zipPath, 'Mms.apk', CLOUD_MESSAGING);
  if (preference === null) throw new Error(`oracle: no Mi Cloud Messaging preference in ${zipPath}`);
  return preference;
}

/**
 * Every node of the file tree, with every folder opened: the tree is virtualised, so the rows are
 * read while scrolling it from top to bottom.
 */
async function collectTreeNodes(page: Page): Promise<{ path: string; kind: string }[]> {
  const tree = page.getByTestId('file-tree');
  for (;;) {
    const closed = tree.locator('[data-testid="tree-row"][aria-expanded="false"]').first();
    if ((await closed.count()) > 0) {
      await closed.click();
      continue;
    }
    const atEnd = await tree.evaluate((element) => element.scrollTop + element.clientHeight >= element.scrollHeight - 1);
    if (atEnd) break;
    await tree.evaluate((element) => { element.scrollTop += element.clientHeight / 2; });
  }
  const seen = new Map<string, string>();
  await tree.evaluate((element) => { element.scrollTop = 0; });
  for (;;) {
    for (const [path, kind] of await tree.getByTestId('tree-row').evaluateAll((rows) => rows.map((row): [string, string] => [row.getAttribute('data-path') ?? '', row.getAttribute('data-kind') ?? '']))) seen.set(path, kind);
    const atEnd = await tree.evaluate((element) => element.scrollTop + element.clientHeight >= element.scrollHeight - 1);
    if (atEnd) break;
    await tree.evaluate((element) => { element.scrollTop += element.clientHeight / 2; });
    await page.waitForTimeout(20);
  }
  return [...seen].map(([path, kind]) => ({ path, kind }));
}

async function openCloudMessagingEvidence(page: Page): Promise<void> {
  const card = page.locator('[data-testid="feature-card"][data-feature="cloud-messaging"]');
  const details = card.getByTestId('feature-evidence');
  if (!(await details.evaluate((element) => (element as HTMLDetailsElement).open))) await details.locator('summary').click();
}

describe('evidence drill-down in the static report of the sample', () => {
  let opened: OpenedPage;
  beforeAll(async () => {
    opened = await openSample();
  });
  afterAll(async () => {
    await opened?.page.close();
  });
  // A failed test must not leave the modal file view over the page for the next one.
  afterEach(async () => {
    await opened.page.evaluate(() => document.querySelector<HTMLDialogElement>('dialog[open]')?.close());
  });

  for (const side of ['old', 'new'] as const) {
    it(`opens the ${side} build’s preference XML at the Mi Cloud Messaging line, highlighted and in view`, async () => {
      const { page } = opened;
      await showView(page, 'summary');
      const truth = oraclePreference(side === 'old' ? SAMPLE_OLD : SAMPLE_NEW);
      await openCloudMessagingEvidence(page);
      const link = page
        .locator('[data-testid="feature-card"][data-feature="cloud-messaging"]')
        .getByTestId(`evidence-${side}`)
        .getByTestId('evidence-open')
        .filter({ hasText: truth.path });
      expect(await link.count()).toBe(1);
      await link.click();
      const dialog = page.getByTestId('evidence-file');
      await dialog.waitFor({ state: 'visible' });
      expect(await dialog.getAttribute('data-path')).toBe(truth.path);
      expect(await dialog.getAttribute('data-side')).toBe(side);
      const cited = dialog.getByTestId('evidence-cited-line');
      expect(await cited.count()).toBe(1);
      const lineText = (await cited.locator('.line-text').textContent()) ?? '';
      expect(lineText).toContain(`android:key="${truth.key}"`);
      expect(lineText).toMatch(/android:defaultValue="[^"]+"/);
      // The line the title cites is the line marked.
      const line = await cited.getAttribute('data-line');
      expect(await dialog.getByTestId('evidence-file-title').textContent()).toBe(`${truth.path}:${line}`);
      expect(await cited.getAttribute('aria-current')).toBe('true');
      const inView = await cited.evaluate((element) => {
        const box = element.getBoundingClientRect();
        const scroller = element.closest('pre')?.getBoundingClientRect();
        return scroller !== undefined && box.top >= scroller.top && box.bottom <= scroller.bottom && box.height > 0;
      });
      expect(inView).toBe(true);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      // Focus goes back to the evidence link, so a keyboard user carries on where they were.
      expect(await link.evaluate((element) => element === document.activeElement)).toBe(true);
    });
  }

  it('goes from the verdict’s evidence to the SMS app whole, whose preference default is the one aapt reads', async () => {
    const { page } = opened;
    await showView(page, 'summary');
    const truth = oraclePreference(SAMPLE_NEW);
    await openCloudMessagingEvidence(page);
    const item = page
      .locator('[data-testid="feature-card"][data-feature="cloud-messaging"]')
      .getByTestId('evidence-new')
      .getByTestId('evidence-item')
      .filter({ hasText: truth.path });
    await item.getByTestId('evidence-app').click();
    const detail = page.getByTestId('app-detail');
    await detail.waitFor({ state: 'visible' });
    const apk = truth.path.slice(0, truth.path.indexOf('!/'));
    expect(await detail.locator('[data-testid="app-fact"][data-fact="APK"] td').last().textContent()).toBe(apk);
    const row = detail.locator(`[data-testid="app-preferences-row"][data-name="${truth.path.slice(apk.length + 2)} ${truth.key}"]`);
    expect(await row.locator('td').nth(2).textContent()).toMatch(new RegExp(`→ ${truth.defaultOn ? 'true' : 'false'} `));
    await showView(page, 'summary');
  });

  it('goes from a piece of evidence to the file’s side-by-side diff in Files, and the address names the file', async () => {
    const { page } = opened;
    const usage = sampleExpectations().properties.changed.get('persist.sys.usage_stats');
    if (usage === undefined) throw new Error('the sample should change persist.sys.usage_stats in build.prop');
    const card = page.locator('[data-testid="feature-card"][data-feature="usage-statistics"]');
    const details = card.getByTestId('feature-evidence');
    if (!(await details.evaluate((element) => (element as HTMLDetailsElement).open))) await details.locator('summary').click();
    await card.getByTestId('evidence-new').getByTestId('evidence-open').filter({ hasText: '/system/build.prop' }).first().click();
    const dialog = page.getByTestId('evidence-file');
    await dialog.getByTestId('evidence-show-in-files').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('view-files').waitFor({ state: 'visible' });
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe('#/files//system/build.prop');
    const detail = page.getByTestId('file-detail');
    expect(await detail.getAttribute('data-path')).toBe('/system/build.prop');
    const changedRows = await detail.locator('[data-testid="sbs-row"][data-changed="true"]').evaluateAll((rows) =>
      rows.map((tableRow) => Array.from(tableRow.querySelectorAll('.sbs-text')).map((cell) => (cell.lastChild?.textContent ?? '').trim())),
    );
    expect(changedRows).toContainEqual([`persist.sys.usage_stats=${usage.old}`, `persist.sys.usage_stats=${usage.new}`]);
    // The tree row of the file is picked and has the focus.
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset['path'])).toBe('/system/build.prop');
    await showView(page, 'summary');
  });

  it('checks a claim picked in the panel, confirmed or contradicted as the APK says', async () => {
    const { page } = opened;
    const truth = oraclePreference(SAMPLE_NEW);
    const actual = truth.defaultOn ? 'default-on' : 'opt-in';
    const opposite = truth.defaultOn ? 'opt-in' : 'default-on';
    await page.getByTestId('claim-feature').selectOption('cloud-messaging');
    await page.getByTestId('claim-state').selectOption(actual);
    await page.getByTestId('claim-check').click();
    const answer = page.getByTestId('claim-check-result');
    expect(await answer.getAttribute('data-verdict')).toBe('confirmed');
    expect(await answer.getByTestId('claim-check-verdict').textContent()).toMatch(/Confirmed$/);
    expect(await answer.getByTestId('claim-check-summary').textContent()).toMatch(/^Confirmed: Mi Cloud Messaging is/);
    expect(await answer.getByTestId('evidence-path').allTextContents()).toContainEqual(expect.stringMatching(new RegExp(`^${truth.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+$`)));

    await page.getByTestId('claim-state').selectOption(opposite);
    expect(await answer.count(), 'a changed claim clears the old answer').toBe(0);
    await page.getByTestId('claim-check').click();
    expect(await answer.getAttribute('data-verdict')).toBe('contradicted');
    expect(await answer.getByTestId('claim-check-summary').textContent()).toMatch(/^Contradicted: the claim says Mi Cloud Messaging is/);
  });

  it('copies the Markdown summary to the clipboard', async () => {
    const { page } = opened;
    await page.evaluate(() => {
      const copied: string[] = [];
      (window as unknown as { copied: string[] }).copied = copied;
      Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: (text: string) => Promise.resolve(void copied.push(text)) } });
    });
    await page.getByTestId('copy-summary').click();
    await page.getByTestId('copy-summary-status').getByText('Summary copied as Markdown.').waitFor();
    expect(await page.evaluate(() => (window as unknown as { copied: string[] }).copied)).toEqual([markdownSummary(result)]);
  });

  it('shows the summary selected for copying by hand where the clipboard is refused', async () => {
    const { page } = opened;
    await page.evaluate(() => {
      Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: () => Promise.reject(new Error('denied')) } });
    });
    await page.getByTestId('copy-summary').click();
    const text = page.getByTestId('copy-summary-text');
    await text.waitFor();
    expect(await text.inputValue()).toBe(markdownSummary(result));
    expect(await text.evaluate((element) => element === document.activeElement)).toBe(true);
  });

  it('shows both builds’ fingerprints, as build.prop says, above the answer', async () => {
    const { fingerprints } = sampleExpectations();
    expect(await opened.page.getByTestId('build-strip-old').locator('.build-strip-fingerprint').textContent()).toBe(fingerprints.old);
    expect(await opened.page.getByTestId('build-strip-new').locator('.build-strip-fingerprint').textContent()).toBe(fingerprints.new);
    expect(await opened.page.getByTestId('build-strip-new').locator('.build-strip-facts').textContent()).toMatch(/^Android \d/);
  });

  it('made no request but loading its own file, and raised no error', () => {
    expect(opened.requests).toEqual([reportUrl]);
    expect(opened.errors).toEqual([]);
  });
});

describe('browsing the changed files of the sample', () => {
  const expected = sampleExpectations();
  let opened: OpenedPage;
  beforeAll(async () => {
    opened = await openSample();
    await showView(opened.page, 'files');
  });
  afterAll(async () => {
    await opened?.page.close();
  });

  const row = (path: string) => opened.page.locator(`[data-testid="tree-row"][data-path="${path}"]`);

  it('shows /system with as many changed, added and removed files as unzip finds', async () => {
    const counts = (await row('/system').getByTestId('tree-counts').locator('.visually-hidden').textContent()) ?? '';
    const want = (['changed', 'added', 'removed'] as const).filter((kind) => expected.files[kind].length > 0).map((kind) => `${expected.files[kind].length} ${kind}`);
    expect(want.length).toBeGreaterThan(0);
    expect(counts).toBe(want.join(', '));
    for (const kind of ['changed', 'added', 'removed'] as const) {
      for (const file of expected.files[kind]) expect(await row(file.path).getAttribute('data-kind'), file.path).toBe(kind);
    }
  });

  it('shows build.prop side by side, each changed property’s old line beside its new line', async () => {
    await row('/system/build.prop').click();
    const detail = opened.page.getByTestId('file-detail');
    expect(await detail.getAttribute('data-path')).toBe('/system/build.prop');
    // A saved report has no packages behind it to read files from.
    expect(await detail.getByTestId('read-text-old').count()).toBe(0);
    const changedRows = await detail.locator('[data-testid="sbs-row"][data-changed="true"]').evaluateAll((rows) =>
      rows.map((tableRow) => Array.from(tableRow.querySelectorAll('.sbs-text')).map((cell) => (cell.lastChild?.textContent ?? '').trim())),
    );
    expect(expected.properties.changed.size).toBeGreaterThan(0);
    for (const [name, values] of expected.properties.changed) {
      expect(changedRows, name).toContainEqual([`${name}=${values.old}`, `${name}=${values.new}`]);
    }
  });

  it('shows a binary file’s sizes, as unzip lists them, instead of a diff', async () => {
    const removedApk = expected.files.removed[0] ?? expected.files.changed.find((file) => file.path.endsWith('.apk'));
    if (removedApk === undefined) throw new Error('the sample should remove or change an APK');
    await row(removedApk.path).click();
    const detail = opened.page.getByTestId('file-detail');
    expect(await detail.getAttribute('data-path')).toBe(removedApk.path);
    await detail.getByTestId('file-no-diff').waitFor();
    const exact = await detail.locator('[title]').evaluateAll((elements) => elements.map((element) => element.getAttribute('title')));
    const bytes = (size: number | null) => (size === null ? [] : [`${size.toLocaleString('en-US')} bytes`]);
    expect(exact).toEqual([...bytes(removedApk.oldSize), ...bytes(removedApk.newSize)]);
    // The old build's SHA-256 is that of the bytes unzip extracts.
    const hashes = await detail.getByTestId('file-hashes').locator('dd').allTextContents();
    expect(hashes[0]).toBe(createHash('sha256').update(unzipMember(SAMPLE_OLD, removedApk.path.slice(1))).digest('hex'));
  });

  it('shows the decoded preference XML of the SMS app as a member of its APK', async () => {
    const truth = oraclePreference(SAMPLE_NEW);
    // Small trees open fully; open any folder on the way that is not.
    for (const folder of [truth.path.slice(0, truth.path.indexOf('!/')), truth.path.slice(0, truth.path.lastIndexOf('/'))]) {
      if ((await row(folder).getAttribute('aria-expanded')) !== 'true') await row(folder).click();
    }
    await row(truth.path).click();
    expect(await opened.page.getByTestId('file-detail').getAttribute('data-path')).toBe(truth.path);
    expect(await opened.page.getByTestId('side-by-side').textContent()).toContain(truth.key);
  });

  it('shows the whole device tree on request: every file both zips share byte for byte, as unzip and SHA-256 say', async () => {
    const { page } = opened;
    expect(expected.files.unchanged.length).toBeGreaterThan(0);
    await page.getByTestId('tree-show-unchanged').locator('input').check();
    const unchangedNodes = (await collectTreeNodes(page)).filter((node) => node.kind === 'unchanged').map((node) => node.path);
    expect(unchangedNodes.sort()).toEqual(expected.files.unchanged.map((file) => file.path));
    const sample = expected.files.unchanged.find((file) => file.sha256 !== null);
    if (sample === undefined) throw new Error('the sample should share a file between its builds');
    // Its address opens it, wherever the virtualised tree is scrolled.
    await page.evaluate((path) => { window.location.hash = `#/files/${encodeURIComponent(path)}`; }, sample.path);
    const detail = page.locator(`[data-testid="file-detail"][data-path="${sample.path}"]`);
    await detail.getByTestId('file-unchanged').waitFor();
    expect(await detail.getByTestId('file-hashes').locator('dd').allTextContents()).toEqual([sample.sha256]);
    // Changes are still counted as before.
    const counts = (await row('/system').getByTestId('tree-counts').locator('.visually-hidden').textContent()) ?? '';
    expect(counts).toBe((['changed', 'added', 'removed'] as const).filter((kind) => expected.files[kind].length > 0).map((kind) => `${expected.files[kind].length} ${kind}`).join(', '));
    await page.getByTestId('tree-show-unchanged').locator('input').uncheck();
  });
});

describe('browsing tens of thousands of changed files', () => {
  it('renders only the rows in view, and reaches the last one with the End key', async () => {
    const added = Array.from({ length: 30_000 }, (_, index) => ({ path: `/system/many/f${String(index).padStart(5, '0')}.bin`, oldSize: null, newSize: index, oldSha256: null, newSha256: null }));
    const file = join(workDir, 'many.html');
    await writeFile(file, await renderHtmlReport(handmadeResult({ files: { added, removed: [], changed: [], unchanged: [] }, textDiffs: [] })));
    const page = await browser.newPage({ viewport: { width: 1024, height: 720 } });
    const errors = recordPageErrors(page);
    await page.goto(pathToFileURL(file).href);
    await waitForReport(page);
    await showView(page, 'files');
    const tree = page.getByTestId('file-tree');
    const many = page.locator('[data-testid="tree-row"][data-path="/system/many"]');
    expect(await many.getByTestId('tree-counts').locator('.visually-hidden').textContent()).toBe('30,000 added');
    const started = Date.now();
    if ((await many.getAttribute('aria-expanded')) !== 'true') await many.click();
    expect(Number(await tree.getAttribute('data-rows'))).toBe(2 + 30_000);
    await many.focus();
    await page.keyboard.press('End');
    await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset['path'] === '/system/many/f29999.bin');
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset['path'] === '/system/many/f29998.bin');
    await page.keyboard.press('Home');
    await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset['path'] === '/system');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await page.getByTestId('tree-row').count()).toBeLessThan(60);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the apps table', () => {
  it('sorts apps by a column header, says so with aria-sort, and reverses on a second click', async () => {
    const base = handmadeResult();
    const added = [
      { package: 'org.zeta', label: 'Alpha', path: '/product/app/Z/Z.apk', partition: 'product', versionCode: 7, versionName: '7' },
      { package: 'com.middle', label: 'Mid', path: '/system/app/M/M.apk', partition: 'system', versionCode: 12, versionName: '12' },
      { package: 'com.alpha', label: 'Zulu', path: '/vendor/app/A/A.apk', partition: 'vendor', versionCode: 100, versionName: '100' },
    ];
    const file = join(workDir, 'apps.html');
    await writeFile(file, await renderHtmlReport({ ...base, apps: appDiffOf({ added }) }));
    const page = await browser.newPage();
    await page.goto(`${pathToFileURL(file).href}#/apps`);
    await waitForReport(page);
    const table = page.getByTestId('apps-table');
    await table.waitFor({ state: 'visible' });
    const order = () => table.getByTestId('app-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-package')));
    expect(await order()).toEqual(['com.alpha', 'com.middle', 'org.zeta']);
    await table.getByTestId('sort-label').click();
    expect(await order()).toEqual(['org.zeta', 'com.middle', 'com.alpha']);
    expect(await table.locator('th[aria-sort]').textContent()).toMatch(/^Label/);
    expect(await table.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('ascending');
    await table.getByTestId('sort-version').click();
    expect(await order()).toEqual(['org.zeta', 'com.middle', 'com.alpha']);
    await table.getByTestId('sort-version').click();
    expect(await order()).toEqual(['com.alpha', 'com.middle', 'org.zeta']);
    expect(await table.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('descending');
    await page.close();
  });
});

describe('searching settings and properties', () => {
  it('filters every table of the view by every word typed, in names, values, packages and the files that set them', async () => {
    const base = handmadeResult();
    const file = join(workDir, 'settings.html');
    await writeFile(file, await renderHtmlReport(base));
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    await waitForReport(page);
    await showView(page, 'settings');
    const names = (rowTestId: string) => page.getByTestId(rowTestId).evaluateAll((found) => found.map((row) => row.getAttribute('data-name') ?? row.querySelector('td:nth-child(3)')?.textContent));
    const all = [...base.settings.changed, ...base.settings.added, ...base.settings.removed].map((change) => change.name);
    expect(await names('setting-row')).toEqual(all);
    const search = page.getByLabel('Search settings and properties');
    await search.fill('location gps');
    expect(await names('setting-row')).toEqual(['def_location_providers_allowed']);
    expect(await page.getByTestId('grant-row').count()).toBe(0);
    expect(await page.getByTestId('platform-filter-status').textContent()).toBe('1 of 10 entries match.');
    // The weather app: its default grant and its power-save allowance, nothing else.
    await search.fill('weather');
    expect(await names('grant-row')).toEqual(['com.example.weather']);
    expect(await page.getByTestId('sysconfig-row').count()).toBe(1);
    expect(await page.getByTestId('settings').getByText('None match the search.').count()).toBe(1);
    expect(await page.getByTestId('property-row').count()).toBe(0);
    await search.fill('ro.example');
    expect(await names('property-row')).toEqual(['ro.example.added', 'ro.example.removed']);
    await page.close();
  });
});

describe('exporting from the static report', () => {
  let opened: OpenedPage;
  beforeAll(async () => {
    opened = await openSample();
  });
  afterAll(async () => {
    await opened?.page.close();
  });

  async function download(format: 'html' | 'json' | 'markdown'): Promise<{ name: string; text: string }> {
    const [file] = await Promise.all([opened.page.waitForEvent('download'), opened.page.getByTestId(`export-${format}`).click()]);
    const path = await file.path();
    return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
  }

  it('downloads the comparison as JSON, the same result the engine gave', async () => {
    const { name, text } = await download('json');
    expect(name).toBe('otalens-sample-old-vs-sample-new.json');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(result)));
    expect(await opened.page.getByTestId('export-status').textContent()).toBe(`Downloaded ${name}.`);
  });

  it('downloads the Markdown summary', async () => {
    const { name, text } = await download('markdown');
    expect(name).toBe('otalens-sample-old-vs-sample-new.md');
    expect(text).toBe(markdownSummary(result));
  });

  it('downloads itself as HTML, which opens as the same report with nothing loaded from anywhere', async () => {
    // Open the file view first: what the viewer rendered must not end up in the saved copy.
    await openCloudMessagingEvidence(opened.page);
    const { name, text } = await download('html');
    expect(name).toBe('otalens-sample-old-vs-sample-new.html');
    expect(text).not.toContain('data-testid="report"');
    expect(text).toContain('<div id="root"></div>');
    const file = join(workDir, 'exported.html');
    await writeFile(file, text);
    const page = await browser.newPage();
    const requests = recordRequests(page);
    const errors = recordPageErrors(page);
    await page.goto(pathToFileURL(file).href);
    await waitForReport(page);
    const card = page.locator('[data-testid="feature-card"][data-feature="cloud-messaging"]');
    expect(await card.getAttribute('data-change')).toBe('now-opt-in');
    expect(await page.getByTestId('feature-card').count()).toBe(await opened.page.getByTestId('feature-card').count());
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fetched nothing to export (downloads are made from the page’s own data)', () => {
    expect(opened.requests.filter((url) => !url.startsWith('blob:'))).toEqual([reportUrl]);
    expect(opened.errors).toEqual([]);
  });
});

describe('printing, as File › Export › PDF does', () => {
  it('puts every view on paper, one after the other, without the controls', async () => {
    const { page, requests } = await openSample();
    await showView(page, 'apps');
    const file = join(workDir, 'sample.pdf');
    // Electron's printToPDF and Chromium's page.pdf print the same page with the same print styles.
    await page.pdf({ path: file, printBackground: true, format: 'A4' });
    const text = pdfText(file);
    // Table cells may wrap long names across lines: compare without white space.
    const flat = text.replace(/\s+/g, '');
    const has = (needle: string) => flat.includes(needle.replace(/\s+/g, ''));
    const truth = expectedCloudMessaging();
    expect(has(`Old build: ${truth.old}`) && has(`New build: ${truth.new}`), 'the verdict with both states').toBe(true);
    expect(has('Mi Cloud Messaging')).toBe(true);
    const apps = expectedAppDiff();
    for (const name of [...apps.added, ...apps.removed, ...[...apps.changed].filter(([, app]) => app.permissionsAdded.length + app.permissionsRemoved.length > 0).map(([name]) => name)]) {
      expect(has(name), `app ${name}`).toBe(true);
    }
    const expected = sampleExpectations();
    for (const name of expected.properties.changed.keys()) expect(has(name), `property ${name}`).toBe(true);
    for (const file of [...expected.files.changed, ...expected.files.removed]) expect(has(file.path.slice(file.path.lastIndexOf('/') + 1)), `file ${file.path}`).toBe(true);
    for (const control of ['Filter apps', 'Search settings and properties', 'Copy summary', 'Settings & properties (']) expect(text.includes(control), `no ${control}`).toBe(false);
    expect(requests).toEqual([reportUrl]);
    await page.close();
  });
});

describe('keyboard and accessibility of the summary', () => {
  it('reaches the cited line of the verdict’s evidence with the keyboard alone', async () => {
    const { page, errors } = await openSample();
    const truth = oraclePreference(SAMPLE_NEW);
    const summary = page.locator('[data-testid="feature-card"][data-feature="cloud-messaging"] [data-testid="feature-evidence"] > summary');
    // Tab from the top until the evidence of the first card has focus; every stop must show a focus ring.
    let reached = false;
    for (let step = 0; step < 60 && !reached; step++) {
      await page.keyboard.press('Tab');
      const outline = await page.evaluate(() => {
        const active = document.activeElement;
        return active === null || active === document.body ? null : getComputedStyle(active).outlineStyle;
      });
      expect(outline, `focus ring at tab stop ${step}`).not.toBe('none');
      reached = await summary.evaluate((element) => element === document.activeElement);
    }
    expect(reached, 'the evidence of the Mi Cloud Messaging card is reachable by Tab').toBe(true);
    await page.keyboard.press('Enter');
    const link = page
      .locator('[data-testid="feature-card"][data-feature="cloud-messaging"]')
      .getByTestId('evidence-new')
      .getByTestId('evidence-open')
      .filter({ hasText: truth.path });
    for (let step = 0; step < 20; step++) {
      if (await link.evaluate((element) => element === document.activeElement)) break;
      await page.keyboard.press('Tab');
    }
    expect(await link.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const cited = page.getByTestId('evidence-cited-line');
    await cited.waitFor();
    expect(await cited.locator('.line-text').textContent()).toContain(`android:key="${truth.key}"`);
    await page.keyboard.press('Escape');
    await page.getByTestId('evidence-file').waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('moves between views and into an app’s detail with the keyboard, focus following', async () => {
    const { page, errors } = await openSample();
    const tabTo = async (target: ReturnType<Page['locator']>, limit: number, key = 'Tab') => {
      for (let step = 0; step < limit; step++) {
        if (await target.evaluate((element) => element === document.activeElement)) return;
        await page.keyboard.press(key);
      }
      expect(await target.evaluate((element) => element === document.activeElement), 'reachable by Tab').toBe(true);
    };
    await tabTo(page.getByTestId('view-link-apps'), 20);
    await page.keyboard.press('Enter');
    await page.getByTestId('view-apps').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('view-apps');
    expect(await page.getByTestId('view-link-apps').getAttribute('aria-current')).toBe('page');
    const mms = page.locator('[data-testid="app-row"][data-package="com.android.mms"] [data-testid="app-open"]');
    await tabTo(mms, 30);
    await page.keyboard.press('Enter');
    await page.getByTestId('app-detail').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('app-detail-title');
    // The way back sits above the app's name.
    await tabTo(page.getByTestId('app-detail-back'), 5, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('apps-table').waitFor({ state: 'visible' });
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no serious or critical accessibility violation in the ${colorScheme} theme, in every view and an app's detail`, async () => {
      const { page, requests } = await openSample(colorScheme);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `summary-${colorScheme}.png`) });
      await openCloudMessagingEvidence(page);
      expect(await seriousViolations(page)).toEqual([]);
      await page.locator('[data-testid="feature-card"][data-feature="cloud-messaging"]').getByTestId('evidence-new').getByTestId('evidence-open').first().click();
      await page.getByTestId('evidence-cited-line').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `evidence-${colorScheme}.png`) });
      await page.keyboard.press('Escape');

      await showView(page, 'files');
      await page.locator('[data-testid="tree-row"][data-path="/system/build.prop"]').click();
      await page.getByTestId('side-by-side').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByTestId('file-browser').screenshot({ path: join(SCREENSHOTS, `file-diff-${colorScheme}.png`) });

      await showView(page, 'settings');
      expect(await seriousViolations(page)).toEqual([]);
      await showView(page, 'apps');
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `apps-${colorScheme}.png`) });
      await openAppDetail(page, 'com.android.mms');
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `app-detail-${colorScheme}.png`), fullPage: true });
      expect(requests).toEqual([reportUrl]);
      await page.close();
    });
  }
});
