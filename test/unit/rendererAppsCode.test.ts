// The apps table's code filter: "gained a tracker" and "new server" rows, from diffApps' findings.
import { describe, expect, it } from 'vitest';
import type { AppCode, AppModel, SdkFound } from '../../shared/app.js';
import { diffApps } from '../../shared/diffApps.js';
import type { InventoryApp } from '../../shared/inventory.js';
import { appRows, filterAppRows } from '../../renderer/src/report/apps/appRows.js';

const UMENG: SdkFound = { id: 'umeng-analytics', name: 'Umeng Analytics', category: 'analytics', evidence: { className: 'com.umeng.analytics.MobclickAgent', dexFile: 'classes.dex' }, classCount: 1 };

function app(packageName: string, sha: string, code: Partial<AppCode>): InventoryApp {
  const model: AppModel = {
    package: packageName, versionCode: 1, versionName: '1', minSdkVersion: 19, targetSdkVersion: 19, sharedUserId: null, label: null,
    usesPermissions: [], permissions: [], application: { debuggable: false, allowBackup: true, persistent: false, usesCleartextTraffic: null, enabled: true, className: null },
    components: [], overlay: null, preferences: [], signers: [], signing: { verified: true, testKeys: [], platformSigned: null },
    code: { status: 'read', dexFiles: ['classes.dex'], classCount: 1, sdks: [], hosts: [], nonEndpoints: [], ...code }, problems: [],
  };
  return { path: `/system/app/${packageName}.apk`, partition: 'system', sha256: sha.repeat(64), app: model };
}

describe('apps table rows and the code filter', () => {
  const diff = diffApps(
    [app('com.a.tracker', '1', {}), app('com.b.server', '2', {}), app('com.c.other', '3', {})],
    [app('com.a.tracker', '4', { sdks: [UMENG] }), app('com.b.server', '5', { hosts: [{ host: 'new.example-vendor.cn', sample: 'https://new.example-vendor.cn/', foundIn: 'classes.dex' }] }), app('com.c.other', '6', { classCount: 2 })],
  );
  const rows = appRows(diff);

  it('marks what the new build brings each app, and names it among the other changes', () => {
    const byPackage = new Map(rows.map((row) => [row.package, row]));
    expect([...byPackage.values()].map((row) => [row.package, row.gainedTracker, row.newServer])).toEqual([
      ['com.a.tracker', true, false],
      ['com.b.server', false, true],
      ['com.c.other', false, false],
    ]);
    expect(byPackage.get('com.a.tracker')?.otherChanges).toEqual(['1 SDK']);
    expect(byPackage.get('com.b.server')?.otherChanges).toEqual(['1 server']);
    expect(byPackage.get('com.c.other')?.onlyRebuilt).toBe(true);
  });

  it('filters by gained a tracker, by new server, and finds an app by its SDK or server', () => {
    const shown = (code: 'all' | 'tracker' | 'server', query = '') => filterAppRows(rows, { query, kind: 'all', includeRebuilt: true, code }).map((row) => row.package);
    expect(shown('tracker')).toEqual(['com.a.tracker']);
    expect(shown('server')).toEqual(['com.b.server']);
    expect(shown('all')).toEqual(['com.a.tracker', 'com.b.server', 'com.c.other']);
    expect(shown('all', 'umeng')).toEqual(['com.a.tracker']);
    expect(shown('all', 'new.example-vendor')).toEqual(['com.b.server']);
  });
});
