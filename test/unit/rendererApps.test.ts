import { describe, expect, it } from 'vitest';
import type { AppDiff, AppProfile } from '../../shared/appDiff.js';
import type { SecurityDiff, SecurityFinding } from '../../shared/security.js';
import { appRows, filterAppRows, sortAppRows, type AppSortKey } from '../../renderer/src/report/apps/appRows.js';
import { pairItems } from '../../renderer/src/report/apps/pairItems.js';
import { isDangerousLevel, protectionLevels } from '../../renderer/src/report/apps/platformPermissions.js';
import { inspectorViews, parseRoute, routeHash } from '../../renderer/src/report/views/inspectorViews.js';
import { appDiffOf, handmadeResult } from '../e2e/handmadeResult.js';

describe('apps table rows', () => {
  const rows = appRows(handmadeResult().apps);
  const row = (name: string) => {
    const found = rows.find((candidate) => candidate.package === name);
    if (found === undefined) throw new Error(`no row for ${name}`);
    return found;
  };

  it('has one row per added, removed and changed app', () => {
    expect(rows.map((entry) => [entry.kind, entry.package])).toEqual([
      ['added', 'com.example.weather'],
      ['removed', 'com.example.legacy'],
      ['changed', 'com.android.mms'],
      ['changed', 'com.example.rebuilt'],
    ]);
  });

  it('counts every permission an added app brings and a removed app took, dangerous ones as the build or Android’s manifest declares them', () => {
    // ACCESS_FINE_LOCATION is `dangerous` in the platform manifest (this build's framework was not
    // read); READ_HEALTH is declared dangerous by an app of the build; INTERNET is `normal`.
    expect(row('com.example.weather')).toMatchObject({
      permissionsAdded: ['android.permission.ACCESS_FINE_LOCATION', 'android.permission.INTERNET', 'com.android.mms.permission.CLOUD', 'com.example.permission.READ_HEALTH'],
      permissionsRemoved: [],
      dangerousAdded: 2,
      version: { old: null, new: '1.3 (3)' },
    });
    expect(row('com.example.legacy')).toMatchObject({ permissionsAdded: [], permissionsRemoved: ['android.permission.READ_PHONE_STATE'], version: { old: 'no version', new: null } });
  });

  it('sums up a changed app: versions, permissions it now asks for and drops, and what else changed', () => {
    expect(row('com.android.mms')).toMatchObject({
      version: { old: '4.4.2-1 (19)', new: '4.4.2-2 (20)' },
      permissionsAdded: ['android.permission.READ_CONTACTS'],
      permissionsRemoved: ['android.permission.RECEIVE_MMS'],
      dangerousAdded: 1,
      otherChanges: ['moved', 'signer', 'public test key', '1 declared permission', '2 components', '1 preference default'],
      onlyRebuilt: false,
    });
    expect(row('com.example.rebuilt')).toMatchObject({ onlyRebuilt: true, otherChanges: [] });
  });

  it('filters by kind, by every typed word, and leaves out apps only rebuilt unless asked', () => {
    const names = (query: string, kind: 'all' | 'added' | 'removed' | 'changed' = 'all', includeRebuilt = false) =>
      filterAppRows(rows, { query, kind, includeRebuilt }).map((entry) => entry.package);
    expect(names('')).toEqual(['com.example.weather', 'com.example.legacy', 'com.android.mms']);
    expect(names('', 'all', true)).toHaveLength(4);
    expect(names('', 'changed', true)).toEqual(['com.android.mms', 'com.example.rebuilt']);
    expect(names('fine_location')).toEqual(['com.example.weather']);
    expect(names('READ_PHONE_STATE')).toEqual(['com.example.legacy']);
    expect(names('mms cloudsync')).toEqual(['com.android.mms']);
    expect(names('legacy weather')).toEqual([]);
    expect(names('rebuilt')).toEqual([]);
    expect(names('rebuilt', 'all', true)).toEqual(['com.example.rebuilt']);
  });
});

