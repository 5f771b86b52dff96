// Feature rules as data: the format's validator against its JSON Schema (checked by ajv), each kind
// of malformed file giving one error that names the file, the rule and the field, and a rules file
// finding, in a real package, a feature the built-in rules do not know.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { AppModel, SdkFound } from '../../shared/app.js';
import { FeatureRulesError, mergeFeatureRules, parseFeatureRules } from '../../shared/featureRules.js';
import { BUILTIN_FEATURE_RULES, FEATURES } from '../../shared/features.js';
import type { InventoryApp } from '../../shared/inventory.js';
import { evaluateFeature } from '../../shared/verdicts.js';
import { comparePackages } from '../../electron/engine/compare.js';
import { loadFeatureRules, readFeatureRulesFile } from '../../electron/engine/rules/loadFeatureRules.js';
import { REPO_ROOT } from '../support/oracles.js';

const RULES = join(REPO_ROOT, 'test/fixtures/rules');
const SCENARIOS = join(REPO_ROOT, 'test/fixtures/scenarios');
const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/feature-rules.schema.json'), 'utf8')) as object;
// strictRequired is off: a `required` inside anyOf names properties declared beside it, which is standard JSON Schema.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const schemaAccepts = ajv.compile(schema);
const temp = mkdtempSync(join(tmpdir(), 'otalens-rules-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const carousel = (): Record<string, unknown> => parseYaml(readFileSync(join(RULES, 'lockscreen-carousel.yaml'), 'utf8')) as Record<string, unknown>;

describe('the rules format', () => {
  it('the built-in knowledge base is a valid rules document of the same format', () => {
    expect(schemaAccepts(BUILTIN_FEATURE_RULES), JSON.stringify(schemaAccepts.errors)).toBe(true);
    expect(parseFeatureRules(JSON.parse(JSON.stringify(BUILTIN_FEATURE_RULES)), 'built-in')).toEqual(FEATURES);
  });

  it('reads the YAML and JSON example files, which the schema accepts too', async () => {
    for (const file of ['lockscreen-carousel.yaml', 'usage-statistics-override.json']) {
      const text = readFileSync(join(RULES, file), 'utf8');
      expect(schemaAccepts(file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)), file).toBe(true);
      const set = await readFeatureRulesFile(join(RULES, file), file);
      expect(set.features.length).toBe(1);
    }
    const set = await readFeatureRulesFile(join(RULES, 'lockscreen-carousel.yaml'));
    expect(set.features[0]?.matchers.map((matcher) => matcher.kind)).toEqual(['property', 'flag', 'code-sdk']);
  });

  it('overrides a built-in feature in place and adds a new one after the others', async () => {
    const { features, ruleFiles } = await loadFeatureRules([join(RULES, 'usage-statistics-override.json'), join(RULES, 'lockscreen-carousel.yaml')]);
    expect(ruleFiles).toEqual(['usage-statistics-override.json', 'lockscreen-carousel.yaml']);
    expect(features.map((feature) => feature.id)).toEqual([...FEATURES.map((feature) => feature.id), 'lockscreen-carousel']);
    expect(features.find((feature) => feature.id === 'usage-statistics')?.title).toBe('Usage statistics upload (property only)');
    expect(mergeFeatureRules(FEATURES, [])).toEqual(FEATURES);
  });
});

/** One fault each: the document, where the error must point, and whether JSON Schema can say it too. */
interface Malformed {
  name: string;
  change: (document: Record<string, unknown>) => unknown;
  error: RegExp;
  schemaCatches: boolean;
}

const rule = (document: Record<string, unknown>): Record<string, unknown> => (document['features'] as Record<string, unknown>[])[0] as Record<string, unknown>;
const matcher = (document: Record<string, unknown>, index = 0): Record<string, unknown> => (rule(document)['matchers'] as Record<string, unknown>[])[index] as Record<string, unknown>;
const HERE = 'rules.yaml: rule "lockscreen-carousel" \\(features\\[0\\]\\)';

const MALFORMED: Malformed[] = [
  { name: 'no format version', change: (d) => ({ features: d['features'] }), error: /^rules\.yaml: the field "otalensFeatureRules" is missing$/, schemaCatches: true },
  { name: 'another format version', change: (d) => ({ ...d, otalensFeatureRules: 2 }), error: /^rules\.yaml: otalensFeatureRules: this OTA Lens reads feature rules of format version 1, got 2$/, schemaCatches: true },
  { name: 'features not a list', change: (d) => ({ ...d, features: { id: 'x' } }), error: /^rules\.yaml: features: expected a list of rules, got an object$/, schemaCatches: true },
  { name: 'an unknown top-level field', change: (d) => ({ ...d, feature: [] }), error: /^rules\.yaml: unknown field "feature" \(allowed: otalensFeatureRules, features\)$/, schemaCatches: true },
  { name: 'a rule without an id', change: (d) => { delete rule(d)['id']; return d; }, error: /^rules\.yaml: rule features\[0\]: the field "id" is missing$/, schemaCatches: true },
  { name: 'an id that is no id', change: (d) => { rule(d)['id'] = 'Lock Screen'; return d; }, error: /^rules\.yaml: rule "Lock Screen" \(features\[0\]\): id: an id is lower-case letters/, schemaCatches: true },
  { name: 'a misspelt field', change: (d) => { rule(d)['tittle'] = 'x'; return d; }, error: new RegExp(`^${HERE}: unknown field "tittle"`), schemaCatches: true },
  { name: 'an empty title', change: (d) => { rule(d)['title'] = '  '; return d; }, error: new RegExp(`^${HERE}: title: expected a non-empty string, got "  "$`), schemaCatches: true },
  { name: 'no sources', change: (d) => { rule(d)['sources'] = []; return d; }, error: new RegExp(`^${HERE}: sources: expected at least one entry$`), schemaCatches: true },
  { name: 'no matchers', change: (d) => { rule(d)['matchers'] = []; return d; }, error: new RegExp(`^${HERE}: matchers: expected at least one matcher`), schemaCatches: true },
  { name: 'an unknown matcher kind', change: (d) => { matcher(d)['kind'] = 'registry'; return d; }, error: new RegExp(`^${HERE}: matchers\\[0\\]\\.kind: expected one of preference, setting, property, flag, app, permission-grant, code-sdk, got "registry"$`), schemaCatches: true },
  { name: 'a matcher without what it needs', change: (d) => { delete matcher(d)['names']; return d; }, error: new RegExp(`^${HERE}: matchers\\[0\\]: the field "names" is missing$`), schemaCatches: true },
  { name: 'a field of another kind of matcher', change: (d) => { matcher(d, 1)['titles'] = ['x']; return d; }, error: new RegExp(`^${HERE}: matchers\\[1\\]: unknown field "titles" \\(allowed: kind, names, namespaces, enabledMeans\\)$`), schemaCatches: true },
  { name: 'a pattern that is no regular expression', change: (d) => { (matcher(d)['names'] as string[]).push('persist.(sys'); return d; }, error: new RegExp(`^${HERE}: matchers\\[0\\]\\.names\\[1\\]: "persist\\.\\(sys" is not a valid regular expression`), schemaCatches: false },
  { name: 'names that are not a list', change: (d) => { matcher(d)['names'] = 'persist.sys.x'; return d; }, error: new RegExp(`^${HERE}: matchers\\[0\\]\\.names: expected a list of strings, got "persist\\.sys\\.x"$`), schemaCatches: true },
  { name: 'an unknown value rule', change: (d) => { matcher(d)['values'] = { kind: 'yes-no' }; return d; }, error: new RegExp(`^${HERE}: matchers\\[0\\]\\.values\\.kind: expected one of boolean, values, non-empty, got "yes-no"$`), schemaCatches: true },
  { name: 'a value rule without its lists', change: (d) => { matcher(d)['values'] = { kind: 'values', on: ['1'] }; return d; }, error: new RegExp(`^${HERE}: matchers\\[0\\]\\.values: a rule of kind "values" lists both "on" and "off"$`), schemaCatches: true },
  { name: 'a flag meaning something else', change: (d) => { matcher(d, 1)['enabledMeans'] = 'absent'; return d; }, error: new RegExp(`^${HERE}: matchers\\[1\\]\\.enabledMeans: expected one of default-on, opt-in, got "absent"$`), schemaCatches: true },
  { name: 'code that claims to decide', change: (d) => { matcher(d, 2)['presentMeans'] = 'default-on'; return d; }, error: new RegExp(`^${HERE}: matchers\\[2\\]: a code-sdk matcher only supports a verdict`), schemaCatches: true },
  { name: 'a preference matcher that looks at nothing', change: (d) => { rule(d)['matchers'] = [{ kind: 'preference', packages: ['^com\\.miui\\.'] }]; return d; }, error: new RegExp(`^${HERE}: matchers\\[0\\]: a preference matcher needs "keys" or "titles"`), schemaCatches: true },
  { name: 'an app matcher without a meaning', change: (d) => { rule(d)['matchers'] = [{ kind: 'app', packages: ['x'] }]; return d; }, error: new RegExp(`^${HERE}: matchers\\[0\\]: the field "presentMeans" is missing$`), schemaCatches: true },
  { name: 'an empty file', change: () => null, error: /^rules\.yaml: expected an object, got null$/, schemaCatches: true },
  { name: 'a rule that is not an object', change: (d) => ({ ...d, features: ['lockscreen-carousel'] }), error: /^rules\.yaml: rule features\[0\]: expected an object, got "lockscreen-carousel"$/, schemaCatches: true },
  { name: 'a matcher that is not an object', change: (d) => { rule(d)['matchers'] = ['property']; return d; }, error: new RegExp(`^${HERE}: matchers\\[0\\]: expected an object, got "property"$`), schemaCatches: true },
  { name: 'a matcher without a kind', change: (d) => { delete matcher(d)['kind']; return d; }, error: new RegExp(`^${HERE}: matchers\\[0\\]: the field "kind" is missing$`), schemaCatches: true },
  { name: 'lists on a boolean value rule', change: (d) => { matcher(d)['values'] = { kind: 'boolean', on: ['1'] }; return d; }, error: new RegExp(`^${HERE}: matchers\\[0\\]\\.values: "on" and "off" belong to a rule of kind "values", not "boolean"$`), schemaCatches: true },
  { name: 'a pattern past the length limit', change: (d) => { matcher(d)['names'] = ['a'.repeat(1001)]; return d; }, error: new RegExp(`^${HERE}: matchers\\[0\\]\\.names\\[0\\]: a pattern of 1001 characters; the limit is 1000$`), schemaCatches: true },
  { name: 'a state a rule cannot give', change: (d) => { rule(d)['matchers'] = [{ kind: 'app', packages: ['x'], presentMeans: 'absent' }]; return d; }, error: new RegExp(`^${HERE}: matchers\\[0\\]\\.presentMeans: expected one of default-on, opt-in, unknown, got "absent"$`), schemaCatches: true },
  { name: 'one id twice', change: (d) => ({ ...d, features: [rule(d), rule(d)] }), error: /^rules\.yaml: rule "lockscreen-carousel" \(features\[1\]\): id: the id is already used by features\[0\]/, schemaCatches: false },
];

describe('a malformed rules file', () => {
  it.each(MALFORMED)('$name: one error naming the file, the rule and the field', async ({ change, error, schemaCatches }) => {
    const document = change(carousel());
    const path = join(temp, 'rules.yaml');
    writeFileSync(path, toYaml(document));
    const caught = await readFeatureRulesFile(path, 'rules.yaml').then(() => null, (thrown: unknown) => thrown);
    expect(caught).toBeInstanceOf(FeatureRulesError);
    expect((caught as Error).message).toMatch(error);
    expect((caught as Error).message.split('\n')).toHaveLength(1);
    // The schema shipped in docs/ says the same, except for the two things JSON Schema cannot say.
    expect(schemaAccepts(document)).toBe(!schemaCatches);
  });

  it('says where a YAML or JSON file stops being YAML or JSON, and when it cannot be read', async () => {
    const yamlPath = join(temp, 'broken.yaml');
    writeFileSync(yamlPath, 'otalensFeatureRules: 1\nfeatures:\n  - id: x\n    title: [unclosed\n');
    await expect(readFeatureRulesFile(yamlPath, 'broken.yaml')).rejects.toThrow(/^broken\.yaml: not valid YAML at line \d+, column \d+ \(/);
    const jsonPath = join(temp, 'broken.json');
    writeFileSync(jsonPath, '{"otalensFeatureRules": 1, "features": [}');
    await expect(readFeatureRulesFile(jsonPath, 'broken.json')).rejects.toThrow(/^broken\.json: not valid JSON \(/);
    await expect(readFeatureRulesFile(join(temp, 'missing.yaml'), 'missing.yaml')).rejects.toThrow('missing.yaml: cannot be read: no such file or folder');
    await expect(readFeatureRulesFile(temp, 'a-folder')).rejects.toThrow(/^a-folder: not a file$/);
    // Aliases nested ten deep, ten to a list: 10^11 strings if expanded.
    const aliases = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 11 }, (_, level) => `a${level + 1}: &a${level + 1} [${Array(10).fill(`*a${level}`).join(', ')}]`)];
    writeFileSync(join(temp, 'laughs.yaml'), [...aliases, 'otalensFeatureRules: 1', 'features: []', ''].join('\n'));
    await expect(readFeatureRulesFile(join(temp, 'laughs.yaml'), 'laughs.yaml')).rejects.toThrow(/^laughs\.yaml: not usable YAML \(Excessive alias count/);
    const duplicateKey = join(temp, 'twice.yaml');
    writeFileSync(duplicateKey, 'otalensFeatureRules: 1\notalensFeatureRules: 1\nfeatures: []\n');
    await expect(readFeatureRulesFile(duplicateKey, 'twice.yaml')).rejects.toThrow(/^twice\.yaml: not valid YAML at line 2, column 1 \(Map keys must be unique/);
  });
});

describe('code facts (supporting evidence only)', () => {
  const withCode = (sdks: SdkFound[]): InventoryApp => ({
    path: '/system/app/Gallery/Gallery.apk',
    partition: 'system',
    sha256: 'a'.repeat(64),
    app: { package: 'com.miui.android.fashiongallery', preferences: [], code: { dexFiles: 1, classCount: 10, sdks, hosts: [] } } as unknown as AppModel,
  });
  const feature = parseFeatureRules(carousel(), 'rules.yaml')[0];
  if (feature === undefined) throw new Error('no rule');
  const view = (apps: InventoryApp[], properties: { name: string; value: string }[] = []) => ({
    apps,
    properties: properties.map(({ name, value }) => ({ name, value, layer: '/system/build.prop', layers: [{ layer: '/system/build.prop', value, line: 3 }] })),
    settings: [],
    permissionGrants: [],
  });

  it('an SDK in an app\'s code alone never makes a default on or opt-in', () => {
    const side = evaluateFeature(feature, view([withCode([{ id: 'carousel-feed', name: 'Carousel feed', category: 'advertising', evidence: { className: 'com.miui.carousel.Feed', dexFile: 'classes2.dex' }, classCount: 3 }])]));
    expect(side.state).toBe('unknown');
    expect(side.evidence).toEqual([{ path: '/system/app/Gallery/Gallery.apk!/classes2.dex', subject: 'com.miui.android.fashiongallery carousel-feed', detail: 'com.miui.android.fashiongallery carries Carousel feed (advertising SDK, class com.miui.carousel.Feed); its code shows what the app can do, not whether it is on by default', state: 'unknown' }]);
  });

  it('supports a state that a default decides, and finds nothing in apps without code facts', () => {
    const decided = evaluateFeature(feature, view([withCode([{ id: 'carousel-feed', name: 'Carousel feed', category: 'advertising', evidence: { className: 'com.miui.carousel.Feed', dexFile: 'classes.dex' }, classCount: 1 }])], [{ name: 'persist.sys.lockscreen_carousel', value: '0' }]));
    expect(decided.state).toBe('opt-in');
    expect(decided.evidence.map((item) => item.state).sort()).toEqual(['opt-in', 'unknown']);
    const noCode: InventoryApp = { ...withCode([]), app: { package: 'com.miui.android.fashiongallery', preferences: [] } as unknown as AppModel };
    expect(evaluateFeature(feature, view([noCode])).state).toBe('absent');
  });
});

interface BuildFacts {
  properties: { name: string; value: string; layer: string; layers: { layer: string; line: number }[] }[];
  flags: { name: string; state?: string; file: string; source: string }[];
}

describe('a rules file finds what the built-in rules do not', () => {
  const { builds } = JSON.parse(readFileSync(join(SCENARIOS, 'builds.json'), 'utf8')) as { builds: Record<string, { layouts: Record<string, { facts: BuildFacts }> }> };
  const facts = (id: string): BuildFacts => {
    const found = builds[id]?.layouts['oplus']?.facts;
    if (found === undefined) throw new Error(`no oplus facts for ${id}`);
    return found;
  };
  const OLD = join(SCENARIOS, 'ab-oplus/carousel-off-4.10.1.zip');
  const NEW = join(SCENARIOS, 'ab-oplus/carousel-on-4.10.2.zip');

  it('the carousel switched on by default: nothing in the built-in verdicts, a now-default-on verdict with the rules file', async () => {
    const builtIn = await comparePackages(OLD, NEW, { parallel: false });
    const cited = JSON.stringify([builtIn.features, builtIn.otherDefaultChanges]);
    expect(cited).not.toContain('lockscreen_carousel');
    expect(cited).not.toContain('show_on_lockscreen');
    expect(builtIn.features.map((feature) => feature.id)).toEqual(FEATURES.map((feature) => feature.id));
    expect(builtIn.ruleFiles).toBeUndefined();

    const { features, ruleFiles } = await loadFeatureRules([join(RULES, 'lockscreen-carousel.yaml')]);
    const result = await comparePackages(OLD, NEW, { parallel: false, features, ruleFiles });
    expect(result.ruleFiles).toEqual(['lockscreen-carousel.yaml']);
    const verdict = result.features.find((feature) => feature.id === 'lockscreen-carousel');
    expect(verdict?.change).toBe('now-default-on');
    // Ground truth: the builds' facts by construction.
    for (const [side, id] of [['old', 'carousel-off-4.10.1'], ['new', 'carousel-on-4.10.2']] as const) {
      const property = facts(id).properties.find((candidate) => candidate.name === 'persist.sys.lockscreen_carousel');
      const flag = facts(id).flags.find((candidate) => candidate.name === 'com.miui.carousel.show_on_lockscreen');
      if (property === undefined || flag === undefined) throw new Error(`${id} lacks the carousel facts`);
      const expectedState = property.value === '1' ? 'default-on' : 'opt-in';
      expect(verdict?.[side].state).toBe(expectedState);
      expect(flag.state === 'enabled' ? 'default-on' : 'opt-in').toBe(expectedState);
      expect(verdict?.[side].evidence.map(({ path, line, state, subject }) => ({ path, line, state, subject }))).toEqual([
        { path: property.layer, line: property.layers.at(-1)?.line, state: expectedState, subject: property.name },
        { path: flag.file, line: undefined, state: expectedState, subject: flag.name },
      ]);
    }
    expect(verdict?.summary).toBe('Wallpaper carousel on the lock screen was opt-in in the old build and is on by default in the new build: a regression.');
    // The evidence files travel with the result, so the report opens them at the cited line.
    expect(Object.keys(result.evidenceFiles.new)).toContain('/system/build.prop');
  });
});
