// Saved inventories: package → saved → compare gives the same bytes as package → compare, whatever
// the compression; the compressed files are what gzip and zstd themselves decode; another schema
// version, a cut file or JSON of something else is refused by name.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCanonicalJson } from '../../shared/canonicalJson.js';
import { parseClaims } from '../../shared/keyClaims.js';
import { SCHEMA_VERSION } from '../../shared/model.js';
import { comparePackages } from '../../electron/engine/compare.js';
import { readFileText } from '../../electron/engine/fileText.js';
import { buildInventory } from '../../electron/engine/inventory/buildInventory.js';
import { loadBuild, savedInventoryEncoding, savedInventoryJson, writeSavedInventory } from '../../electron/engine/inventory/savedInventory.js';
import { loadFeatureRules } from '../../electron/engine/rules/loadFeatureRules.js';
import { expectInputError } from '../support/inputError.js';
import { REPO_ROOT, SAMPLE_NEW, SAMPLE_OLD, toolOutput } from '../support/oracles.js';

const SCENARIOS = join(REPO_ROOT, 'test/fixtures/scenarios');
const PAIRS = [
  { name: 'the sample pair (file OTAs)', old: SAMPLE_OLD, new: SAMPLE_NEW },
  { name: 'the carousel pair (A/B OTAs, EROFS, flags)', old: join(SCENARIOS, 'ab-oplus/carousel-off-4.10.1.zip'), new: join(SCENARIOS, 'ab-oplus/carousel-on-4.10.2.zip') },
  { name: 'the security-weakened pair (file OTAs: updater-script metadata, SELinux CIL)', old: join(SCENARIOS, 'file-ota/policy-4.9.5.zip'), new: join(SCENARIOS, 'file-ota/weakened-4.9.6.zip'), citesPolicy: true },
  { name: 'the tracker-added pair (A/B OTAs, EROFS, the code layer)', old: join(SCENARIOS, 'ab-erofs/code-push-4.9.30.zip'), new: join(SCENARIOS, 'ab-erofs/code-tracker-4.9.31.zip') },
];
const temp = mkdtempSync(join(tmpdir(), 'otalens-saved-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Rules from a file and claims of both kinds: the saved inventories must judge exactly as the packages do. */
let options: Parameters<typeof comparePackages>[2];
beforeAll(async () => {
  const rules = await loadFeatureRules([join(REPO_ROOT, 'test/fixtures/rules/lockscreen-carousel.yaml')]);
  const claims = parseClaims(['cloud-messaging=opt-in', 'lockscreen-carousel=default-on', 'prop:persist.sys.usage_stats=0', 'flag:com.miui.carousel.show_on_lockscreen=enabled'], rules.features);
  options = { parallel: false, features: rules.features, ruleFiles: rules.ruleFiles, claims: claims.features, keyClaims: claims.keys };
});

describe('package → saved inventory → compare', () => {
  it.each(PAIRS)('$name: byte-identical JSON to comparing the packages, saved as .json, .json.gz and .json.zst', async (pair) => {
    const result = await comparePackages(pair.old, pair.new, options);
    // The security findings cite the CIL policy, which only the evidence texts carry.
    if ('citesPolicy' in pair) expect(Object.keys(result.evidenceFiles.new)).toContain('/system/etc/selinux/plat_sepolicy.cil');
    const direct = toCanonicalJson(result);
    for (const suffix of ['json', 'json.gz', 'json.zst']) {
      const saved = { old: join(temp, `old.${suffix}`), new: join(temp, `new.${suffix}`) };
      for (const side of ['old', 'new'] as const) await writeSavedInventory(saved[side], await buildInventory(pair[side], { pool: null }));
      expect(toCanonicalJson(await comparePackages(saved.old, saved.new, options)), suffix).toBe(direct);
      // One saved, one read now: the same again.
      expect(toCanonicalJson(await comparePackages(saved.old, pair.new, options)), `${suffix} + package`).toBe(direct);
    }
  });

  it('writes what gzip and zstd decode to the JSON inventory --json prints', async () => {
    const result = await buildInventory(SAMPLE_NEW, { pool: null });
    const json = savedInventoryJson(result);
    await writeSavedInventory(join(temp, 'inventory.json.gz'), result);
    await writeSavedInventory(join(temp, 'inventory.json.zst'), result);
    expect(toolOutput('gzip', ['-dc', join(temp, 'inventory.json.gz')]).toString('utf8')).toBe(json);
    expect(toolOutput('zstd', ['-dcq', join(temp, 'inventory.json.zst')]).toString('utf8')).toBe(json);
    // The frame states its size, as the zstd CLI's own files do, so readers know it before decoding.
    expect(toolOutput('zstd', ['-lv', join(temp, 'inventory.json.zst')]).toString('utf8')).toContain(`(${Buffer.byteLength(json)} B)`);
    const parsed = JSON.parse(json) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['apps', 'evidenceTexts', 'files', 'flags', 'initServices', 'package', 'permissionGrants', 'problems', 'properties', 'schemaVersion', 'security', 'settings', 'sysconfig', 'texts']);
    expect(Object.keys(parsed['texts'] as object)).toContain('/system/build.prop');
    expect((parsed['texts'] as Record<string, string>)['/system/build.prop']).toBe(toolOutput('unzip', ['-p', SAMPLE_NEW, 'system/build.prop']).toString('utf8'));
  });

  it('is recognised by its content, whatever its name, and the file viewer reads texts from it', async () => {
    const result = await buildInventory(SAMPLE_OLD, { pool: null });
    const renamed = join(temp, 'old-build.bin');
    writeFileSync(renamed, gzipSync(Buffer.from(savedInventoryJson(result))));
    expect(await savedInventoryEncoding(renamed)).toBe('gzip');
    expect(await savedInventoryEncoding(SAMPLE_OLD)).toBeNull();
    expect(await savedInventoryEncoding(REPO_ROOT)).toBeNull();
    expect((await loadBuild(renamed)).inventory).toEqual(JSON.parse(JSON.stringify(result.inventory)));
    expect(await readFileText(renamed, '/system/build.prop')).toEqual({ text: toolOutput('unzip', ['-p', SAMPLE_OLD, 'system/build.prop']).toString('utf8'), decoded: false });
    await expect(readFileText(renamed, '/system/bin/toolbox')).rejects.toThrow(/the saved inventory keeps no text of this file/);
  });
});

describe('what is not a saved inventory of this version', () => {
  const saved = async () => JSON.parse(savedInventoryJson(await buildInventory(SAMPLE_OLD, { pool: null }))) as Record<string, unknown>;

  it('refuses another schema version, naming the file and what to do', async () => {
    const path = join(temp, 'v1.json');
    writeFileSync(path, JSON.stringify({ ...(await saved()), schemaVersion: 1 }));
    const error = await expectInputError(loadBuild(path));
    expect(error.message).toBe(`v1.json: saved inventory: schema version 1; this OTA Lens reads saved inventories of schema version ${SCHEMA_VERSION} (write it again with otalens inventory PKG --json -o FILE)`);
  });

  it('refuses a cut compressed file, JSON that is no inventory, an entry that is not of its kind, and JSON that is not JSON', async () => {
    const gz = gzipSync(Buffer.from(JSON.stringify(await saved())));
    writeFileSync(join(temp, 'cut.json.gz'), gz.subarray(0, gz.length >> 1));
    expect((await expectInputError(loadBuild(join(temp, 'cut.json.gz')))).message).toMatch(/^cut\.json\.gz: /);
    const { apps: _apps, ...withoutApps } = await saved();
    writeFileSync(join(temp, 'partial.json'), JSON.stringify(withoutApps));
    expect((await expectInputError(loadBuild(join(temp, 'partial.json')))).message).toBe('partial.json: saved inventory: incomplete: apps missing or not of the right kind (expected an inventory written by otalens inventory --json)');
    const inventory = await saved();
    for (const [list, entry] of [['apps', 1], ['properties', { name: 5 }], ['apps', { path: '/system/app/X.apk', partition: 'system', app: {} }], ['files', null]] as const) {
      writeFileSync(join(temp, 'entry.json'), JSON.stringify({ ...inventory, [list]: [...(inventory[list] as unknown[]), entry] }));
      const at = (inventory[list] as unknown[]).length;
      expect((await expectInputError(loadBuild(join(temp, 'entry.json')))).message).toBe(`entry.json: saved inventory: ${list}[${at}] is not an entry of the kind otalens inventory writes (expected an inventory written by otalens inventory --json)`);
    }
    writeFileSync(join(temp, 'broken.json'), `{"schemaVersion": ${SCHEMA_VERSION}, "apps": [`);
    expect((await expectInputError(loadBuild(join(temp, 'broken.json')))).message).toMatch(/^broken\.json: saved inventory: not valid JSON \(/);
  });
});
