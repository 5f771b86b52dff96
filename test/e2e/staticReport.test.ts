import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonResult } from '../../shared/model.js';
import { launchBrowser, recordPageErrors, recordRequests } from '../support/browser.js';
import { handmadeResult, handmadeSigningFindings } from './handmadeResult.js';
import { expectFilesShown, expectPropertiesShown, openAppDetail, readAppDetailRows, readCell, readShownProperties, readVerdictCard, showView, waitForReport } from './reportPage.js';
import { expectedAppDiff, expectedCloudMessaging, SAMPLE_NEW, SAMPLE_OLD, sampleExpectations } from './sampleOracle.js';
import { builtCompare, builtHtmlReport } from '../support/built.js';
import { specialImagePair } from '../support/ext4.js';

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
    await showView(opened.page, 'settings');
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
    await showView(opened.page, 'settings');
    await opened.page.getByLabel('Search settings and properties').fill(someName);
    const shown = await readShownProperties(opened.page);
    expect(shown.map((row) => row.name)).toContain(someName);
    expect(shown.every((row) => [row.name, row.old, row.new].some((text) => text?.includes(someName)))).toBe(true);
    await opened.page.getByLabel('Search settings and properties').fill('');
  });

  it('leads with the answer: Mi Cloud Messaging went from on by default to opt-in, as the APKs say', async () => {
    const truth = expectedCloudMessaging();
    // The sample tells the 2014 story; if it stops doing so, this test has nothing to check.
    expect([truth.old, truth.new]).toEqual(['On by default', 'Opt-in']);
    const card = await readVerdictCard(opened.page, 'cloud-messaging');
    expect(card.change).toBe('now-opt-in');
    expect(card.badge).toMatch(/Now opt-in$/);
    expect([card.old, card.new]).toEqual([truth.old, truth.new]);
    expect(card.reachNote).toMatch(/set up fresh/);
    // Changed defaults come before unchanged ones.
    expect(await opened.page.getByTestId('feature-card').first().getAttribute('data-change')).toMatch(/^now-/);
  });

  it('shows the evidence for it one click away: the preference XML inside Mms.apk on each side', async () => {
    const truth = expectedCloudMessaging();
    expect(truth.oldPath).toMatch(/\/Mms\.apk!\/res\/xml\/preferences\.xml$/);
    await showView(opened.page, 'summary');
    const card = opened.page.locator('[data-testid="feature-card"][data-feature="cloud-messaging"]');
    const firstPath = card.getByTestId('evidence-path').first();
    expect(await firstPath.isVisible()).toBe(false);
    await card.getByText(/^Evidence/).click();
    expect(await firstPath.isVisible()).toBe(true);
    const shown = await readVerdictCard(opened.page, 'cloud-messaging');
    // A path, optionally followed by `:line`.
    const atLine = (expected: string | null) => (shown: string) => expected !== null && (shown === expected || (shown.startsWith(`${expected}:`) && /^\d+$/.test(shown.slice(expected.length + 1))));
    expect(shown.oldEvidence.filter(atLine(truth.oldPath))).toHaveLength(1);
    expect(shown.newEvidence.filter(atLine(truth.newPath))).toHaveLength(1);
    const states = await card.getByTestId('evidence-old').getByTestId('evidence-state').allTextContents();
    expect(states).toContain('On by default');
  });

  it('agrees with the scenario ground truth the sample was built from', () => {
    // Two independent oracles (aapt on the APKs; the build definitions) must say the same.
    const scenarios = JSON.parse(readFileSync(new URL('../fixtures/scenarios/scenarios.json', import.meta.url), 'utf8')) as {
      scenarios: { id: string; packages: Record<string, { old: string; new: string }>; expected: Record<string, { cloudMessaging: { change: string; old: { state: string; evidence: { path: string } }; new: { state: string; evidence: { path: string } } } }> }[];
    };
    const seed = scenarios.scenarios.find((scenario) => scenario.id === 'resource-flip');
    if (seed === undefined) throw new Error('scenarios.json has no resource-flip scenario');
    const sha = (path: string | URL) => createHash('sha256').update(readFileSync(path)).digest('hex');
    const packages = seed.packages['file-ota'];
    if (packages === undefined) throw new Error('resource-flip has no file-ota packages');
    expect(sha(SAMPLE_OLD)).toBe(sha(new URL(`../fixtures/scenarios/${packages.old}`, import.meta.url)));
    expect(sha(SAMPLE_NEW)).toBe(sha(new URL(`../fixtures/scenarios/${packages.new}`, import.meta.url)));
    const truth = expectedCloudMessaging();
    const ground = seed.expected['file-ota']?.cloudMessaging;
    expect(ground?.change).toBe('now-opt-in');
    expect([ground?.old.state, ground?.new.state]).toEqual(['default-on', 'opt-in']);
    expect([ground?.old.evidence.path, ground?.new.evidence.path]).toEqual([truth.oldPath, truth.newPath]);
  });

  it('lists the apps added, removed and changed in one table, as aapt and unzip tell them apart', async () => {
    const expected = expectedAppDiff();
    const { page } = opened;
    await showView(page, 'apps');
    const rebuilt = page.getByTestId('app-include-rebuilt').locator('input');
    if ((await rebuilt.count()) > 0) await rebuilt.check();
    const rows = await page.getByTestId('app-row').evaluateAll((elements) => elements.map((row) => [row.getAttribute('data-kind') ?? '', row.getAttribute('data-package') ?? '']));
    const packagesOf = (kind: string) => rows.filter(([rowKind]) => rowKind === kind).map(([, name]) => name).sort();
    expect(packagesOf('added')).toEqual(expected.added);
    expect(packagesOf('removed')).toEqual(expected.removed);
    expect(packagesOf('changed')).toEqual([...expected.changed.keys()].sort());
    expect(expected.removed.length + [...expected.changed.values()].filter((app) => app.permissionsAdded.length > 0).length).toBeGreaterThan(0);
    for (const [name, app] of expected.changed) {
      const added = page.locator(`[data-testid="app-row"][data-package="${name}"] [data-added]`);
      expect((await added.count()) === 0 ? 0 : Number(await added.getAttribute('data-added')), `${name} now asks for`).toBe(app.permissionsAdded.length);
    }
    await rebuilt.uncheck();
  });

  it('shows each changed or removed app whole: every permission it asks for in each build, as aapt lists them', async () => {
    const expected = expectedAppDiff();
    const { page } = opened;
    const names = (rows: [string, string][], kinds: string[]) => rows.filter(([kind]) => kinds.includes(kind)).map(([, name]) => name).sort();
    await showView(page, 'apps');
    // Apps only rebuilt are listed only on request; their detail is checked too.
    const rebuilt = page.getByTestId('app-include-rebuilt').locator('input');
    if ((await rebuilt.count()) > 0) await rebuilt.check();
    for (const name of [...expected.changed.keys(), ...expected.removed]) {
      await openAppDetail(page, name);
      const rows = await readAppDetailRows(page, 'app-requested-permissions');
      const oldPermissions = expected.usesPermissions.old.get(name) ?? [];
      if (expected.removed.includes(name)) {
        // An app only one build has lists its permissions without a change column.
        expect(rows.map(([, permission]) => permission).sort(), `${name} asked for`).toEqual(oldPermissions);
        continue;
      }
      expect(names(rows, ['removed', 'unchanged']), `${name} in the old build`).toEqual(oldPermissions);
      expect(names(rows, ['added', 'unchanged']), `${name} in the new build`).toEqual(expected.usesPermissions.new.get(name) ?? []);
      await page.getByTestId('app-detail-back').click();
      await page.getByTestId('apps-table').waitFor({ state: 'visible' });
    }
    await showView(page, 'apps');
    if ((await rebuilt.count()) > 0) await rebuilt.uncheck();
  });

  it('made no request but loading its own file, and raised no error', () => {
    expect(opened.requests).toEqual([opened.fileUrl]);
    expect(opened.errors).toEqual([]);
  });

  it('is byte-for-byte the same when rendered again', async () => {
    expect(await renderHtmlReport(await comparePackages(SAMPLE_OLD, SAMPLE_NEW))).toBe(opened.html);
  });
});

