/**
 * Feature rules as data: the format of the built-in knowledge base (features.ts) and of the rule
 * files users write (`otalens compare --features FILE`, File › Load feature rules… in the app).
 * docs/feature-rules.md documents it and docs/feature-rules.schema.json is its JSON Schema; this
 * module is the validator the CLI and the app run, so a malformed file gives one error naming the
 * file, the rule and the field, and no rule is ever dropped without a word. Pure logic.
 */
import type { SdkCategory } from './app.js';
import { SDK_CATEGORIES } from './sdks.js';
import type { FeatureState } from './verdict.js';

/** The format version a rules document states as `otalensFeatureRules`. */
export const FEATURE_RULES_VERSION = 1;

/** How a found value maps to a state. Values compare case-insensitively after trimming. */
export type ValueRule =
  | { kind: 'boolean' }
  | { kind: 'values'; on: string[]; off: string[] }
  /** A list setting (location providers): any entry means on, an empty one opt-in. */
  | { kind: 'non-empty' };

/**
 * Where a feature's default shows. Patterns are case-insensitive regular expressions, as strings.
 * `code-sdk` looks at the SDKs found in an app's code: it can only support a verdict (its evidence
 * says "cannot tell"), never make a default on or opt-in by itself.
 */
export type FeatureMatcher =
  | { kind: 'preference'; packages?: string[]; keys?: string[]; titles?: string[]; values?: ValueRule }
  | { kind: 'setting'; names: string[]; values?: ValueRule }
  | { kind: 'property'; names: string[]; values?: ValueRule }
  /** aconfig flags (`package.name`) and device-config defaults (`namespace/name`); enabled means `enabledMeans` (default on by default). */
  | { kind: 'flag'; names: string[]; namespaces?: string[]; enabledMeans?: 'default-on' | 'opt-in' }
  /** An app whose presence is worth showing but says nothing certain about the default. */
  | { kind: 'app'; packages: string[]; presentMeans: FeatureState }
  | { kind: 'permission-grant'; packages?: string[]; permissions: string[]; grantedMeans: FeatureState }
  /** SDKs in an app's code (shared/sdks.ts) by id or name and/or by category, in the apps `packages` names (all apps when absent). */
  | { kind: 'code-sdk'; sdks?: string[]; categories?: SdkCategory[]; packages?: string[] };

export type FeatureMatcherKind = FeatureMatcher['kind'];

export interface FeatureDefinition {
  id: string;
  title: string;
  whyItMatters: string;
  /** Where the knowledge comes from: reports, vendor statements, platform sources. */
  sources: string[];
  matchers: FeatureMatcher[];
}

/** A rules file as written: the format version and the features it adds or overrides. */
export interface FeatureRulesDocument {
  otalensFeatureRules: typeof FEATURE_RULES_VERSION;
  features: FeatureDefinition[];
}

/** Features read from one rules file, with the name the errors and the report give it. */
export interface FeatureRuleSet {
  file: string;
  features: FeatureDefinition[];
}

/** What a rules file gets wrong: `FILE: rule "ID" (features[2]): matchers[0].names[1]: why`. */
export class FeatureRulesError extends Error {
  override readonly name = 'FeatureRulesError';
  constructor(
    readonly file: string,
    /** The rule's id (or its place when it has none), null for a problem with the document itself. */
    readonly rule: string | null,
    /** Path of the field within the rule (or the document), e.g. `matchers[0].names[1]`. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${rule === null ? '' : `${rule}: `}${field === '' ? '' : `${field}: `}${problem}`);
  }
}

export const FEATURE_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
/** Longest regular expression accepted, in characters: patterns are names, not programs. */
export const MAX_PATTERN_LENGTH = 1000;

const CLAIMABLE_STATES: readonly FeatureState[] = ['default-on', 'opt-in', 'unknown'];

type Json = Record<string, unknown>;

/** Reports problems found at one place of the document. */
class Checker {
  constructor(
    private readonly file: string,
    private readonly rule: string | null,
    private readonly prefix: string,
  ) {}

  at(field: string | number): Checker {
    const path = typeof field === 'number' ? `${this.prefix}[${field}]` : this.prefix === '' ? field : `${this.prefix}.${field}`;
    return new Checker(this.file, this.rule, path);
  }

  fail(problem: string): never {
    throw new FeatureRulesError(this.file, this.rule, this.prefix, problem);
  }

  object(value: unknown, allowed: readonly string[], required: readonly string[]): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(`expected an object, got ${describe(value)}`);
    const record = value as Json;
    for (const key of Object.keys(record)) if (!allowed.includes(key)) this.fail(`unknown field "${key}" (allowed: ${allowed.join(', ')})`);
    for (const key of required) if (record[key] === undefined) this.fail(`the field "${key}" is missing`);
    return record;
  }

  text(value: unknown): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(`expected a non-empty string, got ${describe(value)}`);
    return value;
  }