describe('sortAppRows', () => {
  const profile = (name: string, label: string | null, partition: string, versionCode: number | null, permissions: number): AppProfile => ({
    package: name,
    label,
    path: `/${partition}/app/${name}.apk`,
    partition,
    versionCode,
    versionName: null,
    minSdkVersion: null,
    targetSdkVersion: null,
    sharedUserId: null,
    usesPermissions: Array.from({ length: permissions }, (_, index) => ({ name: `p${index}` })),
    permissions: [],
    application: { debuggable: false, allowBackup: true, persistent: false, usesCleartextTraffic: null, enabled: true, className: null },
    components: [],
    signers: [],
    signing: { verified: true, testKeys: [], platformSigned: null },
    preferences: [],
  });
  const profiles = [profile('com.b', 'Zeta', 'system', 10, 2), profile('com.a', null, 'vendor', 9, 12), profile('com.c', 'alpha', 'product', null, 0)];
  const diff: AppDiff = appDiffOf({
    added: profiles.map(({ package: name, label, path, partition, versionCode, versionName }) => ({ package: name, label, path, partition, versionCode, versionName })),
    profiles: { old: [], new: profiles },
  });
  const rows = appRows(diff);

  it('sorts by each column both ways, numbers as numbers, missing values last', () => {
    const names = (key: AppSortKey, ascending: boolean) => sortAppRows(rows, { key, ascending }).map((entry) => entry.package);
    expect(names('package', true)).toEqual(['com.a', 'com.b', 'com.c']);
    expect(names('package', false)).toEqual(['com.c', 'com.b', 'com.a']);
    expect(names('label', true)).toEqual(['com.c', 'com.b', 'com.a']);
    expect(names('label', false)).toEqual(['com.b', 'com.c', 'com.a']);
    expect(names('partition', true)).toEqual(['com.c', 'com.b', 'com.a']);
    expect(names('version', true)).toEqual(['com.a', 'com.b', 'com.c']);
    expect(names('version', false)).toEqual(['com.b', 'com.a', 'com.c']);
    // 12 permissions sort after 2 as a number would, not before it as text does.
    expect(names('permissions', true)).toEqual(['com.c', 'com.b', 'com.a']);
    expect(names('permissions', false)).toEqual(['com.a', 'com.b', 'com.c']);
  });

  it('groups added, removed and changed apps by the change column', () => {
    const mixed = appRows(handmadeResult().apps);
    expect(sortAppRows(mixed, { key: 'kind', ascending: false }).map((entry) => entry.kind)).toEqual(['changed', 'changed', 'removed', 'added']);
  });
});

describe('protectionLevels', () => {
  it('takes the build’s own declaration first, Android’s list of dangerous platform permissions second', () => {
    const levels = protectionLevels([
      { name: 'android.permission.READ_SMS', protectionLevel: 'signature|privileged', declaredBy: 'android' },
      { name: 'com.vendor.permission.TRACK', protectionLevel: 'dangerous|instant', declaredBy: 'com.vendor.agent' },
    ]);
    // A build that redefines a platform permission is believed: it is what the phone enforces.
    expect(levels('android.permission.READ_SMS')).toEqual({ level: 'signature|privileged', declaredBy: 'android' });
    expect(isDangerousLevel(levels('com.vendor.permission.TRACK'))).toBe(true);
    expect(levels('android.permission.CAMERA')).toEqual({ level: 'dangerous', declaredBy: null });
    expect(levels('android.permission.INTERNET')).toBeNull();
  });
});

describe('pairItems', () => {
  const item = (name: string, level: string) => ({ name, level });
  const paired = (old: { name: string; level: string }[] | null, current: { name: string; level: string }[] | null) =>
    pairItems(old, current, (entry) => entry.name, (a, b) => a.level === b.level).map((entry) => [entry.key, entry.status]);

  it('lists additions, removals and changes before what stayed, each group by name', () => {
    expect(paired([item('b', 'x'), item('a', 'x'), item('c', 'x'), item('d', 'x')], [item('d', 'x'), item('c', 'y'), item('e', 'x'), item('a', 'x')])).toEqual([
      ['e', 'added'],
      ['b', 'removed'],
      ['c', 'changed'],
      ['a', 'unchanged'],
      ['d', 'unchanged'],
    ]);
  });

  it('counts a build without the app as an empty list', () => {
    expect(paired(null, [item('a', 'x')])).toEqual([['a', 'added']]);
    expect(paired([item('a', 'x')], null)).toEqual([['a', 'removed']]);
  });
});