describe('static HTML report of a handmade comparison', () => {
  // The result is written by hand (handmadeResult.ts): it is the oracle for what the page shows.
  const result = handmadeResult({
    claims: [{ feature: 'cloud-messaging', claimed: 'default-on', actual: 'opt-in', verdict: 'contradicted', summary: 'Contradicted: it is opt-in.', evidence: [] }],
    problems: { old: [], new: [{ path: '/system/app/Broken/Broken.apk', message: 'truncated central directory' }] },
  });
  let opened: OpenedReport;

  beforeAll(async () => {
    opened = await openReport(result, 'handmade');
  });

  afterAll(async () => {
    await opened?.page.close();
  });

  it('puts the regression first, then the fix, then the undecidable, and the features found nowhere on one line', async () => {
    const { page } = opened;
    const cards = await page.getByTestId('feature-card').evaluateAll((elements) => elements.map((element) => [element.getAttribute('data-feature'), element.getAttribute('data-change')]));
    expect(cards).toEqual([
      ['usage-statistics', 'now-default-on'],
      ['cloud-messaging', 'now-opt-in'],
      ['find-device', 'unknown'],
    ]);
    expect(await page.getByTestId('absent-feature').allTextContents()).toEqual(['Automatic crash and error reports', 'Backup to the cloud']);
    const regression = await readVerdictCard(page, 'usage-statistics');
    expect(regression).toMatchObject({ badge: '✗ Now on by default (regression)', old: 'Opt-in', new: 'On by default', oldEvidence: ['/system/build.prop:30'], newEvidence: ['/vendor/build.prop:4'] });
    expect(regression.reachNote).toContain('set up fresh');
    const unknown = await readVerdictCard(page, 'find-device');
    expect(unknown).toMatchObject({ badge: '? Cannot tell', old: 'Cannot tell', new: 'Cannot tell', reachNote: null });
    expect(await page.getByTestId('verdicts').textContent()).toContain('Some parts could not be read');
  });

  it('leads the Summary with the apps signed with public test keys, and lists the other signing findings after the verdicts', async () => {
    const { page } = opened;
    await showView(page, 'summary');
    const sections = await page.getByTestId('view-summary').locator('section[data-testid]').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')));
    expect(sections.indexOf('test-keys')).toBe(0);
    expect(sections.indexOf('signatures')).toBeGreaterThan(sections.indexOf('verdicts'));
    const [testKeyFinding, ...others] = handmadeSigningFindings();
    const read = (section: string) =>
      page.getByTestId(section).getByTestId('signing-finding').evaluateAll((items) => items.map((item) => [item.getAttribute('data-kind'), item.getAttribute('data-builds'), item.textContent]));
    expect(await read('test-keys')).toEqual([['test-key', 'new', `⚠ ${testKeyFinding?.summary} (new in this build)/system/priv-app/Mms/Mms.apk`]]);
    expect((await read('signatures')).map(([kind, builds]) => [kind, builds])).toEqual(others.map((finding) => [finding.kind, finding.builds]));
    expect(await page.getByTestId('test-keys').getByTestId('signing-finding-app').getAttribute('href')).toBe('#/apps/com.android.mms');
  });

  it('shows the claim with its verdict in words', async () => {
    const claim = opened.page.getByTestId('claim-card');
    expect(await claim.getAttribute('data-verdict')).toBe('contradicted');
    expect(await claim.getByTestId('claim-verdict').textContent()).toBe('✗ Contradicted');
    expect(await claim.getByTestId('claim-actual').textContent()).toBe('Opt-in');
  });

  it('lists the other flipped default with both places it is set', async () => {
    const row = opened.page.locator('[data-testid="other-default"][data-name="pref_key_auto_sync"]');
    expect(await row.getByTestId('value-old').textContent()).toBe('false');
    expect(await row.getByTestId('value-new').textContent()).toBe('true');
    expect(await row.locator('.device-path').allTextContents()).toEqual([
      '/system/app/Mms/Mms.apk!/res/xml/preferences.xml:20',
      '/system/priv-app/Mms/Mms.apk!/res/xml/preferences.xml:22',
    ]);
  });

  it('shows a changed app whole: facts side by side, permissions, components and preference defaults, changes first', async () => {
    const { page } = opened;
    await openAppDetail(page, 'com.android.mms');
    const detail = page.getByTestId('app-detail');
    expect(await detail.getByTestId('app-detail-title').textContent()).toBe('Messagingcom.android.mms');
    const version = detail.locator('[data-testid="app-fact"][data-fact="Version"]');
    expect(await version.getAttribute('data-changed')).toBe('true');
    expect(await version.locator('td').allTextContents()).toEqual(['4.4.2-1 (19)', '4.4.2-2 (20)']);
    expect(await detail.locator('[data-testid="app-fact"][data-fact="Partition"]').getAttribute('data-changed')).toBe('false');
    expect(await readAppDetailRows(page, 'app-requested-permissions')).toEqual([
      ['added', 'android.permission.READ_CONTACTS'],
      ['removed', 'android.permission.RECEIVE_MMS'],
      ['unchanged', 'android.permission.READ_SMS'],
    ]);
    // All three are dangerous platform permissions (Android's core manifest), and the page says so in words.
    expect(await detail.getByTestId('app-requested-permissions').getByTestId('permission-dangerous').count()).toBe(3);
    expect(await readAppDetailRows(page, 'app-components')).toEqual([
      ['added', 'service com.android.mms.CloudSyncService'],
      ['changed', 'receiver com.android.mms.PushReceiver'],
      ['unchanged', 'receiver com.android.mms.SmsReceiver'],
    ]);
    expect(await detail.locator('[data-testid="app-components-row"][data-kind="changed"] td').last().textContent()).toBe(
      'exported, enabled, no permission → not exported, enabled, no permission',
    );
    expect(await detail.getByTestId('app-signer-change').textContent()).toContain('Signed with a different certificate');
    expect(await detail.locator('[data-testid="app-fact"][data-fact="Signers"] td').allTextContents()).toEqual([
      `CN=Old Vendor (v1) verifiedplatform keySHA-256 ${'c'.repeat(64)}`,
      `CN=New Vendor (v2) verifiedAOSP public test key “testkey”SHA-256 ${'d'.repeat(64)}`,
    ]);
    expect(await detail.locator('[data-testid="app-fact"][data-fact="Signatures"] td').allTextContents()).toEqual([
      'verify, as Android checks them; holds the platform key',
      "verify, as Android checks them; signed with AOSP's public test key testkey; not the platform key",
    ]);
    expect(await detail.getByTestId('app-test-key').textContent()).toContain("Signed with AOSP's public test key testkey.");
    expect(await readAppDetailRows(page, 'app-preferences')).toEqual([
      ['changed', 'res/xml/preferences.xml pref_key_enable_mx'],
      ['unchanged', 'res/xml/preferences.xml pref_key_auto_retrieve'],
    ]);
    const cloud = detail.locator('[data-testid="app-preferences-row"][data-kind="changed"]');
    expect(await cloud.locator('td').allTextContents()).toEqual([
      '~ Changed',
      'Mi Cloud Messaging',
      'true (written in the XML) → false (written in the XML)',
      '/system/priv-app/Mms/Mms.apk!/res/xml/preferences.xml:14',
    ]);
  });

  it('shows an added app’s permissions with their levels as the build declares them, and goes back to the table with Back', async () => {
    const { page } = opened;
    await openAppDetail(page, 'com.example.weather');
    expect(page.url()).toMatch(/#\/apps\/com\.example\.weather$/);
    const detail = page.getByTestId('app-detail');
    expect(await detail.getByTestId('app-detail').count()).toBe(0);
    expect(await detail.getAttribute('data-kind')).toBe('added');
    expect(await detail.locator('[data-testid="app-fact"][data-fact="Version"] td').allTextContents()).toEqual(['not in this build', '1.3 (3)']);
    const permissions = detail.getByTestId('app-requested-permissions-row');
    // Levels as the new build declares them (handmadeResult's permissionDeclarations), else Android's list of dangerous platform permissions.
    expect(await permissions.evaluateAll((rows) => rows.map((row) => row.textContent))).toEqual([
      'android.permission.ACCESS_FINE_LOCATION ⚠ dangerous',
      'android.permission.INTERNET (normal) declared by android',
      'com.android.mms.permission.CLOUD (signature) declared by com.android.mms',
      'com.example.permission.READ_HEALTH ⚠ dangerous declared by com.example.health',
    ]);
    expect(await page.locator('[data-testid="app-row"][data-package="com.example.weather"] [data-testid="app-row-permissions"]').textContent()).toBe('+4 added (⚠ 2 dangerous)');
    await page.goBack();
    await page.getByTestId('apps-table').waitFor({ state: 'visible' });
    expect(await page.getByTestId('app-detail').count()).toBe(0);
  });

  it('lists an app only rebuilt when asked, saying so', async () => {
    const { page } = opened;
    await showView(page, 'apps');
    const rebuiltRow = page.locator('[data-testid="app-row"][data-package="com.example.rebuilt"]');
    expect(await rebuiltRow.count()).toBe(0);
    await page.getByLabel(/Include 1 app only rebuilt/).check();
    expect(await rebuiltRow.getByTestId('app-row-other').textContent()).toBe('only rebuilt');
    await page.getByLabel(/Include 1 app only rebuilt/).uncheck();
  });

  it('filters apps by a permission one of them now asks for, and by kind', async () => {
    const { page } = opened;
    await showView(page, 'apps');
    const shownPackages = () => page.getByTestId('app-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-package')));
    await page.getByLabel('Filter apps').fill('read_contacts');
    expect(await shownPackages()).toEqual(['com.android.mms']);
    expect(await readCell(page, 'app-filter-status')).toBe('1 of 4 apps match.');
    await page.getByLabel('Filter apps').fill('');
    expect(await shownPackages()).toEqual(['com.example.weather', 'com.example.legacy', 'com.android.mms']);
    await page.getByTestId('app-kind-filter').getByRole('radio', { name: /^Removed/ }).check();
    expect(await shownPackages()).toEqual(['com.example.legacy']);
    await page.getByTestId('app-kind-filter').getByRole('radio', { name: /^All/ }).check();
  });

  it('shows settings, grants, system configuration and init services with where they come from', async () => {
    const { page } = opened;
    await showView(page, 'settings');
    const setting = page.locator('[data-testid="setting-row"][data-name="def_location_providers_allowed"]');
    expect(await setting.getByTestId('value-old').textContent()).toBe('gps,network');
    expect(await setting.getByTestId('value-new').textContent()).toBe('(empty)');
    expect(await setting.locator('.device-path').allTextContents()).toEqual(['/system/priv-app/SettingsProvider/SettingsProvider.apk', '/vendor/overlay/SettingsOverlay.apk']);
    const grants = await page.getByTestId('grant-row').evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-kind'), ...Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent)]));
    expect(grants).toEqual([
      ['added', '+ Added', 'Granted by default', 'com.example.weather', 'android.permission.ACCESS_FINE_LOCATION', 'No (fixed)', '/system/etc/default-permissions/weather.xml:5'],
      ['removed', '− Removed', 'Privileged permission', 'com.example.legacy', 'android.permission.READ_PHONE_STATE', '—', '/system/etc/permissions/privapp-permissions-legacy.xml:3'],
    ]);
    expect(await page.getByTestId('sysconfig-row').locator('td').allTextContents()).toEqual(['+ Added', 'allow-in-power-save', 'com.example.weather', '/system/etc/sysconfig/weather.xml:2']);
    const logd = page.locator('[data-testid="init-service-row"][data-kind="changed"]');
    expect(await logd.locator('li').allTextContents()).toEqual(['command: /system/bin/logd → /system/bin/logd --verbose', '+ option added: oneshot']);
  });

  it('shows the property file that sets each value and each file’s sizes', async () => {
    const { page } = opened;
    expect(await page.locator('[data-testid="property-row"][data-name="ro.example.added"] [data-testid="property-layer"]').textContent()).toBe('/vendor/build.prop');
    expect(await page.getByTestId('files-changed').getByTestId('file-size').textContent()).toBe('2.0 KB → 2.1 KB');
    expect(await page.getByTestId('files-added').locator('[data-size]').getAttribute('data-size')).toBe('48213');
  });

  it('lists partitions side by side with file system and size', async () => {
    const { page } = opened;
    const vendor = page.locator('[data-testid="partition-row"][data-name="vendor"]');
    expect(await vendor.getByTestId('partition-old').textContent()).toBe('Not in this build');
    expect(await vendor.getByTestId('partition-new').textContent()).toBe('ext4, 402.7 MB, mounted at /vendorfrom payload.bin');
    expect(await vendor.getByTestId('partition-size').getAttribute('title')).toBe('402,653,184 bytes');
    // A partition without a file system is listed with its kind, not as a mount.
    const boot = page.locator('[data-testid="partition-row"][data-name="boot"]');
    expect(await boot.getByTestId('partition-new').textContent()).toBe('boot image (header v4), 67.1 MBfrom payload.bin');
    expect(await boot.getByTestId('partition-fs').getAttribute('data-kind')).toBe('boot-image');
  });

  it('shows the boot patch level and kernel next to the Android security patch', async () => {
    const { page } = opened;
    const boot = result.new.boot;
    expect(await page.getByTestId('boot-patch-new').textContent()).toBe(boot?.securityPatch);
    expect(await page.getByTestId('boot-patch-old').textContent()).toBe('No boot image in this package');
    expect(await page.getByTestId('kernel-new').textContent()).toBe(boot?.kernelVersion);
    expect(await page.getByTestId('build-strip-new').textContent()).toContain(`patch ${result.new.securityPatch} · boot patch ${boot?.securityPatch} · kernel ${boot?.kernelVersion}`);
  });

  it('opens a text diff on request, each changed line marked by its sign and a class', async () => {
    const { page } = opened;
    await showView(page, 'files');
    const diff = page.locator('[data-testid="text-diff"][data-path="/system/build.prop"]');
    expect(await diff.getByTestId('text-diff-patch').count()).toBe(0);
    await diff.locator('summary').click();
    // The patch renders when the disclosure opens: wait for it rather than race React.
    await diff.getByTestId('text-diff-patch').waitFor();
    const lines = await diff.locator('.diff-line').evaluateAll((elements) => elements.map((element) => [element.className, element.textContent]));
    expect(lines.filter(([className]) => className !== 'diff-line diff-header' && className !== 'diff-line diff-hunk')).toEqual([
      ['diff-line diff-context', ' ro.build.id=TQ1A\n'],
      ['diff-line diff-removed', '-ro.build.version.release=13\n'],
      ['diff-line diff-added', '+ro.build.version.release=14\n'],
      ['diff-line diff-context', ' ro.build.type=user\n'],
    ]);
    // Copying the block gives back the patch.
    const [textDiff] = result.textDiffs;
    expect(await diff.getByTestId('text-diff-patch').textContent()).toBe(textDiff?.patch);
  });

  it('shows one view at a time, each from the view bar, with the problems last', async () => {
    const { page } = opened;
    const links = await page.getByTestId('view-nav').locator('a').evaluateAll((elements) => elements.map((link) => [link.getAttribute('href'), link.textContent]));
    expect(links).toEqual([
      ['#/summary', 'Summary'],
      ['#/security', 'Security'],
      ['#/apps', 'Apps (4)'],
      ['#/settings', 'Settings & properties (10)'],
      ['#/files', 'Files (3)'],
      ['#/problems', 'Problems (1)'],
    ]);
    for (const view of ['summary', 'security', 'apps', 'settings', 'files', 'problems'] as const) {
      await showView(page, view);
      const shown = await page.locator('[data-testid^="view-"][role="region"]').evaluateAll((panels) => panels.filter((panel) => !(panel as HTMLElement).hidden).map((panel) => panel.getAttribute('data-testid')));
      expect(shown).toEqual([`view-${view}`]);
      expect(await page.getByTestId(`view-link-${view}`).getAttribute('aria-current')).toBe('page');
    }
    expect(await page.getByTestId('problems-new').textContent()).toBe('/system/app/Broken/Broken.apk: truncated central directory');
    // A section's own address opens the view that holds it.
    await page.evaluate(() => { window.location.hash = '#grants'; });
    await page.getByTestId('view-settings').waitFor({ state: 'visible' });
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([opened.fileUrl]);
  });
});