  list(value: unknown, what: string): unknown[] {
    if (!Array.isArray(value)) this.fail(`expected a list of ${what}, got ${describe(value)}`);
    return value as unknown[];
  }

  texts(value: unknown, { nonEmpty }: { nonEmpty: boolean }): string[] {
    const list = this.list(value, 'strings');
    if (nonEmpty && list.length === 0) this.fail('expected at least one entry');
    return list.map((item, index) => this.at(index).text(item));
  }

  patterns(value: unknown): string[] {
    const list = this.texts(value, { nonEmpty: true });
    list.forEach((pattern, index) => {
      const here = this.at(index);
      if (pattern.length > MAX_PATTERN_LENGTH) here.fail(`a pattern of ${pattern.length} characters; the limit is ${MAX_PATTERN_LENGTH}`);
      try {
        new RegExp(pattern, 'i');
      } catch (error) {
        here.fail(`${JSON.stringify(pattern)} is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`);
      }
    });
    return list;
  }

  oneOf<T extends string>(value: unknown, choices: readonly T[]): T {
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) this.fail(`expected one of ${choices.join(', ')}, got ${describe(value)}`);
    return value as T;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function valueRule(check: Checker, value: unknown): ValueRule {
  const record = check.object(value, ['kind', 'on', 'off'], ['kind']);
  const kind = check.at('kind').oneOf(record['kind'], ['boolean', 'values', 'non-empty'] as const);
  if (kind !== 'values') {
    if (record['on'] !== undefined || record['off'] !== undefined) check.fail(`"on" and "off" belong to a rule of kind "values", not "${kind}"`);
    return { kind };
  }
  if (record['on'] === undefined || record['off'] === undefined) check.fail('a rule of kind "values" lists both "on" and "off"');
  const lower = (list: string[]) => list.map((item) => item.trim().toLowerCase());
  return { kind, on: lower(check.at('on').texts(record['on'], { nonEmpty: false })), off: lower(check.at('off').texts(record['off'], { nonEmpty: false })) };
}

/** Copies the optional fields that are present, checked by `read`. */
function optional<T>(record: Json, key: string, read: (value: unknown) => T): Partial<Record<string, T>> {
  return record[key] === undefined ? {} : { [key]: read(record[key]) };
}

const MATCHER_FIELDS: Readonly<Record<FeatureMatcherKind, { allowed: readonly string[]; required: readonly string[] }>> = {
  preference: { allowed: ['packages', 'keys', 'titles', 'values'], required: [] },
  setting: { allowed: ['names', 'values'], required: ['names'] },
  property: { allowed: ['names', 'values'], required: ['names'] },
  flag: { allowed: ['names', 'namespaces', 'enabledMeans'], required: ['names'] },
  app: { allowed: ['packages', 'presentMeans'], required: ['packages', 'presentMeans'] },
  'permission-grant': { allowed: ['packages', 'permissions', 'grantedMeans'], required: ['permissions', 'grantedMeans'] },
  'code-sdk': { allowed: ['sdks', 'categories', 'packages'], required: [] },
};

export const MATCHER_KINDS = Object.keys(MATCHER_FIELDS) as FeatureMatcherKind[];

function matcher(check: Checker, value: unknown): FeatureMatcher {
  const any = check.object(value, Object.keys(value ?? {}), ['kind']);
  const kind = check.at('kind').oneOf(any['kind'], MATCHER_KINDS);
  const fields = MATCHER_FIELDS[kind];
  if (kind === 'code-sdk' && (any['presentMeans'] !== undefined || any['grantedMeans'] !== undefined)) {
    check.fail('a code-sdk matcher only supports a verdict: the SDKs in an app\'s code never decide whether a default is on, so it takes no state');
  }
  const record = check.object(value, ['kind', ...fields.allowed], ['kind', ...fields.required]);
  const patterns = (key: string) => optional(record, key, (item) => check.at(key).patterns(item)) as Record<string, string[]>;
  const values = optional(record, 'values', (item) => valueRule(check.at('values'), item)) as { values?: ValueRule };
  switch (kind) {
    case 'preference': {
      if (record['keys'] === undefined && record['titles'] === undefined) check.fail('a preference matcher needs "keys" or "titles" (or both)');
      return { kind, ...patterns('packages'), ...patterns('keys'), ...patterns('titles'), ...values };
    }
    case 'setting':
    case 'property':
      return { kind, names: check.at('names').patterns(record['names']), ...values };
    case 'flag': {
      const enabledMeans = optional(record, 'enabledMeans', (item) => check.at('enabledMeans').oneOf(item, ['default-on', 'opt-in'] as const)) as { enabledMeans?: 'default-on' | 'opt-in' };
      return { kind, names: check.at('names').patterns(record['names']), ...patterns('namespaces'), ...enabledMeans };
    }
    case 'app':
      return { kind, packages: check.at('packages').patterns(record['packages']), presentMeans: check.at('presentMeans').oneOf(record['presentMeans'], CLAIMABLE_STATES) };
    case 'permission-grant':
      return { kind, ...patterns('packages'), permissions: check.at('permissions').patterns(record['permissions']), grantedMeans: check.at('grantedMeans').oneOf(record['grantedMeans'], CLAIMABLE_STATES) };
    case 'code-sdk': {
      if (record['sdks'] === undefined && record['categories'] === undefined) check.fail('a code-sdk matcher needs "sdks" or "categories" (or both)');
      const categories = optional(record, 'categories', (item) => {
        const at = check.at('categories');
        const list = at.list(item, 'SDK categories');
        if (list.length === 0) at.fail('expected at least one entry');
        return list.map((category, index) => at.at(index).oneOf(category, SDK_CATEGORIES));
      }) as { categories?: SdkCategory[] };
      return { kind, ...patterns('sdks'), ...categories, ...patterns('packages') };
    }
  }
}

const FEATURE_FIELDS = ['id', 'title', 'whyItMatters', 'sources', 'matchers'] as const;

function feature(file: string, value: unknown, index: number): FeatureDefinition {
  const place = `features[${index}]`;
  const id = typeof value === 'object' && value !== null && typeof (value as Json)['id'] === 'string' ? (value as Json)['id'] as string : null;
  const check = new Checker(file, id === null ? `rule ${place}` : `rule "${id}" (${place})`, '');
  const record = check.object(value, FEATURE_FIELDS, FEATURE_FIELDS);
  const checkedId = check.at('id').text(record['id']);
  if (!FEATURE_ID_PATTERN.test(checkedId)) check.at('id').fail(`an id is lower-case letters, digits and dashes, starting with a letter or digit (it is what --claim ID=STATE names), got ${describe(checkedId)}`);
  const matchers = check.at('matchers').list(record['matchers'], 'matchers');
  if (matchers.length === 0) check.at('matchers').fail('expected at least one matcher: a rule without one finds nothing');
  return {
    id: checkedId,
    title: check.at('title').text(record['title']),
    whyItMatters: check.at('whyItMatters').text(record['whyItMatters']),
    sources: check.at('sources').texts(record['sources'], { nonEmpty: true }),
    matchers: matchers.map((item, matcherIndex) => matcher(check.at('matchers').at(matcherIndex), item)),
  };
}

/**
 * Checks a parsed rules document (JSON or YAML alike) and returns its features. Throws a
 * FeatureRulesError at the first problem: a wrong or missing version, an unknown field (a typo
 * would otherwise drop part of a rule), a missing one, a pattern that is no regular expression,
 * an id given twice.
 */
export function parseFeatureRules(data: unknown, file: string): FeatureDefinition[] {
  const document = new Checker(file, null, '');
  const record = document.object(data, ['otalensFeatureRules', 'features'], ['otalensFeatureRules', 'features']);
  if (record['otalensFeatureRules'] !== FEATURE_RULES_VERSION) {
    document.at('otalensFeatureRules').fail(`this OTA Lens reads feature rules of format version ${FEATURE_RULES_VERSION}, got ${describe(record['otalensFeatureRules'])}`);
  }
  const features = document.at('features').list(record['features'], 'rules').map((item, index) => feature(file, item, index));
  const seen = new Map<string, number>();
  features.forEach((definition, index) => {
    const first = seen.get(definition.id);
    if (first !== undefined) throw new FeatureRulesError(file, `rule "${definition.id}" (features[${index}])`, 'id', `the id is already used by features[${first}]; one file defines each feature once`);
    seen.set(definition.id, index);
  });
  return features;
}

/**
 * The knowledge base with rule files applied in order: a feature whose id is already known
 * replaces it in place, a new one is added after the others.
 */
export function mergeFeatureRules(base: readonly FeatureDefinition[], ruleSets: readonly FeatureRuleSet[]): FeatureDefinition[] {
  const merged = [...base];
  for (const set of ruleSets) {
    for (const definition of set.features) {
      const at = merged.findIndex((existing) => existing.id === definition.id);
      if (at < 0) merged.push(definition);
      else merged[at] = definition;
    }
  }
  return merged;
}
