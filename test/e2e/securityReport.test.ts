// The Security view of the static report, on the security-weakened scenario (a setuid helper and a
// permissive domain added, every default the same): the Summary leads with both after the
// verdicts, and each finding's evidence opens the file at the cited line. Oracles: the packages'
// own bytes (unzip) and scenarios.json, written from the build definitions.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, recordPageErrors, recordRequests } from '../support/browser.js';
import { builtCompare, builtHtmlReport } from '../support/built.js';
import { REPO_ROOT, unzipMember } from '../support/oracles.js';
import { showView, waitForReport } from './reportPage.js';

const SCENARIOS = join(REPO_ROOT, 'test/fixtures/scenarios');
const scenario = (JSON.parse(readFileSync(join(SCENARIOS, 'scenarios.json'), 'utf8')) as { scenarios: { id: string; packages: Record<string, { old: string; new: string }>; expected: Record<string, { security: { setuidAdded: string[]; permissiveAdded: { domain: string; path: string; line: number }[] } }> }[] }).scenarios.find(
  (candidate) => candidate.id === 'security-weakened',
);
const packages = scenario?.packages['file-ota'];
const expected = scenario?.expected['file-ota']?.security;

const { comparePackages } = await builtCompare();
const { renderHtmlReport } = await builtHtmlReport();
let browser: Browser;
let workDir: string;
let page: Page;
let requests: string[];
let errors: string[];
let fileUrl: string;

beforeAll(async () => {
  if (packages === undefined || expected === undefined) throw new Error('scenarios.json has no security-weakened file OTA');
  browser = await launchBrowser();
  workDir = await mkdtemp(join(tmpdir(), 'otalens-security-report-'));
  const result = await comparePackages(join(SCENARIOS, packages.old), join(SCENARIOS, packages.new), { parallel: false });
  const file = join(workDir, 'security.html');
  await writeFile(file, await renderHtmlReport(result));
  page = await browser.newPage();
  requests = recordRequests(page);
  errors = recordPageErrors(page);
  fileUrl = pathToFileURL(file).href;
  await page.goto(fileUrl);
  await waitForReport(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the Security view', () => {
  it('leads the Summary, right after the verdicts, with the setuid helper and the permissive domain', async () => {
    const sections = await page.locator('[data-testid="view-summary"] > section').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')));
    expect(sections.indexOf('security-alert')).toBe(sections.indexOf('verdicts') + 1);
    const kinds = await page.getByTestId('security-alert-finding').evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')));
    expect(kinds).toEqual(['setuid-added', 'domain-permissive']);
    const texts = await page.getByTestId('security-alert-finding').allTextContents();
    expect(texts[0]).toContain(expected?.setuidAdded[0]);
    expect(texts[1]).toContain(expected?.permissiveAdded[0]?.domain);
  });

  it('lists the findings with their evidence, and opens the policy at the typepermissive line', async () => {
    await showView(page, 'security');
    const serious = page.locator('[data-testid="security-finding"][data-severity="serious"]');
    expect(await serious.evaluateAll((items) => items.map((item) => item.getAttribute('data-subject')))).toEqual([expected?.setuidAdded[0], expected?.permissiveAdded[0]?.domain]);
    const permissive = expected?.permissiveAdded[0];
    const policyText = unzipMember(join(SCENARIOS, packages?.new ?? ''), (permissive?.path ?? '').slice(1)).toString('utf8');
    await serious.nth(1).getByTestId('evidence-open').click();
    await page.getByTestId('evidence-file').waitFor({ state: 'visible' });
    expect(await page.getByTestId('evidence-file-title').textContent()).toBe(`${permissive?.path}:${permissive?.line}`);
    expect(await page.getByTestId('evidence-cited-line').textContent()).toContain(policyText.split('\n')[(permissive?.line ?? 0) - 1]);
    await page.keyboard.press('Escape');
    // The setuid helper's mode comes from the updater-script line that sets it.
    const script = unzipMember(join(SCENARIOS, packages?.new ?? ''), 'META-INF/com/google/android/updater-script').toString('utf8');
    await serious.nth(0).locator('[data-testid="evidence-open"]').first().click();
    await page.getByTestId('evidence-file').waitFor({ state: 'visible' });
    const cited = (await page.getByTestId('evidence-cited-line').textContent()) ?? '';
    expect(script.split('\n').find((line) => cited.includes(line) && line.length > 0)).toMatch(new RegExp(`^set_metadata\\("${expected?.setuidAdded[0]}", .*"mode", 04755`));
  });

  it('made no request but loading its own file, and raised no error', () => {
    expect(errors).toEqual([]);
    expect(requests).toEqual([fileUrl]);
  });
});
