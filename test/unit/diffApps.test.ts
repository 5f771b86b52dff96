import { describe, expect, it } from 'vitest';
import type { AppModel, DeclaredPermission } from '../../shared/app.js';
import { diffApps } from '../../shared/diffApps.js';
import type { InventoryApp } from '../../shared/inventory.js';

function apk(path: string, packageName: string, sha: string, parts: { asks?: string[]; declares?: DeclaredPermission[]; versionCode?: number } = {}): InventoryApp {
  const app: AppModel = {
    package: packageName,
    versionCode: parts.versionCode ?? 1,
    versionName: null,
    minSdkVersion: null,
    targetSdkVersion: null,
    sharedUserId: null,
    label: null,
    usesPermissions: (parts.asks ?? []).map((name) => ({ name })),
    permissions: parts.declares ?? [],
    application: { debuggable: false, allowBackup: true, persistent: false, usesCleartextTraffic: null, enabled: true, className: null },
    components: [
      {
        type: 'service',
        name: `${packageName}.Sync`,
        exported: true,
        exportedSource: 'inferred',
        enabled: true,
        permission: null,
        intentFilters: [{ actions: ['android.intent.action.SYNC'], categories: [], dataSchemes: [] }],
      },
    ],
    overlay: null,
    preferences: [],
    signers: [],
    signing: { verified: true, testKeys: [], platformSigned: null },
    code: null,
    problems: [],
  };
  return { path, partition: path.split('/')[1] ?? '', sha256: sha.repeat(64), app };
}

describe('diffApps: whole apps for the detail view', () => {
  const framework = (sha: string) =>
    apk('/system/framework/framework-res.apk', 'android', sha, {
      declares: [
        { name: 'android.permission.READ_SMS', protectionLevel: 'dangerous' },
        { name: 'android.permission.INTERNET', protectionLevel: 'normal' },
        { name: 'android.permission.REBOOT', protectionLevel: 'signature|privileged' },
      ],
    });
  // A vendor app that (wrongly) declares READ_SMS again, and a permission of its own.
  const vendor = (sha: string) =>
    apk('/product/app/Agent/Agent.apk', 'com.vendor.agent', sha, {
      declares: [
        { name: 'android.permission.READ_SMS', protectionLevel: 'normal' },
        { name: 'com.vendor.permission.TRACK', protectionLevel: 'dangerous' },
      ],
    });
  const before = [framework('f'), vendor('v'), apk('/system/app/Mms/Mms.apk', 'com.android.mms', 'a', { asks: ['android.permission.READ_SMS'] }), apk('/system/app/Old/Old.apk', 'com.example.old', 'o', { asks: ['android.permission.REBOOT'] })];
  const after = [
    framework('f'),
    vendor('v'),
    apk('/system/app/Mms/Mms.apk', 'com.android.mms', 'b', { asks: ['android.permission.READ_SMS', 'com.vendor.permission.TRACK'], versionCode: 2 }),
    apk('/system/app/New/New.apk', 'com.example.new', 'n', { asks: ['android.permission.INTERNET', 'com.example.undeclared'] }),
  ];
  const diff = diffApps(before, after);

  it('keeps each listed app whole on the side it exists, and no app the builds share byte for byte', () => {
    expect(diff.profiles.old.map((profile) => profile.package)).toEqual(['com.android.mms', 'com.example.old']);
    expect(diff.profiles.new.map((profile) => profile.package)).toEqual(['com.android.mms', 'com.example.new']);
    const mms = diff.profiles.new[0];
    expect(mms).toMatchObject({ path: '/system/app/Mms/Mms.apk', partition: 'system', versionCode: 2, usesPermissions: [{ name: 'android.permission.READ_SMS' }, { name: 'com.vendor.permission.TRACK' }] });
    // Intent filters are left out of reports.
    expect(mms?.components).toEqual([{ type: 'service', name: 'com.android.mms.Sync', exported: true, enabled: true, permission: null }]);
  });

  it('names how each build declares what its listed apps ask for, the platform’s declaration first', () => {
    expect(diff.permissionDeclarations.old).toEqual([
      { name: 'android.permission.READ_SMS', protectionLevel: 'dangerous', declaredBy: 'android' },
      { name: 'android.permission.REBOOT', protectionLevel: 'signature|privileged', declaredBy: 'android' },
    ]);
    expect(diff.permissionDeclarations.new).toEqual([
      { name: 'android.permission.INTERNET', protectionLevel: 'normal', declaredBy: 'android' },
      { name: 'android.permission.READ_SMS', protectionLevel: 'dangerous', declaredBy: 'android' },
      { name: 'com.vendor.permission.TRACK', protectionLevel: 'dangerous', declaredBy: 'com.vendor.agent' },
    ]);
  });
});
