// The faces of issue 15 in the browser: a rules file's feature, claims on any key in the Check a
// claim panel, the flags that flipped (static report of the carousel pair); a timeline as a static
// report; and, in the app window, a rules file loaded and a timeline made from the start screen.
// Ground truth: the scenario builds' facts by construction (builds.json, scenarios.json).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClaims } from '../../shared/keyClaims.js';
import { openLiveRenderer, APP_ORIGIN } from '../support/bridge.js';
import { launchBrowser, recordPageErrors, recordRequests } from '../support/browser.js';
import { builtCompare, builtHandlers, builtHtmlReport, builtRules, builtTimeline } from '../support/built.js';
import { REPO_ROOT } from '../support/oracles.js';
import { seriousViolations } from './accessibility.js';
import { showView, waitForReport } from './reportPage.js';

const { comparePackages } = await builtCompare();
const { renderHtmlReport } = await builtHtmlReport();
const { timelineOfBuilds } = await builtTimeline();
const { loadFeatureRules } = await builtRules();
const { createHandlers } = await builtHandlers();

const SCENARIOS = join(REPO_ROOT, 'test/fixtures/scenarios');
const RULES = join(REPO_ROOT, 'test/fixtures/rules/lockscreen-carousel.yaml');
const TIMELINE_BUILDS = ['literal-on-4.7.4', 'literal-off-4.7.11', 'implicit-off-4.7.12', 'literal-on-again-4.7.18'];

interface Facts {
  apps: { package: string; preferences?: { key: string; title: string; defaultValue: string }[] }[];
  properties: { name: string; value: string }[];
  flags?: { name: string; state?: string; source: string }[];
}
const { builds } = JSON.parse(readFileSync(join(SCENARIOS, 'builds.json'), 'utf8')) as { builds: Record<string, { layouts: Record<string, { facts: Facts }> }> };
const factsOf = (id: string, layout: string): Facts => builds[id]?.layouts[layout]?.facts as Facts;
const expectedFlags = (JSON.parse(readFileSync(join(SCENARIOS, 'scenarios.json'), 'utf8')) as { scenarios: { id: string; expected: Record<string, { flags?: { changed: { name: string }[] } }> }[] }).scenarios
  .find((scenario) => scenario.id === 'carousel-on')?.expected['ab-oplus']?.flags;
const cloudState = (id: string): string => {
  const preference = factsOf(id, 'legacy').apps.find((app) => app.package === 'com.android.mms')?.preferences?.find((candidate) => candidate.title === 'Mi Cloud Messaging');
  return preference === undefined ? 'Not found' : preference.defaultValue === 'true' ? 'On by default' : 'Opt-in';
};

