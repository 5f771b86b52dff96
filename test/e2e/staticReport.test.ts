import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonResult } from '../../shared/model.js';
import { launchBrowser, recordPageErrors, recordRequests } from '../support/browser.js';
import { handmadeResult } from './handmadeResult.js';
import { expectFilesShown, expectPropertiesShown, readCell, readShownProperties, waitForReport } from './reportPage.js';
import { SAMPLE_NEW, SAMPLE_OLD, sampleExpectations } from './sampleOracle.js';
import { builtCompare, builtHtmlReport } from '../support/built.js';

// The built files, as shipped: the report must work from dist/, not from the sources.
const { comparePackages } = await builtCompare();
const { renderHtmlReport } = await builtHtmlReport();

let browser: Browser;
let workDir: string;

beforeAll(async () => {
  browser = await launchBrowser();
  workDir = await mkdtemp(join(tmpdir(), 'otalens-report-'));
});

afterAll(async () => {
  await browser?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

interface OpenedReport {
  page: Page;
  html: string;
  fileUrl: string;
  requests: string[];
  errors: string[];
  /** Messages of alert/confirm/prompt dialogs the page opened (each dismissed). */
  dialogs: string[];
}

async function openReport(result: ComparisonResult, name: string): Promise<OpenedReport> {
  const html = await renderHtmlReport(result);
  const file = join(workDir, `${name}.html`);
  await writeFile(file, html);
  const page = await browser.newPage();
  const requests = recordRequests(page);
  const errors = recordPageErrors(page);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const fileUrl = pathToFileURL(file).href;
  await page.goto(fileUrl);
  await waitForReport(page);
  return { page, html, fileUrl, requests, errors, dialogs };
}

describe('static HTML report of the sample pair', () => {
  const expected = sampleExpectations();
  let opened: OpenedReport;

  beforeAll(async () => {
    opened = await openReport(await comparePackages(SAMPLE_OLD, SAMPLE_NEW), 'sample');
  });

  afterAll(async () => {
    await opened?.page.close();
  });

  it('shows every changed, added and removed property with its values from build.prop', async () => {
    await expectPropertiesShown(opened.page, expected.properties);
  });

  it('shows each build’s ro.build.fingerprint', async () => {
    expect(await readCell(opened.page, 'fingerprint-old')).toBe(expected.fingerprints.old);
    expect(await readCell(opened.page, 'fingerprint-new')).toBe(expected.fingerprints.new);
  });

  it('lists the files that differ between the system partitions', async () => {
    await expectFilesShown(opened.page, expected.files);
  });

  it('names both packages in the title', async () => {
    expect(await opened.page.title()).toBe('OTA Lens report: sample-old.zip → sample-new.zip');
  });

  it('filters properties by name or value', async () => {
    const [someName] = [...expected.properties.changed.keys()];
    if (someName === undefined) throw new Error('the sample pair should change at least one property');
    await opened.page.getByLabel('Filter properties').fill(someName);
    const shown = await readShownProperties(opened.page);
    expect(shown.map((row) => row.name)).toContain(someName);
    expect(shown.every((row) => [row.name, row.old, row.new].some((text) => text?.includes(someName)))).toBe(true);
    await opened.page.getByLabel('Filter properties').fill('');
  });

  it('made no request but loading its own file, and raised no error', () => {
    expect(opened.requests).toEqual([opened.fileUrl]);
    expect(opened.errors).toEqual([]);
  });

  it('is byte-for-byte the same when rendered again', async () => {
    expect(await renderHtmlReport(await comparePackages(SAMPLE_OLD, SAMPLE_NEW))).toBe(opened.html);
  });
});

describe('static HTML report with hostile firmware content', () => {
  const HOSTILE_VALUE = '<img src=x onerror=alert(1)>';
  const SCRIPT_BREAKOUT = '</script><script>alert(1)</script>';
  const SEPARATORS = 'line\u2028separator\u2029paragraph';
  let opened: OpenedReport;

  beforeAll(async () => {
    const base = handmadeResult();
    const result = handmadeResult({
      old: { ...base.old, file: '<b>old</b>.zip', fingerprint: SCRIPT_BREAKOUT },
      properties: {
        changed: [{ name: SCRIPT_BREAKOUT, old: SEPARATORS, new: HOSTILE_VALUE }],
        added: [{ name: 'ro.hostile', old: null, new: HOSTILE_VALUE }],
        removed: [],
      },
      files: { added: [`/system/${HOSTILE_VALUE}`], removed: [], changed: [] },
    });
    opened = await openReport(result, 'hostile');
  });

  afterAll(async () => {
    await opened?.page.close();
  });

  it('shows markup and script tags in values and names as text', async () => {
    const shown = await readShownProperties(opened.page);
    expect(shown).toEqual([
      { kind: 'changed', name: SCRIPT_BREAKOUT, old: SEPARATORS, new: HOSTILE_VALUE },
      { kind: 'added', name: 'ro.hostile', old: null, new: HOSTILE_VALUE },
    ]);
    expect(await readCell(opened.page, 'fingerprint-old')).toBe(SCRIPT_BREAKOUT);
    expect(await readCell(opened.page, 'file-old')).toBe('<b>old</b>.zip');
    expect(await opened.page.getByTestId('file-path').allTextContents()).toEqual([`/system/${HOSTILE_VALUE}`]);
  });

  it('created no element from the data and ran nothing', async () => {
    const counts = await opened.page.evaluate(() => ({
      images: document.querySelectorAll('img').length,
      bolds: document.querySelectorAll('b').length,
      scripts: document.querySelectorAll('script').length,
    }));
    // The two scripts are the report's own: its JSON data and the viewer.
    expect(counts).toEqual({ images: 0, bolds: 0, scripts: 2 });
    expect(opened.dialogs).toEqual([]);
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([opened.fileUrl]);
  });

  it('has a policy that stops the page from loading anything', async () => {
    const failures: string[] = [];
    const responses: string[] = [];
    opened.page.on('requestfailed', (request) => failures.push(`${request.url()} ${request.failure()?.errorText ?? ''}`));
    opened.page.on('response', (response) => responses.push(response.url()));
    const outcome = await opened.page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (event) => violations.push(event.effectiveDirective));
      const fetched = await fetch('http://example.invalid/').then(
        () => 'fetched',
        () => 'refused',
      );
      const image = new Image();
      image.src = 'http://example.invalid/pixel.png';
      document.body.append(image);
      await new Promise((resolve) => setTimeout(resolve, 200));
      image.remove();
      return { fetched, violations: violations.sort() };
    });
    expect(outcome).toEqual({ fetched: 'refused', violations: ['connect-src', 'img-src'] });
    // Chromium announces the image request, then the policy blocks it before it leaves the page.
    expect(failures).toEqual(['http://example.invalid/pixel.png csp']);
    expect(responses).toEqual([]);
  });
});

describe('static HTML report with long lists', () => {
  const ADDED_COUNT = 1_234;
  let opened: OpenedReport;

  beforeAll(async () => {
    const added = Array.from({ length: ADDED_COUNT }, (_, index) => `/system/app/App${String(index).padStart(4, '0')}/base.apk`);
    opened = await openReport(handmadeResult({ files: { added, removed: [], changed: [] } }), 'long');
  });

  afterAll(async () => {
    await opened?.page.close();
  });

  it('shows the first 500 paths of a long list, and all of them on request', async () => {
    const list = opened.page.getByTestId('files-added').getByTestId('file-path');
    expect(await list.count()).toBe(500);
    expect(await list.first().textContent()).toBe('/system/app/App0000/base.apk');
    expect(await readCell(opened.page, 'files-added-count')).toBe('1,234');
    await opened.page.getByRole('button', { name: /Show all 1,234/ }).click();
    expect(await list.count()).toBe(ADDED_COUNT);
    expect(await list.last().textContent()).toBe('/system/app/App1233/base.apk');
    expect(await opened.page.getByRole('button', { name: /Show all/ }).count()).toBe(0);
  });
});
