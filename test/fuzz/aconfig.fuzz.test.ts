/** Fuzzes the aconfig readers (protobuf and flag storage files) and the feature rules validator. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { FeatureRulesError, parseFeatureRules } from '../../shared/featureRules.js';
import { parseAconfigFlagsPb } from '../../electron/engine/config/aconfigFlags.js';
import { parseAconfigStorage, type StorageFileName } from '../../electron/engine/config/aconfigStorage.js';
import { REPO_ROOT } from '../support/oracles.js';
import { fuzz, FUZZ_TEST_TIMEOUT, fuzzRuns, fuzzSeed } from './harness.js';

const TREE = join(REPO_ROOT, 'test/fixtures/aconfig/tree');
const bytes = (path: string): Buffer => readFileSync(join(TREE, path));
const STORAGE: StorageFileName[] = ['package.map', 'flag.map', 'flag.val', 'flag.info'];

describe('fuzzing the aconfig readers', () => {
  it('aconfig_flags.pb', async () => {
    await fuzz({ parse: async (input) => void parseAconfigFlagsPb(input, '/system/etc/aconfig_flags.pb') }, bytes('system/etc/aconfig_flags.pb'), { runs: fuzzRuns(300) });
  }, FUZZ_TEST_TIMEOUT);

  it.each(STORAGE)('flag storage: %s mutated, the other files whole', async (name) => {
    const whole = Object.fromEntries(STORAGE.map((file) => [file, bytes(`system/etc/aconfig/${file}`)])) as Record<StorageFileName, Buffer>;
    await fuzz({ parse: async (input) => void parseAconfigStorage({ folder: '/system/etc/aconfig', files: { ...whole, [name]: input } }) }, whole[name], { runs: fuzzRuns(200) });
  }, FUZZ_TEST_TIMEOUT);
});

describe('fuzzing the feature rules validator', () => {
  it('any JSON-like document is either rules or one FeatureRulesError, never another exception', () => {
    const seed = parseYaml(readFileSync(join(REPO_ROOT, 'test/fixtures/rules/lockscreen-carousel.yaml'), 'utf8')) as unknown;
    const mutate = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(null, true, 0, -1, '', '(', '^x$', 'default-on', 'flag', 'preference', 'values', [], {}),
        fc.string({ maxLength: 12 }),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('otalensFeatureRules', 'features', 'id', 'title', 'whyItMatters', 'sources', 'matchers', 'kind', 'names', 'keys', 'values', 'on', 'off', 'sdks', 'presentMeans'), tie('value'), { maxKeys: 5 }),
      ),
    })).value;
    const spliced = fc.tuple(fc.array(fc.constantFrom('features', 0, 'matchers', 0, 'names', 'kind', 'values', 'id'), { maxLength: 4 }), mutate).map(([path, value]) => {
      const copy = structuredClone(seed) as Record<string, unknown>;
      let node: Record<string, unknown> | unknown[] = copy;
      for (const step of path.slice(0, -1)) {
        const next = (node as Record<string | number, unknown>)[step as never];
        if (typeof next !== 'object' || next === null) break;
        node = next as Record<string, unknown>;
      }
      (node as Record<string | number, unknown>)[(path.at(-1) ?? 'features') as never] = value;
      return copy;
    });
    fc.assert(
      fc.property(fc.oneof(mutate, spliced), (document) => {
        try {
          parseFeatureRules(document, 'fuzz.yaml');
        } catch (error) {
          expect(error).toBeInstanceOf(FeatureRulesError);
          expect((error as Error).message).toMatch(/^fuzz\.yaml: /);
        }
      }),
      { numRuns: fuzzRuns(500), seed: fuzzSeed() },
    );
  });
});
