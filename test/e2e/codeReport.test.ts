// The code layer in the static report: the scenario where the messaging app gains a tracker and
// servers while every default stays the same (test/fixtures/scenarios, tracker-added). What the
// page must show comes from the scenario's ground truth (scenarios.json), not from OTA Lens.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCode } from '../../shared/app.js';
import { codeChange } from '../../shared/codeDiff.js';
import type { ComparisonResult } from '../../shared/model.js';
import { isTrackerCategory, SDKS } from '../../shared/sdks.js';
import { launchBrowser, recordPageErrors, recordRequests } from '../support/browser.js';
import { builtCompare, builtHtmlReport } from '../support/built.js';
import { openAppDetail, readAppDetailRows, showView, waitForReport } from './reportPage.js';

const { comparePackages } = await builtCompare();
const { renderHtmlReport } = await builtHtmlReport();

interface CodeTruth {
  package: string;
  code?: { sdks: { added: string[]; removed: string[] }; hosts: { added: string[]; removed: string[] } };
}
const SCENARIOS = new URL('../fixtures/scenarios/', import.meta.url);
const scenario = (JSON.parse(readFileSync(new URL('scenarios.json', SCENARIOS), 'utf8')) as {
  scenarios: { id: string; packages: Record<string, { old: string; new: string }>; expected: Record<string, { apps: { changed: CodeTruth[] } }> }[];
}).scenarios.find((candidate) => candidate.id === 'tracker-added');
const builds = JSON.parse(readFileSync(new URL('builds.json', SCENARIOS), 'utf8')) as { builds: Record<string, { layouts: { legacy: { facts: { apps: { package: string; code?: { sdks: string[]; hosts: string[] } }[] } } } }> };

let browser: Browser;
let workDir: string;
let page: Page;
let requests: string[];
let errors: string[];
let comparison: ComparisonResult;
const truth = scenario?.expected['file-ota']?.apps.changed.find((app) => app.package === 'com.android.mms')?.code;
const newMms = builds.builds['code-tracker-4.9.31']?.layouts.legacy.facts.apps.find((app) => app.package === 'com.android.mms');
const oldMms = builds.builds['code-push-4.9.30']?.layouts.legacy.facts.apps.find((app) => app.package === 'com.android.mms');

beforeAll(async () => {
  if (scenario === undefined || truth === undefined || newMms?.code === undefined) throw new Error('the tracker-added scenario is missing from test/fixtures/scenarios');
  browser = await launchBrowser();
  workDir = await mkdtemp(join(tmpdir(), 'otalens-code-report-'));
  const packages = scenario.packages['file-ota'] as { old: string; new: string };
  comparison = await comparePackages(new URL(packages.old, SCENARIOS).pathname, new URL(packages.new, SCENARIOS).pathname);
  const file = join(workDir, 'code.html');
  await writeFile(file, await renderHtmlReport(comparison));
  page = await browser.newPage();
  requests = recordRequests(page);
  errors = recordPageErrors(page);
  await page.goto(pathToFileURL(file).href);
  await waitForReport(page);
});

