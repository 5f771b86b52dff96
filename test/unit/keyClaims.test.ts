// Claims about any key of the new build (pref:, setting:, prop:, flag:), checked against the
// carousel scenario's ground truth: the facts its builds were made from (builds.json), never OTA
// Lens's own output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkKeyClaim, parseClaims, parseKeyClaim, valueMatches, type KeyClaim } from '../../shared/keyClaims.js';
import { FEATURES } from '../../shared/features.js';
import type { ComparisonResult } from '../../shared/model.js';
import { ClaimSyntaxError } from '../../shared/verdicts.js';
import { comparePackages } from '../../electron/engine/compare.js';
import { REPO_ROOT } from '../support/oracles.js';

const SCENARIOS = join(REPO_ROOT, 'test/fixtures/scenarios');
const OLD = join(SCENARIOS, 'ab-oplus/carousel-off-4.10.1.zip');
const NEW = join(SCENARIOS, 'ab-oplus/carousel-on-4.10.2.zip');

interface Facts {
  apps: { package: string; path: string; preferences?: { key: string; defaultValue: string | null; file: string }[] }[];
  settings: { name: string; value: string | null; source: string }[];
  properties: { name: string; value: string; layer: string; layers: { layer: string; line: number }[] }[];
  flags: { name: string; namespace: string; state?: string; value?: string; source: string; file: string; line?: number }[];
}

const { builds } = JSON.parse(readFileSync(join(SCENARIOS, 'builds.json'), 'utf8')) as { builds: Record<string, { layouts: Record<string, { facts: Facts }> }> };
const facts = builds['carousel-on-4.10.2']?.layouts['oplus']?.facts as Facts;

/** The other boolean word, to make a claim the facts contradict. */
const opposite = (value: string): string => ({ true: 'off', false: 'on', '1': 'off', '0': 'on', enabled: 'disabled', disabled: 'enabled' })[value] ?? `not-${value}`;

let result: ComparisonResult;
beforeAll(async () => {
  result = await comparePackages(OLD, NEW, { parallel: false });
}, 120_000);

/** Checks a claim against the comparison's keys; the verdict and the values found. */
const check = (text: string) => checkKeyClaim(parseKeyClaim(text), result.claimableKeys);