let browser: Browser;
let workDir: string;
beforeAll(async () => {
  browser = await launchBrowser();
  workDir = await mkdtemp(join(tmpdir(), 'otalens-issue15-'));
});
afterAll(async () => {
  await browser?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

async function openHtml(html: string, name: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const file = join(workDir, `${name}.html`);
  await writeFile(file, html);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests = recordRequests(page);
  const errors = recordPageErrors(page);
  await page.goto(pathToFileURL(file).href);
  return { page, requests, errors };
}

describe('static report of the carousel pair, with a rules file', () => {
  let opened: Awaited<ReturnType<typeof openHtml>>;
  const newFacts = factsOf('carousel-on-4.10.2', 'oplus');

  beforeAll(async () => {
    const rules = await loadFeatureRules([RULES]);
    const claims = parseClaims(['prop:persist.sys.lockscreen_carousel=0'], rules.features);
    const result = await comparePackages(join(SCENARIOS, 'ab-oplus/carousel-off-4.10.1.zip'), join(SCENARIOS, 'ab-oplus/carousel-on-4.10.2.zip'), { ...rules, keyClaims: claims.keys });
    opened = await openHtml(await renderHtmlReport(result), 'carousel');
    await waitForReport(opened.page);
  });
  afterAll(async () => opened?.page.close());

  it('names the rules file and shows its feature as a regression', async () => {
    const { page } = opened;
    expect(await page.getByTestId('rule-files').textContent()).toBe('Feature rules: the built-in ones and lockscreen-carousel.yaml.');
    const card = page.locator('[data-testid="feature-card"][data-feature="lockscreen-carousel"]');
    expect(await card.getAttribute('data-change')).toBe('now-default-on');
  });

  it('lists the claim made on the command line with its verdict', async () => {
    const card = opened.page.locator('[data-testid="key-claim-card"]');
    expect(await card.getAttribute('data-claim')).toBe('prop:persist.sys.lockscreen_carousel=0');
    const value = newFacts.properties.find((property) => property.name === 'persist.sys.lockscreen_carousel')?.value;
    expect(await card.getAttribute('data-verdict')).toBe(value === '0' ? 'confirmed' : 'contradicted');
  });

  it('checks a claim about any flag or preference in the panel, as the builds\' facts say', async () => {
    const { page } = opened;
    const form = page.getByTestId('key-claim-form');
    const ask = async (kind: string, key: string, value: string): Promise<string | null> => {
      await form.getByTestId('key-claim-kind').selectOption(kind);
      await form.getByTestId('key-claim-key').fill(key);
      await form.getByTestId('key-claim-value').fill(value);
      await form.getByTestId('key-claim-check').click();
      return page.getByTestId('key-claim-result').getAttribute('data-verdict');
    };
    for (const flag of (newFacts.flags ?? []).filter((candidate) => candidate.source === 'aconfig')) {
      expect(await ask('flag', flag.name, flag.state ?? ''), flag.name).toBe('confirmed');
      expect(await ask('flag', flag.name, flag.state === 'enabled' ? 'disabled' : 'enabled'), flag.name).toBe('contradicted');
    }
    const mx = newFacts.apps.find((app) => app.package === 'com.android.mms')?.preferences?.find((preference) => preference.title === 'Mi Cloud Messaging');
    if (mx === undefined) throw new Error('no Mi Cloud Messaging preference in the facts');
    expect(await ask('pref', `com.android.mms/${mx.key}`, mx.defaultValue)).toBe('confirmed');
    expect(await ask('setting', 'def_no_such_setting', 'on')).toBe('cannot tell');
    expect(await page.getByTestId('key-claim-result').getByTestId('key-claim-summary').textContent()).toMatch(/^Cannot tell: the new build has no setting def_no_such_setting/);
  });

  it('lists the flags that flipped in Settings & properties', async () => {
    const { page } = opened;
    await showView(page, 'settings');
    const rows = page.locator('[data-testid="flags"] [data-testid="flag-row"]');
    expect(await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-name')))).toEqual(expectedFlags?.changed.map((change) => change.name));
    await showView(page, 'summary');
  });

  it('made no request and raised no error', () => {
    expect(opened.requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
    expect(opened.errors).toEqual([]);
  });
});

describe('static timeline report of four builds', () => {
  let opened: Awaited<ReturnType<typeof openHtml>>;

  beforeAll(async () => {
    const timeline = await timelineOfBuilds(TIMELINE_BUILDS.map((id) => join(SCENARIOS, 'file-ota', `${id}.zip`)).reverse());
    opened = await openHtml(await renderHtmlReport(timeline), 'timeline');
    await opened.page.getByTestId('timeline').waitFor();
  });
  afterAll(async () => opened?.page.close());

  it('shows the builds as columns in build order, and each feature\'s state per build', async () => {
    const { page } = opened;
    expect(await page.getByTestId('timeline-title').textContent()).toBe('4 builds, ordered by build date');
    const cloud = page.locator('[data-testid="timeline-feature"][data-feature="cloud-messaging"]');
    expect(await cloud.getByTestId('timeline-state').allTextContents()).toEqual(TIMELINE_BUILDS.map(cloudState));
    expect(await cloud.locator('[data-testid="timeline-cell"][data-changed="true"]').count()).toBe(2);
    expect(await cloud.getByTestId('timeline-sentence').textContent()).toBe('Mi Cloud Messaging: on by default in build 1 (4.7.4); opt-in since build 2 (4.7.11); back to on by default in build 4 (4.7.18).');
    expect(await page.title()).toBe('OTA Lens timeline: 4 builds (literal-on-4.7.4.zip … literal-on-again-4.7.18.zip)');
  });

  it('opens a cell\'s evidence under its row', async () => {
    const { page } = opened;
    const cell = page.locator('[data-testid="timeline-feature"][data-feature="cloud-messaging"] [data-testid="timeline-cell"]').nth(1);
    await cell.getByRole('button').click();
    const evidence = page.getByTestId('timeline-evidence');
    expect(await evidence.getByTestId('evidence-path').allTextContents()).toContainEqual(expect.stringMatching(/^\/system\/priv-app\/Mms\/Mms\.apk!\/res\/xml\/preferences\.xml:\d+$/));
    expect(await evidence.getByTestId('evidence-state').allTextContents()).toContain(cloudState('literal-off-4.7.11'));
    await cell.getByRole('button').click();
    expect(await evidence.count()).toBe(0);
  });

  it('is accessible, made no request and raised no error', async () => {
    expect(await seriousViolations(opened.page)).toEqual([]);
    expect(opened.requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
    expect(opened.errors).toEqual([]);
  });
});

describe('the app window: a rules file and a timeline from the start screen', () => {
  let page: Page;
  let errors: string[];
  let blocked: string[];
  let all: string[];
  let rulesPath = RULES;

  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = recordPageErrors(page);
    const handlers = createHandlers({
      choosePackagePath: async () => null,
      chooseRulesPath: async () => rulesPath,
      rulesSettingsFile: join(workDir, 'user-data', 'feature-rules.json'),
      chooseBuildPaths: async () => TIMELINE_BUILDS.map((id) => join(SCENARIOS, 'file-ota', `${id}.zip`)),
      appVersion: '0.0.0-test',
    });
    const live = await openLiveRenderer(page, handlers);
    blocked = live.blockedRequests;
    all = live.allRequests;
    await page.getByTestId('start-screen').waitFor();
  });
  afterAll(async () => page?.close());

  it('loads a rules file, remembers it, and says why a malformed one cannot be used', async () => {
    expect(await page.getByTestId('rules-status').textContent()).toMatch(/^The built-in rules only/);
    await page.getByTestId('rules-load').click();
    await page.getByTestId('rules-status').getByText('lockscreen-carousel.yaml').waitFor();
    expect(await page.getByTestId('rules-status').textContent()).toBe('The built-in rules and lockscreen-carousel.yaml (1 feature: Wallpaper carousel on the lock screen).');
    expect(JSON.parse(readFileSync(join(workDir, 'user-data', 'feature-rules.json'), 'utf8'))).toEqual({ path: RULES });
    rulesPath = join(workDir, 'broken.yaml');
    await writeFile(rulesPath, readFileSync(RULES, 'utf8').replace('whyItMatters', 'whyitmatters'));
    await page.getByTestId('rules-load').click();
    await page.getByTestId('rules-error').waitFor();
    expect(await page.getByTestId('rules-error').textContent()).toBe(`${rulesPath}: rule "lockscreen-carousel" (features[0]): unknown field "whyitmatters" (allowed: id, title, whyItMatters, sources, matchers)`);
  });

  it('follows four builds chosen at once, the rules file\'s feature among the rows', async () => {
    await page.getByTestId('timeline-choose').click();
    expect(await page.getByTestId('timeline-picks').locator('li').allTextContents()).toEqual(TIMELINE_BUILDS.map((id) => `${id}.zip`));
    await page.getByTestId('timeline-claims').fill('prop:persist.sys.usage_stats=0');
    await page.getByTestId('timeline-start').click();
    await page.getByTestId('timeline').waitFor();
    const cloud = page.locator('[data-testid="timeline-feature"][data-feature="cloud-messaging"]');
    expect(await cloud.getByTestId('timeline-state').allTextContents()).toEqual(TIMELINE_BUILDS.map(cloudState));
    const carousel = page.locator('[data-testid="timeline-feature"][data-feature="lockscreen-carousel"]');
    expect(await carousel.getByTestId('timeline-state').allTextContents()).toEqual(['Not found', 'Not found', 'Not found', 'Not found']);
    const usage = TIMELINE_BUILDS.map((id) => factsOf(id, 'legacy').properties.find((property) => property.name === 'persist.sys.usage_stats')?.value);
    expect(await page.locator('[data-testid="timeline-key"] [data-testid="timeline-key-cell"] .value').allTextContents()).toEqual(usage);
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await page.getByTestId('start-screen').waitFor();
  });

  it('made no network request and raised no error', () => {
    expect(blocked).toEqual([]);
    expect(all.filter((url) => !url.startsWith(`${APP_ORIGIN}/`))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
