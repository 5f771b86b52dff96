// The code layer compared: per app SDKs and servers added and removed, not compared when one
// build's code could not be read; the findings and counts the summaries give; code facts as
// supporting verdict evidence that never decides a default.
import { describe, expect, it } from 'vitest';
import type { AppCode, AppModel, HostFound, SdkFound } from '../../shared/app.js';
import { codeChange, describeCode, summariseCode } from '../../shared/codeDiff.js';
import { diffApps } from '../../shared/diffApps.js';
import type { InventoryApp } from '../../shared/inventory.js';
import { featureVerdicts } from '../../shared/verdicts.js';

const sdk = (id: string, category: SdkFound['category'], className: string): SdkFound => ({ id, name: id, category, evidence: { className, dexFile: 'classes.dex' }, classCount: 1 });
const host = (name: string): HostFound => ({ host: name, sample: `https://${name}/`, foundIn: 'classes.dex' });
const PUSH = sdk('xiaomi-push', 'push-messaging', 'com.xiaomi.mipush.sdk.MiPushClient');
const UMENG = sdk('umeng-analytics', 'analytics', 'com.umeng.analytics.MobclickAgent');
const ONETRACK = sdk('xiaomi-onetrack', 'vendor-telemetry', 'com.xiaomi.onetrack.OneTrack');

function code(parts: Partial<AppCode>): AppCode {
  return { status: 'read', dexFiles: ['classes.dex'], classCount: 3, sdks: [], hosts: [], nonEndpoints: [], ...parts };
}

function app(packageName: string, sha: string, appCode: AppCode | null, path = `/system/app/${packageName}/x.apk`): InventoryApp {
  const model: AppModel = {
    package: packageName, versionCode: 1, versionName: '1', minSdkVersion: 19, targetSdkVersion: 19, sharedUserId: null, label: null,
    usesPermissions: [], permissions: [], application: { debuggable: false, allowBackup: true, persistent: false, usesCleartextTraffic: null, enabled: true, className: null },
    components: [], overlay: null, preferences: [], signers: [], signing: { verified: true, testKeys: [], platformSigned: null }, code: appCode, problems: [],
  };
  return { path, partition: 'system', sha256: sha.repeat(64), app: model };
}

describe('codeChange', () => {
  it('lists SDKs and servers added and removed', () => {
    const change = codeChange(code({ sdks: [PUSH], hosts: [host('a.example-vendor.cn'), host('b.example-vendor.cn')] }), code({ sdks: [PUSH, UMENG], hosts: [host('a.example-vendor.cn'), host('alog.umeng.com')] }));
    expect(change).toEqual({ sdks: { added: [UMENG], removed: [] }, hosts: { added: [host('alog.umeng.com')], removed: [host('b.example-vendor.cn')] } });
  });

  it('is undefined when nothing changed or code was not analysed', () => {
    expect(codeChange(code({ sdks: [PUSH] }), code({ sdks: [PUSH] }))).toBeUndefined();
    expect(codeChange(null, code({ sdks: [PUSH] }))).toBeUndefined();
    expect(codeChange(undefined, undefined)).toBeUndefined();
  });

  it('does not compare a build whose code is not in its files: no SDK is "added" for it', () => {
    const change = codeChange(code({ status: 'not-in-files', dexFiles: [], reason: 'code not in this build\'s files' }), code({ sdks: [UMENG] }));
    expect(change?.sdks).toEqual({ added: [], removed: [] });
    expect(change?.status).toEqual({ old: 'not-in-files', new: 'read' });
    expect(change?.notCompared).toBe("SDKs and servers not compared: the app's code is not in the build's files in the old build");
  });
});