afterAll(async () => {
  await browser?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const trackerIds = new Set(SDKS.filter((sdk) => isTrackerCategory(sdk.category)).map((sdk) => sdk.id));

describe('the code layer in the report', () => {
  it('says on the Summary which app gained a tracker and which servers', async () => {
    const findings = page.getByTestId('code-finding');
    expect(await findings.evaluateAll((items) => items.map((item) => item.getAttribute('data-package')))).toEqual(['com.android.mms']);
    const text = (await findings.first().textContent()) ?? '';
    for (const id of truth?.sdks.added ?? []) expect(text).toContain(SDKS.find((sdk) => sdk.id === id)?.name);
    for (const host of truth?.hosts.added ?? []) expect(text).toContain(host);
    expect(await page.getByTestId('code-findings-counts').textContent()).toContain(`${(truth?.sdks.added ?? []).some((id) => trackerIds.has(id)) ? 1 : 0} app gained a tracker`);
  });

  it('filters the apps table by "Gained a tracker" and "New server"', async () => {
    await showView(page, 'apps');
    const shown = () => page.getByTestId('app-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-package')));
    const filter = page.getByTestId('app-code-filter');
    await filter.getByRole('radio', { name: /^Gained a tracker/ }).check();
    expect(await shown()).toEqual(['com.android.mms']);
    await filter.getByRole('radio', { name: /^New server/ }).check();
    expect(await shown()).toEqual(['com.android.mms']);
    await filter.getByRole('radio', { name: /^Any/ }).check();
    expect(await shown()).toContain('com.android.mms');
  });

  it('shows the app\'s Code section: SDKs with their category and what changed, servers added', async () => {
    await openAppDetail(page, 'com.android.mms');
    const sdkRows = await readAppDetailRows(page, 'app-sdks');
    const expectedSdks = [
      ...(truth?.sdks.added ?? []).map((id): [string, string] => ['added', id]),
      ...(truth?.sdks.removed ?? []).map((id): [string, string] => ['removed', id]),
      ...(newMms?.code?.sdks ?? []).filter((id) => !(truth?.sdks.added ?? []).includes(id)).map((id): [string, string] => ['unchanged', id]),
    ];
    expect(sdkRows).toEqual(expectedSdks);
    const trackerBadges = await page.getByTestId('app-sdks-row').evaluateAll((rows) => rows.filter((row) => row.querySelector('[data-testid="sdk-tracker"]') !== null).map((row) => row.getAttribute('data-name')));
    expect(trackerBadges).toEqual(expectedSdks.map(([, id]) => id).filter((id) => trackerIds.has(id)));
    const hostRows = await readAppDetailRows(page, 'app-hosts');
    expect(hostRows.filter(([kind]) => kind === 'added').map(([, host]) => host)).toEqual(truth?.hosts.added);
    expect(hostRows.map(([, host]) => host).sort()).toEqual([...(newMms?.code?.hosts ?? [])].sort());
    expect(await page.getByTestId('app-code-status').last().getAttribute('data-status')).toBe('read');
  });

  it('when one build\'s code is not in its files, lists the other build\'s SDKs and says the SDKs are not compared; with neither, "not known", never "none"', async () => {
    // The same comparison, as if the new build's messaging app kept its code out of the build's files (a preopted app with an Android 12 VDEX).
    const notInFiles: AppCode = { status: 'not-in-files', reason: "code not in this build's files: the APK holds no classes.dex", dexFiles: [], classCount: 0, sdks: [], hosts: [], nonEndpoints: [] };
    const withCode = (code: { old?: AppCode; new?: AppCode }): ComparisonResult => {
      const copy = structuredClone(comparison);
      for (const side of ['old', 'new'] as const) {
        for (const profile of copy.apps.profiles[side]) if (profile.package === 'com.android.mms' && code[side] !== undefined) profile.code = code[side];
      }
      const oldProfile = copy.apps.profiles.old.find((profile) => profile.package === 'com.android.mms');
      const newProfile = copy.apps.profiles.new.find((profile) => profile.package === 'com.android.mms');
      for (const change of copy.apps.changed) if (change.package === 'com.android.mms') change.code = codeChange(oldProfile?.code, newProfile?.code);
      return copy;
    };
    const open = async (result: ComparisonResult, name: string): Promise<Page> => {
      const file = join(workDir, name);
      await writeFile(file, await renderHtmlReport(result));
      const opened = await browser.newPage();
      await opened.goto(pathToFileURL(file).href);
      await waitForReport(opened);
      await openAppDetail(opened, 'com.android.mms');
      return opened;
    };
    const newOnly = await open(withCode({ new: notInFiles }), 'new-not-in-files.html');
    expect(await newOnly.getByTestId('app-code-not-compared').textContent()).toContain("not in the build's files in the new build");
    expect((await readAppDetailRows(newOnly, 'app-sdks')).map(([, id]) => id).sort()).toEqual([...(oldMms?.code?.sdks ?? [])].sort());
    const neither = await open(withCode({ old: notInFiles, new: notInFiles }), 'neither.html');
    expect(await readAppDetailRows(neither, 'app-sdks')).toEqual([]);
    expect(await neither.getByTestId('app-detail').getByTestId('app-sdks').textContent()).toContain("Not known: the app's code was not read");
    await newOnly.close();
    await neither.close();
  });

  it('made no request but loading its own file, and raised no error', () => {
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