describe('static HTML report with hostile firmware content', () => {
  const HOSTILE_VALUE = '<img src=x onerror=alert(1)>';
  const SCRIPT_BREAKOUT = '</script><script>alert(1)</script>';
  const SEPARATORS = 'line\u2028separator\u2029paragraph';
  let opened: OpenedReport;

  beforeAll(async () => {
    const base = handmadeResult();
    const [cloud] = base.features;
    if (cloud === undefined) throw new Error('the handmade result has features');
    const hostileEvidence = { path: `/system/app/${HOSTILE_VALUE}.apk!/res/xml/${SCRIPT_BREAKOUT}.xml`, subject: 'x', line: 3, detail: `title ${HOSTILE_VALUE}`, state: 'default-on' as const };
    const result = handmadeResult({
      old: { ...base.old, file: '<b>old</b>.zip', fingerprint: SCRIPT_BREAKOUT, partitions: [{ name: HOSTILE_VALUE, fileSystem: '<b>ext4</b>', size: 1, origin: SCRIPT_BREAKOUT, kind: 'file-system' }] },
      features: [{ ...cloud, title: `<b>${HOSTILE_VALUE}</b>`, summary: SCRIPT_BREAKOUT, old: { state: 'default-on', evidence: [hostileEvidence] } }],
      claims: [{ feature: 'cloud-messaging', claimed: 'opt-in', actual: 'opt-in', verdict: 'confirmed', summary: HOSTILE_VALUE, evidence: [hostileEvidence] }],
      apps: { ...base.apps, added: [{ package: 'com.hostile', label: HOSTILE_VALUE, path: `/system/app/${SCRIPT_BREAKOUT}`, partition: 'system', versionCode: 1, versionName: '<b>1</b>' }] },
      properties: {
        changed: [{ name: SCRIPT_BREAKOUT, old: SEPARATORS, new: HOSTILE_VALUE, oldLayer: '/system/build.prop', newLayer: `/vendor/${HOSTILE_VALUE}` }],
        added: [{ name: 'ro.hostile', old: null, new: HOSTILE_VALUE, oldLayer: null, newLayer: '/system/build.prop' }],
        removed: [],
      },
      files: { added: [{ path: `/system/${HOSTILE_VALUE}`, oldSize: null, newSize: 12, oldSha256: null, newSha256: null }], removed: [], changed: [], unchanged: [] },
      textDiffs: [{ path: `/system/etc/${HOSTILE_VALUE}`, patch: `--- a\told build\n+++ a\tnew build\n@@ -1 +1 @@\n-${SCRIPT_BREAKOUT}\n+${HOSTILE_VALUE}\n` }],
    });
    opened = await openReport(result, 'hostile');
  });

  afterAll(async () => {
    await opened?.page.close();
  });

  it('shows markup and script tags in values and names as text', async () => {
    const { page } = opened;
    const shown = await readShownProperties(page);
    expect(shown).toEqual([
      { kind: 'changed', name: SCRIPT_BREAKOUT, old: SEPARATORS, new: HOSTILE_VALUE },
      { kind: 'added', name: 'ro.hostile', old: null, new: HOSTILE_VALUE },
    ]);
    expect(await readCell(page, 'fingerprint-old')).toBe(SCRIPT_BREAKOUT);
    expect(await readCell(page, 'file-old')).toBe('<b>old</b>.zip');
    expect(await page.getByTestId('file-path').allTextContents()).toEqual([`/system/${HOSTILE_VALUE}`]);
  });

  it('shows hostile verdicts, evidence, apps, partitions and diffs as text', async () => {
    const { page } = opened;
    const card = await readVerdictCard(page, 'cloud-messaging');
    expect(card.summary).toBe(SCRIPT_BREAKOUT);
    expect(await page.locator('[data-feature="cloud-messaging"] h3').first().textContent()).toBe(`<b>${HOSTILE_VALUE}</b>`);
    expect(card.oldEvidence).toEqual([`/system/app/${HOSTILE_VALUE}.apk!/res/xml/${SCRIPT_BREAKOUT}.xml:3`]);
    expect(await page.getByTestId('evidence-detail').first().textContent()).toBe(`title ${HOSTILE_VALUE}`);
    expect(await readCell(page, 'claim-summary')).toBe(HOSTILE_VALUE);
    expect(await page.locator('[data-testid="app-row"][data-package="com.hostile"] td').nth(1).textContent()).toBe(HOSTILE_VALUE);
    expect(await page.getByTestId('partition-fs').first().textContent()).toBe('<b>ext4</b>');
    await showView(page, 'files');
    await page.getByTestId('text-diff').locator('summary').click();
    expect(await page.getByTestId('text-diff-patch').locator('[data-kind="removed"]').textContent()).toBe(`-${SCRIPT_BREAKOUT}\n`);
    expect(await page.getByTestId('text-diff-patch').locator('[data-kind="added"]').textContent()).toBe(`+${HOSTILE_VALUE}\n`);
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
    const added = Array.from({ length: ADDED_COUNT }, (_, index) => ({ path: `/system/app/App${String(index).padStart(4, '0')}/base.apk`, oldSize: null, newSize: index, oldSha256: null, newSha256: null }));
    opened = await openReport(handmadeResult({ files: { added, removed: [], changed: [], unchanged: [] } }), 'long');
  });

  afterAll(async () => {
    await opened?.page.close();
  });

  it('shows the first 500 paths of a long list, and all of them on request', async () => {
    await showView(opened.page, 'files');
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

describe('static HTML report: device nodes, FIFOs and sockets', () => {
  // A real comparison: the special ext4 image and a copy debugfs changed (/dev/null renumbered
  // 1:3 → 1:5, the socket removed, a FIFO added); debugfs read the numbers (test/unit/fileTypes.test.ts).
  let opened: OpenedReport;
  let pairDir: string;

  beforeAll(async () => {
    pairDir = await mkdtemp(join(tmpdir(), 'otalens-report-special-'));
    const { oldImage, newImage } = specialImagePair(pairDir);
    opened = await openReport(await comparePackages(oldImage, newImage), 'special');
  });

  afterAll(async () => {
    await opened?.page.close();
    if (pairDir) await rm(pairDir, { recursive: true, force: true });
  });

  it('lists them by what they are, and the Files view says so for changed and unchanged ones', async () => {
    const { page } = opened;
    await showView(page, 'files');
    const sizes = async (list: string): Promise<[string | null, string | null][]> =>
      page.getByTestId(list).getByTestId('file-row').evaluateAll((rows) => rows.map((row): [string | null, string | null] => [row.querySelector('[data-testid="file-path"]')?.textContent ?? null, row.querySelector('[data-testid="file-size"]')?.textContent ?? null]));
    expect(await sizes('files-changed')).toEqual([['/system/dev/null', 'character device 1:3 → character device 1:5']]);
    expect(await sizes('files-added')).toEqual([['/system/dev/newpipe', 'FIFO (named pipe)']]);
    expect(await sizes('files-removed')).toEqual([['/system/dev/socket', 'socket']]);

    const row = (path: string) => page.locator(`[data-testid="tree-row"][data-path="${path}"]`);
    await row('/system/dev/null').click();
    const detail = page.locator('[data-testid="file-detail"][data-path="/system/dev/null"]');
    expect(await detail.getByTestId('file-kind-old').textContent()).toBe('character device 1:3');
    expect(await detail.getByTestId('file-kind-new').textContent()).toBe('character device 1:5');
    await detail.getByTestId('file-no-content').waitFor();

    await page.getByTestId('tree-show-unchanged').locator('input').check();
    await row('/system/dev/big').click();
    const big = page.locator('[data-testid="file-detail"][data-path="/system/dev/big"]');
    expect(await big.getByTestId('file-kind-new').textContent()).toBe('character device 300:70000');
  });
});