describe('diffApps and the findings', () => {
  const before = [app('com.android.mms', 'a', code({ sdks: [PUSH], hosts: [host('a.example-vendor.cn')] })), app('com.example.same', 's', code({ sdks: [UMENG] }))];
  const after = [
    app('com.android.mms', 'b', code({ sdks: [PUSH, UMENG], hosts: [host('a.example-vendor.cn'), host('alog.umeng.com')] })),
    app('com.example.same', 's', code({ sdks: [UMENG] })),
    app('com.example.added', 'n', code({ sdks: [ONETRACK], hosts: [host('tracking.miui.com')] })),
    app('com.example.quiet', 'q', code({ sdks: [PUSH] })),
  ];
  const diff = diffApps(before, after);

  it('puts the code change on the changed app, and its code on each profile', () => {
    expect(diff.changed.map((change) => change.package)).toEqual(['com.android.mms']);
    expect(diff.changed[0]?.code?.sdks.added.map((found) => found.id)).toEqual(['umeng-analytics']);
    expect(diff.profiles.new.find((profile) => profile.package === 'com.example.added')?.code?.sdks).toEqual([ONETRACK]);
  });

  it('lists the apps that gained trackers or servers: changed ones, then new ones that carry them', () => {
    expect(diff.codeFindings?.map((finding) => [finding.app, finding.package, finding.trackersAdded.map((found) => found.id), finding.otherSdksAdded.map((found) => found.id), finding.hostsAdded.map((found) => found.host)])).toEqual([
      ['changed', 'com.android.mms', ['umeng-analytics'], [], ['alog.umeng.com']],
      ['added', 'com.example.added', ['xiaomi-onetrack'], [], ['tracking.miui.com']],
      ['added', 'com.example.quiet', [], ['xiaomi-push'], []],
    ]);
    expect(diff.codeFindings?.[0]?.summary).toBe('com.android.mms now carries the tracker umeng-analytics (analytics) and a server (alog.umeng.com).');
    const summary = summariseCode(diff.codeFindings);
    expect(summary.gainedTrackers.map((finding) => finding.package)).toEqual(['com.android.mms']);
    expect(summary.gainedServers.map((finding) => finding.package)).toEqual(['com.android.mms']);
    expect(summary.newAppsWithTrackers.map((finding) => finding.package)).toEqual(['com.example.added']);
  });

  it('counts an app whose APK is the same but whose code beside it changed as changed', () => {
    const vdexChanged = diffApps([app('com.example.preopted', 'p', code({ sdks: [] }))], [app('com.example.preopted', 'p', code({ sdks: [UMENG] }))]);
    expect(vdexChanged.changed.map((change) => [change.package, change.code?.sdks.added.length])).toEqual([['com.example.preopted', 1]]);
  });

  it('describes an app\'s code in a few words', () => {
    expect(describeCode(code({ sdks: [PUSH, UMENG], hosts: [host('a.cn')] }))).toBe('2 SDKs (1 tracker), 1 server');
    expect(describeCode(code({ status: 'not-in-files', dexFiles: [] }))).toBe("SDKs unknown, 0 servers; code not in the build's files");
    expect(describeCode(code({ status: 'unreadable', dexFiles: [] }))).toBe('SDKs unknown, 0 servers; code unreadable');
    expect(describeCode(code({ status: 'no-code', dexFiles: [] }))).toBe('0 SDKs, 0 servers; the app has no code');
  });
});

describe('code facts in the verdicts', () => {
  const withPush = (sha: string) => app('com.android.mms', sha, code({ sdks: [PUSH] }), '/system/priv-app/Mms/Mms.apk');
  const view = (apps: InventoryApp[]) => ({ apps, properties: [], settings: [], permissionGrants: [] });

  it('cite the messaging app\'s push SDK as cloud-messaging evidence, always undecided', () => {
    const verdicts = featureVerdicts(view([withPush('a')]), view([withPush('b')]));
    const cloud = verdicts.find((verdict) => verdict.id === 'cloud-messaging');
    expect(cloud?.new.evidence).toEqual([
      {
        path: '/system/priv-app/Mms/Mms.apk!/classes.dex',
        subject: 'com.android.mms xiaomi-push',
        detail: 'com.android.mms carries xiaomi-push (push messaging SDK, class com.xiaomi.mipush.sdk.MiPushClient); its code shows what the app can do, not whether it is on by default',
        state: 'unknown',
      },
    ]);
    // A code fact alone never makes a default on or opt-in: the feature is undecidable, not on.
    expect(cloud?.new.state).toBe('unknown');
  });

  it('cite a vendor telemetry SDK for usage statistics, and a DEX outside the APK by its device path', () => {
    const onetrack = app('android', 'f', code({ sdks: [{ ...ONETRACK, evidence: { className: ONETRACK.evidence.className, dexFile: '/system/framework/oem-services.jar!/classes.dex' } }] }), '/system/framework/framework-res.apk');
    const usage = featureVerdicts(view([]), view([onetrack])).find((verdict) => verdict.id === 'usage-statistics');
    expect(usage?.new.evidence.map((evidence) => [evidence.path, evidence.state])).toEqual([['/system/framework/oem-services.jar!/classes.dex', 'unknown']]);
    expect(usage?.new.state).toBe('unknown');
  });
});