describe('claims about one key, against the ground truth', () => {
  it('pref: each preference of the SMS app, confirmed as it is and contradicted the other way', () => {
    const mms = facts.apps.find((app) => app.package === 'com.android.mms');
    expect(mms?.preferences?.length).toBeGreaterThan(2);
    for (const preference of mms?.preferences ?? []) {
      const value = preference.defaultValue ?? '';
      const confirmed = check(`pref:com.android.mms/${preference.key}=${value === 'true' ? 'on' : 'off'}`);
      expect(confirmed.verdict, preference.key).toBe('confirmed');
      expect(confirmed.found).toEqual([value]);
      expect(confirmed.evidence.map((evidence) => evidence.path)).toEqual([`${mms?.path}!/${preference.file}`]);
      expect(check(`pref:${preference.key}=${opposite(value)}`).verdict).toBe('contradicted');
    }
    expect(check('pref:pref_key_no_such_thing=off')).toMatchObject({ verdict: 'cannot tell', found: [] });
    expect(check('pref:pref_key_no_such_thing=absent').verdict).toBe('confirmed');
    expect(check('pref:com.example.other/pref_key_enable_mx=on').verdict).toBe('cannot tell');
  });

  it('setting: the defaults after overlays, by value, with the APK that sets them', () => {
    for (const setting of facts.settings) {
      const confirmed = check(`setting:${setting.name}=${setting.value}`);
      expect(confirmed.verdict, setting.name).toBe('confirmed');
      expect(confirmed.evidence[0]?.path).toBe(`${setting.source}!/resources.arsc`);
      expect(check(`setting:${setting.name}=${opposite(setting.value ?? '')}`).verdict, setting.name).toBe('contradicted');
    }
    expect(check('setting:def_location_providers_allowed=gps').summary).toBe(
      `Contradicted: the claim says setting def_location_providers_allowed is gps, but in the new build it is ${facts.settings.find((s) => s.name === 'def_location_providers_allowed')?.value} (${facts.settings.find((s) => s.name === 'def_location_providers_allowed')?.source}!/resources.arsc).`,
    );
  });

  it('prop: the effective value, with the file and line that set it', () => {
    const carousel = facts.properties.find((property) => property.name === 'persist.sys.lockscreen_carousel');
    if (carousel === undefined) throw new Error('no carousel property in the facts');
    const confirmed = check(`prop:persist.sys.lockscreen_carousel=${carousel.value}`);
    expect(confirmed).toMatchObject({ verdict: 'confirmed', found: [carousel.value] });
    expect(confirmed.evidence).toEqual([expect.objectContaining({ path: carousel.layer, line: carousel.layers.at(-1)?.line })]);
    expect(check('prop:persist.sys.lockscreen_carousel=on').verdict).toBe(carousel.value === '1' ? 'confirmed' : 'contradicted');
    const model = facts.properties.find((property) => property.name === 'ro.product.model');
    expect(check(`prop:ro.product.model=${model?.value}`).verdict).toBe('confirmed');
    expect(check('prop:ro.product.model=Pixel').verdict).toBe('contradicted');
  });

  it('flag: aconfig flags by state and device-config defaults by value', () => {
    for (const flag of facts.flags) {
      const address = flag.source === 'device-config' ? `${flag.namespace}/${flag.name}` : flag.name;
      const actual = flag.state ?? flag.value ?? '';
      const confirmed = check(`flag:${address}=${actual}`);
      expect(confirmed.verdict, address).toBe('confirmed');
      expect(confirmed.evidence).toEqual([expect.objectContaining({ path: flag.file, ...(flag.line === undefined ? {} : { line: flag.line }) })]);
      expect(check(`flag:${address}=${opposite(actual)}`).verdict, address).toBe('contradicted');
    }
    expect(check('flag:com.miui.carousel.show_on_lockscreen=on').verdict).toBe('confirmed');
    expect(check('flag:com.miui.carousel.nothing=enabled').verdict).toBe('cannot tell');
  });

  it('in the comparison result, with the evidence files for the report', async () => {
    const claims = parseClaims(['flag:com.miui.carousel.show_on_lockscreen=disabled', 'prop:persist.sys.lockscreen_carousel=1', 'cloud-messaging=opt-in'], FEATURES);
    const judged = await comparePackages(OLD, NEW, { parallel: false, claims: claims.features, keyClaims: claims.keys });
    expect(judged.keyClaims?.map((claim) => [claim.text, claim.verdict])).toEqual([
      ['flag:com.miui.carousel.show_on_lockscreen=disabled', 'contradicted'],
      ['prop:persist.sys.lockscreen_carousel=1', 'confirmed'],
    ]);
    expect(judged.claims?.map((claim) => claim.feature)).toEqual(['cloud-messaging']);
    expect(Object.keys(judged.evidenceFiles.new)).toContain('/system/build.prop');
  });
});

describe('the claim syntax', () => {
  it.each([
    ['pref:key', /a key claim looks like KIND:KEY=VALUE/],
    ['registry:x=1', /unknown kind of key "registry"/],
    ['prop:ro.x=', /says no value/],
    ['pref:/key=on', /names no key/],
  ])('%s is refused with a reason', (text, reason) => {
    expect(() => parseKeyClaim(text)).toThrow(ClaimSyntaxError);
    expect(() => parseKeyClaim(text)).toThrow(reason);
  });

  it('reads a package before the last slash of a preference, and keeps slashes in flag addresses', () => {
    expect(parseKeyClaim('pref:com.android.mms/pref_key_enable_mx=off')).toEqual<KeyClaim>({ kind: 'pref', key: 'pref_key_enable_mx', package: 'com.android.mms', value: 'off' });
    expect(parseKeyClaim('flag:miui_carousel/refresh_hours=24')).toEqual<KeyClaim>({ kind: 'flag', key: 'miui_carousel/refresh_hours', package: null, value: '24' });
  });

  it('compares booleans by meaning and other values as text', () => {
    expect([valueMatches('off', 'false'), valueMatches('off', '0'), valueMatches('disabled', 'false'), valueMatches('on', 'enabled')]).toEqual([true, true, true, true]);
    expect([valueMatches('on', 'false'), valueMatches('gps', 'network'), valueMatches('Network', 'network'), valueMatches('on', null)]).toEqual([false, false, true, null]);
  });
});
