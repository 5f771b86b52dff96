// The verdict rules, checked against their specification (issue "The answer", part 4) on small
// hand-written inventories.
import { describe, expect, it } from 'vitest';
import type { AppModel, PreferenceDefault } from '../../shared/app.js';
import type { InventoryApp, LayeredProperty, SettingDefault } from '../../shared/inventory.js';
import { FEATURES } from '../../shared/features.js';
import { changeOf, checkClaim, ClaimSyntaxError, evaluateFeature, featureVerdicts, otherDefaultChanges, parseClaim, REACH_NOTE, stateOfValue, type InventoryView } from '../../shared/verdicts.js';
import { appDiffOf } from '../e2e/handmadeResult.js';

const CLOUD = FEATURES.find((feature) => feature.id === 'cloud-messaging');
if (CLOUD === undefined) throw new Error('cloud-messaging is missing from the knowledge base');

function preference(overrides: Partial<PreferenceDefault>): PreferenceDefault {
  return { file: 'res/xml/preferences.xml', key: 'pref_key_enable_mx', type: 'CheckBoxPreference', title: 'Mi Cloud Messaging', summary: null, defaultValue: 'true', defaultSource: 'literal', line: 5, ...overrides };
}

function app(packageName: string, preferences: PreferenceDefault[]): AppModel {
  return {
    package: packageName, versionCode: 1, versionName: '1', minSdkVersion: 19, targetSdkVersion: 19, sharedUserId: null, label: 'Messaging',
    usesPermissions: [], permissions: [], application: { debuggable: false, allowBackup: true, persistent: false, usesCleartextTraffic: null, enabled: true, className: null },
    components: [], overlay: null, preferences, signers: [], signing: { verified: true, testKeys: [], platformSigned: null }, code: null, problems: [],
  };
}

function view(parts: { apps?: InventoryApp[]; properties?: LayeredProperty[]; settings?: SettingDefault[] }): InventoryView {
  return { apps: parts.apps ?? [], properties: parts.properties ?? [], settings: parts.settings ?? [], permissionGrants: [] };
}

const mms = (preferences: PreferenceDefault[]): InventoryApp => ({ path: '/system/priv-app/Mms/Mms.apk', partition: 'system', sha256: 'a'.repeat(64), app: app('com.android.mms', preferences) });

describe('values and changes', () => {
  it('reads boolean-like values, and leaves others undecided', () => {
    expect(['true', 'TRUE', '1', 'on', ' enabled '].map((value) => stateOfValue(value))).toEqual(Array(5).fill('default-on'));
    expect(['false', '0', 'off', 'disabled'].map((value) => stateOfValue(value))).toEqual(Array(4).fill('opt-in'));
    expect([null, '', 'maybe', '2'].map((value) => stateOfValue(value))).toEqual(Array(4).fill('unknown'));
    expect(stateOfValue('gps,network', { kind: 'non-empty' })).toBe('default-on');
    expect(stateOfValue('', { kind: 'non-empty' })).toBe('opt-in');
  });

  it('maps a pair of states to exactly one change', () => {
    expect(changeOf('default-on', 'opt-in')).toBe('now-opt-in');
    expect(changeOf('opt-in', 'default-on')).toBe('now-default-on');
    expect(changeOf('default-on', 'default-on')).toBe('unchanged');
    expect(changeOf('absent', 'absent')).toBe('unchanged');
    expect(changeOf('default-on', 'absent')).toBe('removed');
    expect(changeOf('absent', 'opt-in')).toBe('added');
    expect(changeOf('unknown', 'opt-in')).toBe('unknown');
    expect(changeOf('opt-in', 'unknown')).toBe('unknown');
  });
});

describe('evaluateFeature (cloud messaging)', () => {
  it('finds the preference by key or by title, with its evidence path, line and default source', () => {
    const byTitle = evaluateFeature(CLOUD, view({ apps: [mms([preference({ key: 'renamed_key', defaultValue: 'false', defaultSource: 'resource', defaultResource: '@bool/def_mx_enabled' })])] }));
    expect(byTitle.state).toBe('opt-in');
    expect(byTitle.evidence).toEqual([
      {
        path: '/system/priv-app/Mms/Mms.apk!/res/xml/preferences.xml',
        subject: 'renamed_key',
        line: 5,
        state: 'opt-in',
        detail: 'CheckBoxPreference "renamed_key" titled “Mi Cloud Messaging” in com.android.mms: default false (from @bool/def_mx_enabled)',
      },
    ]);
    const implicit = evaluateFeature(CLOUD, view({ apps: [mms([preference({ defaultValue: 'false', defaultSource: 'implicit' })])] }));
    expect(implicit.evidence[0]?.detail).toContain('default false (no defaultValue: a CheckBoxPreference without one starts unchecked)');
  });

  it('is absent without a matching preference, and ignores other apps’ preferences with the key', () => {
    expect(evaluateFeature(CLOUD, view({})).state).toBe('absent');
    const other: InventoryApp = { ...mms([preference({})]), path: '/system/app/Other.apk', app: app('org.example.other', [preference({ title: 'Something else' })]) };
    expect(evaluateFeature(CLOUD, view({ apps: [other] })).state).toBe('absent');
  });

  it('is on by default when any evidence says so', () => {
    const both = mms([preference({ defaultValue: 'false' }), preference({ key: 'pref_mx_2', defaultValue: 'true' })]);
    expect(evaluateFeature(CLOUD, view({ apps: [both] })).state).toBe('default-on');
  });
});