describe('inspector views and routes', () => {
  const views = inspectorViews(handmadeResult());

  it('has the summary first, then security, apps, settings and files with their counts; problems only when something was unreadable', () => {
    expect(views.map((view) => [view.id, view.count])).toEqual([
      ['summary', null],
      // This result has no security section: no count.
      ['security', null],
      ['apps', 4],
      // 1 setting, 2 grants, 1 sysconfig entry, 2 init services, 3 properties, 1 flag.
      ['settings', 10],
      ['files', 3],
    ]);
    expect(views[0]?.sections).toEqual(['verdicts', 'check-claim', 'other-defaults', 'builds']);
    const withProblems = inspectorViews(handmadeResult({ problems: { old: [{ path: '/system/app/Bad/Bad.apk', message: 'truncated' }], new: [] } }));
    expect(withProblems.at(-1)).toMatchObject({ id: 'problems', count: 1 });
    expect(inspectorViews(handmadeResult({ features: [], claimableKeys: [] }))[0]?.sections).not.toContain('check-claim');
    // Claims about single keys need no feature.
    expect(inspectorViews(handmadeResult({ features: [] }))[0]?.sections).toContain('check-claim');
    expect(views.find((view) => view.id === 'settings')?.sections).toContain('flags');
  });

  it('counts the security findings worth a look, and leads the summary with an alert when one is serious', () => {
    const finding = (severity: SecurityFinding['severity']): SecurityFinding => ({ kind: 'world-writable', severity, subject: `/system/etc/${severity}`, summary: severity, evidence: [] });
    const security: SecurityDiff = { findings: [finding('serious'), finding('notable'), finding('info')], buildFlags: [], services: [], selinux: { old: null, new: null, ruleChanges: [] }, vbmeta: { old: [], new: [] }, metadataChanges: 3 };
    const withSecurity = inspectorViews(handmadeResult({ security }));
    expect(withSecurity[1]).toMatchObject({ id: 'security', count: 2 });
    expect(withSecurity[0]?.sections[0]).toBe('security-alert');
    const notSerious = inspectorViews(handmadeResult({ security: { ...security, findings: [finding('notable')] } }));
    expect(notSerious[0]?.sections).not.toContain('security-alert');
  });

  it('reads views, an app’s detail and a section’s address, and falls back to the summary', () => {
    expect(parseRoute('#/apps', views)).toEqual({ view: 'apps' });
    expect(parseRoute('#/apps/com.android.mms', views)).toEqual({ view: 'apps', app: 'com.android.mms' });
    expect(parseRoute('#/files/not-a-device-path', views)).toEqual({ view: 'files' });
    expect(parseRoute('#/files/%2Fsystem%2Fapp%2FMms.apk!%2Fres%2Fxml%2Fp.xml', views)).toEqual({ view: 'files', file: '/system/app/Mms.apk!/res/xml/p.xml' });
    // Slashes left unencoded, as a person may type them, read the same.
    expect(parseRoute('#/files//system/build.prop', views)).toEqual({ view: 'files', file: '/system/build.prop' });
    expect(parseRoute('#/settings/extra', views)).toEqual({ view: 'settings' });
    expect(parseRoute('#grants', views)).toEqual({ view: 'settings', section: 'grants' });
    expect(parseRoute('', views)).toEqual({ view: 'summary' });
    expect(parseRoute('#/problems', views)).toEqual({ view: 'summary' });
    expect(parseRoute('#/apps/%E0%A4%A', views)).toEqual({ view: 'apps' });
    expect(parseRoute('#nowhere', views)).toEqual({ view: 'summary' });
  });

  it('writes addresses that read back to the same place', () => {
    for (const route of [{ view: 'apps' as const }, { view: 'apps' as const, app: 'com.example/odd name' }, { view: 'settings' as const, section: 'grants' }, { view: 'files' as const, file: '/system/a b#c?.xml' }]) {
      expect(parseRoute(routeHash(route), views)).toEqual(route);
    }
  });
});