describe('featureVerdicts', () => {
  it('says now-opt-in in one sentence, with the note on who gets the new default', () => {
    const verdicts = featureVerdicts(view({ apps: [mms([preference({ defaultValue: 'true' })])] }), view({ apps: [mms([preference({ defaultValue: 'false' })])] }));
    const cloud = verdicts.find((verdict) => verdict.id === 'cloud-messaging');
    expect(cloud?.change).toBe('now-opt-in');
    expect(cloud?.summary).toBe('Mi Cloud Messaging was on by default in the old build and is opt-in in the new build.');
    expect(cloud?.reachNote).toBe(REACH_NOTE);
    expect(verdicts.map((verdict) => verdict.id)).toEqual(FEATURES.map((feature) => feature.id));
  });

  it('calls a flip from opt-in to on a regression', () => {
    const verdicts = featureVerdicts(view({ apps: [mms([preference({ defaultValue: 'false' })])] }), view({ apps: [mms([preference({ defaultValue: 'true' })])] }));
    expect(verdicts[0]?.summary).toBe('Mi Cloud Messaging was opt-in in the old build and is on by default in the new build: a regression.');
  });

  it('reads usage statistics from a property, naming the layer and line', () => {
    const property = (value: string): LayeredProperty => ({ name: 'persist.sys.usage_stats', value, layer: '/system/build.prop', layers: [{ layer: '/system/build.prop', value, line: 12 }] });
    const verdicts = featureVerdicts(view({ properties: [property('1')] }), view({ properties: [property('0')] }));
    const usage = verdicts.find((verdict) => verdict.id === 'usage-statistics');
    expect(usage?.change).toBe('now-opt-in');
    expect(usage?.new.evidence[0]).toMatchObject({ path: '/system/build.prop', line: 12, subject: 'persist.sys.usage_stats', state: 'opt-in' });
  });
});

describe('claims', () => {
  const verdicts = featureVerdicts(view({ apps: [mms([preference({ defaultValue: 'true' })])] }), view({ apps: [mms([preference({ defaultValue: 'false' })])] }));

  it('confirms, contradicts, or cannot tell', () => {
    expect(checkClaim(parseClaim('cloud-messaging=opt-in'), verdicts).verdict).toBe('confirmed');
    expect(checkClaim(parseClaim('cloud-messaging=default-on'), verdicts).verdict).toBe('contradicted');
    expect(checkClaim(parseClaim('crash-reporting=absent'), verdicts).verdict).toBe('confirmed');
    const unknown = featureVerdicts(view({}), view({ apps: [{ ...mms([]), app: app('com.miui.analytics', []) }] }));
    expect(checkClaim(parseClaim('usage-statistics=opt-in'), unknown).verdict).toBe('cannot tell');
  });

  it('refuses malformed claims with a readable reason', () => {
    expect(() => parseClaim('cloud-messaging')).toThrow(ClaimSyntaxError);
    expect(() => parseClaim('no-such-feature=opt-in')).toThrow(/unknown feature "no-such-feature"/);
    expect(() => parseClaim('cloud-messaging=sometimes')).toThrow(/unknown state "sometimes"/);
  });
});

describe('otherDefaultChanges', () => {
  it('flags a privacy-sounding boolean flip no verdict covers, and nothing else', () => {
    const change = {
      package: 'com.android.mms', label: null, path: { old: '/system/app/Mms.apk', new: '/system/app/Mms.apk' }, partition: { old: 'system', new: 'system' }, sha256: { old: 'a', new: 'b' },
      usesPermissions: { added: [], removed: [] }, permissions: { added: [], removed: [], changed: [] }, components: { added: [], removed: [], changed: [] },
      preferences: {
        added: [], removed: [],
        changed: [
          { file: 'res/xml/p.xml', key: 'pref_upload_logs', title: 'Upload logs', old: { defaultValue: 'true', defaultSource: 'literal' as const, line: 3 }, new: { defaultValue: 'false', defaultSource: 'literal' as const, line: 3 } },
          { file: 'res/xml/p.xml', key: 'pref_font_size', title: 'Large font', old: { defaultValue: 'true', defaultSource: 'literal' as const, line: 4 }, new: { defaultValue: 'false', defaultSource: 'literal' as const, line: 4 } },
        ],
      },
    };
    const found = otherDefaultChanges({ apps: appDiffOf({ changed: [change] }), settings: { added: [], removed: [], changed: [] }, properties: { added: [], removed: [], changed: [] } }, []);
    expect(found.map((item) => item.name)).toEqual(['pref_upload_logs']);
    expect(found[0]?.evidence.new).toMatchObject({ path: '/system/app/Mms.apk!/res/xml/p.xml', line: 3, state: 'opt-in' });
  });
});
