/**
 * Applies the feature knowledge base to two inventories: a state per feature and side with the
 * evidence for it, the change, and a plain sentence. Also the "other default changes worth a
 * look" and claim checks. Pure logic over inventory data.
 */
import type { PreferenceDefault } from './app.js';
import type { AppDiff, SettingDiff } from './appDiff.js';
import { BOOLEAN_RULE, FEATURES, PRIVACY_WORDS, type FeatureDefinition, type FeatureMatcher, type ValueRule } from './features.js';
import { describeFlag, flagAddress, type FeatureFlag } from './flags.js';
import type { InventoryApp, LayeredProperty, PermissionGrant, SettingDefault } from './inventory.js';
import type { PropertyDiff } from './model.js';
import { compareStrings } from './sort.js';
import type { ClaimCheck, DefaultChange, Evidence, FeatureChange, FeatureState, FeatureVerdict, SideVerdict } from './verdict.js';
import { FEATURE_STATES } from './verdict.js';

/** What the verdicts read from one side's inventory. */
export interface InventoryView {
  apps: readonly InventoryApp[];
  properties: readonly LayeredProperty[];
  settings: readonly SettingDefault[];
  permissionGrants: readonly PermissionGrant[];
  /** aconfig flags and device-config defaults; absent in views made before flags were read. */
  flags?: readonly FeatureFlag[];
}

export const REACH_NOTE =
  'A changed default reaches only phones set up fresh (a new activation or a factory reset); phones already in use keep the value they stored unless the app migrates it.';

const ON_WORDS = ['true', '1', 'on', 'yes', 'enabled', 'enable'];
const OFF_WORDS = ['false', '0', 'off', 'no', 'disabled', 'disable'];

function patterns(sources: readonly string[] | undefined): RegExp[] {
  return (sources ?? []).map((source) => new RegExp(source, 'i'));
}

function matchesAny(text: string | null | undefined, regexes: readonly RegExp[]): boolean {
  return text !== null && text !== undefined && regexes.some((regex) => regex.test(text));
}

/** The state a value means under a rule; `unknown` when the rule does not recognise it. */
export function stateOfValue(value: string | null, rule: ValueRule = BOOLEAN_RULE): FeatureState {
  const normalised = (value ?? '').trim().toLowerCase();
  switch (rule.kind) {
    case 'boolean':
      return ON_WORDS.includes(normalised) ? 'default-on' : OFF_WORDS.includes(normalised) ? 'opt-in' : 'unknown';
    case 'values':
      return rule.on.includes(normalised) ? 'default-on' : rule.off.includes(normalised) ? 'opt-in' : 'unknown';
    case 'non-empty':
      return value === null ? 'unknown' : normalised === '' ? 'opt-in' : 'default-on';
  }
}

/** Whether a value reads as a boolean at all (for "other default changes"). */
export function isBooleanLike(value: string | null): boolean {
  return stateOfValue(value) !== 'unknown';
}

export function describeDefault(preference: PreferenceDefault): string {
  switch (preference.defaultSource) {
    case 'literal':
      return `${preference.defaultValue ?? '(empty)'} (written in the XML)`;
    case 'resource':
      return `${preference.defaultValue ?? '(unresolved)'} (from ${preference.defaultResource ?? 'a resource'})`;
    case 'implicit':
      return preference.defaultValue === null
        ? 'none (no defaultValue)'
        : `${preference.defaultValue} (no defaultValue: a ${preference.type.slice(preference.type.lastIndexOf('.') + 1)} without one starts unchecked)`;
  }
}

export function preferenceEvidence(entry: InventoryApp, preference: PreferenceDefault, rule: ValueRule | undefined): Evidence {
  const title = preference.title === null ? '' : ` titled “${preference.title}”`;
  return {
    path: `${entry.path}!/${preference.file}`,
    subject: preference.key,
    line: preference.line,
    detail: `${preference.type} "${preference.key}"${title} in ${entry.app?.package ?? 'an app'}: default ${describeDefault(preference)}`,
    state: stateOfValue(preference.defaultValue, rule),
  };
}

export function settingEvidence(setting: SettingDefault, rule: ValueRule | undefined): Evidence {
  const by = setting.overlay === undefined ? 'SettingsProvider default' : `set by overlay ${setting.overlay.package}, priority ${setting.overlay.priority ?? '?'}`;
  const before = setting.overlay !== undefined && setting.base !== null ? `; SettingsProvider itself says ${setting.base}` : '';
  return {
    path: `${setting.source}!/resources.arsc`,
    subject: setting.name,
    detail: `setting default ${setting.name} = ${setting.value ?? '(unresolved)'} (${by}${before})`,
    state: stateOfValue(setting.value, rule),
  };
}

export function propertyEvidence(property: LayeredProperty, rule: ValueRule | undefined): Evidence {
  const winning = property.layers.filter((layer) => layer.layer === property.layer).at(-1);
  const overridden = property.layers.length > 1 ? ` (also set in ${property.layers.filter((layer) => layer !== winning).map((layer) => `${layer.layer}=${layer.value}`).join(', ')})` : '';
  const evidence: Evidence = { path: property.layer, subject: property.name, detail: `property ${property.name}=${property.value}${overridden}`, state: stateOfValue(property.value, rule) };
  if (winning !== undefined) evidence.line = winning.line;
  return evidence;
}

/** A flag's state as a feature state: enabled means `enabledMeans`, disabled the other one. */
export function flagFeatureState(flag: FeatureFlag, enabledMeans: 'default-on' | 'opt-in' = 'default-on'): FeatureState {
  if (flag.state === null) return 'unknown';
  const other = enabledMeans === 'default-on' ? 'opt-in' : 'default-on';
  return flag.state === 'enabled' ? enabledMeans : other;
}

export function flagEvidence(flag: FeatureFlag, enabledMeans: 'default-on' | 'opt-in' = 'default-on'): Evidence {
  const remote = flag.permission === 'read-write' ? ' (read-write: it can be changed remotely after setup)' : '';
  const evidence: Evidence = { path: flag.file, subject: flagAddress(flag), detail: `${describeFlag(flag)}${remote}`, state: flagFeatureState(flag, enabledMeans) };
  if (flag.line !== undefined) evidence.line = flag.line;
  return evidence;
}

function evidenceFor(matcher: FeatureMatcher, view: InventoryView): Evidence[] {
  switch (matcher.kind) {
    case 'preference': {
      const packages = patterns(matcher.packages);
      const keys = patterns(matcher.keys);
      const titles = patterns(matcher.titles);
      const found: Evidence[] = [];
      for (const entry of view.apps) {
        const app = entry.app;
        if (app === null || (packages.length > 0 && !matchesAny(app.package, packages))) continue;
        for (const preference of app.preferences) {
          if (matchesAny(preference.key, keys) || matchesAny(preference.title, titles)) found.push(preferenceEvidence(entry, preference, matcher.values));
        }
      }
      return found;
    }
    case 'setting': {
      const names = patterns(matcher.names);
      return view.settings.filter((setting) => matchesAny(setting.name, names)).map((setting) => settingEvidence(setting, matcher.values));
    }
    case 'property': {
      const names = patterns(matcher.names);
      return view.properties.filter((property) => matchesAny(property.name, names)).map((property) => propertyEvidence(property, matcher.values));
    }
    case 'app': {
      const packages = patterns(matcher.packages);
      return view.apps
        .filter((entry) => entry.app !== null && matchesAny(entry.app.package, packages))
        .map((entry) => ({ path: entry.path, subject: entry.app?.package ?? '', detail: `${entry.app?.package} is installed (${entry.app?.label ?? 'no label'}, version ${entry.app?.versionName ?? '?'}); its presence alone does not show whether it is on by default`, state: matcher.presentMeans }));
    }
    case 'flag': {
      const names = patterns(matcher.names);
      const namespaces = patterns(matcher.namespaces);
      return (view.flags ?? [])
        .filter((flag) => matchesAny(flagAddress(flag), names) && (namespaces.length === 0 || matchesAny(flag.namespace, namespaces)))
        .map((flag) => flagEvidence(flag, matcher.enabledMeans ?? 'default-on'));
    }
    case 'code-sdk':
      return codeSdkEvidence(matcher, view);
    case 'permission-grant': {
      const packages = patterns(matcher.packages);
      const permissions = patterns(matcher.permissions);
      return view.permissionGrants
        .filter((grant) => grant.kind !== 'privapp-deny' && matchesAny(grant.permission, permissions) && (packages.length === 0 || matchesAny(grant.package, packages)))
        .map((grant) => ({
          path: grant.file,
          subject: `${grant.package} ${grant.permission}`,
          line: grant.line,
          detail: `${grant.kind} grants ${grant.permission} to ${grant.package}${grant.fixed ? ' (fixed: the user cannot revoke it)' : ''} without asking`,
          state: matcher.grantedMeans,
        }));
    }
  }
}

/** Where a DEX file of an app is, as a device path: APK members are entered with `!/`. */
export function dexFilePath(appPath: string, dexFile: string): string {
  return dexFile.startsWith('/') ? dexFile : `${appPath}!/${dexFile}`;
}

/** SDKs found in the apps' code: supporting evidence, always `unknown` (code alone never decides a default). */
/**
 * SDKs in an app's code support a verdict at most: code shows what an app can do, never whether a
 * setting is on by default, so their evidence always says "cannot tell".
 */
function codeSdkEvidence(matcher: Extract<FeatureMatcher, { kind: 'code-sdk' }>, view: InventoryView): Evidence[] {
  const packages = patterns(matcher.packages);
  const sdks = patterns(matcher.sdks);
  const found: Evidence[] = [];
  for (const entry of view.apps) {
    const app = entry.app;
    if (app === null || app.code === null || app.code === undefined || (packages.length > 0 && !matchesAny(app.package, packages))) continue;
    for (const sdk of app.code.sdks) {
      if (matcher.categories !== undefined && !matcher.categories.includes(sdk.category)) continue;
      if (sdks.length > 0 && !matchesAny(sdk.id, sdks) && !matchesAny(sdk.name, sdks)) continue;
      found.push({
        path: dexFilePath(entry.path, sdk.evidence.dexFile),
        subject: `${app.package} ${sdk.id}`,
        detail: `${app.package} carries ${sdk.name} (${sdk.category.replace('-', ' ')} SDK, class ${sdk.evidence.className}); its code shows what the app can do, not whether it is on by default`,
        state: 'unknown',
      });
    }
  }
  return found;
}

/**
 * One side's verdict: on by default when any evidence says so (one default-on path is enough to
 * send data), opt-in when the evidence says opt-in and nothing says on, unknown when the only
 * evidence is undecided, absent when nothing was found.
 */
export function evaluateFeature(feature: FeatureDefinition, view: InventoryView): SideVerdict {
  const evidence = feature.matchers.flatMap((matcher) => evidenceFor(matcher, view)).sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.detail, b.detail));
  const states = new Set(evidence.map((item) => item.state));
  const state: FeatureState = states.has('default-on') ? 'default-on' : states.has('opt-in') ? 'opt-in' : states.size > 0 ? 'unknown' : 'absent';
  return { state, evidence };
}

export function changeOf(old: FeatureState, current: FeatureState): FeatureChange {
  if (old === 'unknown' || current === 'unknown') return 'unknown';
  if (old === current) return 'unchanged';
  if (current === 'absent') return 'removed';
  if (old === 'absent') return 'added';
  return current === 'opt-in' ? 'now-opt-in' : 'now-default-on';
}

const STATE_WORDS: Readonly<Record<FeatureState, string>> = {
  'default-on': 'on by default',
  'opt-in': 'opt-in (off until the user turns it on)',
  absent: 'not present',
  unknown: 'undecidable from the firmware',
};

export function summarise(title: string, old: FeatureState, current: FeatureState, change: FeatureChange): string {
  switch (change) {
    case 'now-opt-in':
      return `${title} was on by default in the old build and is opt-in in the new build.`;
    case 'now-default-on':
      return `${title} was opt-in in the old build and is on by default in the new build: a regression.`;
    case 'unchanged':
      return current === 'absent' ? `Neither build has ${title}.` : `${title} is ${STATE_WORDS[current]} in both builds.`;
    case 'removed':
      return `${title} was ${STATE_WORDS[old]} in the old build and is not in the new build.`;
    case 'added':
      return `${title} is new in the new build, ${STATE_WORDS[current]}.`;
    case 'unknown':
      return `OTA Lens cannot tell from the firmware alone whether ${title} is on by default (old build: ${STATE_WORDS[old]}; new build: ${STATE_WORDS[current]}); see the evidence.`;
  }
}

export function featureVerdicts(before: InventoryView, after: InventoryView, features: readonly FeatureDefinition[] = FEATURES): FeatureVerdict[] {
  return features.map((feature) => {
    const old = evaluateFeature(feature, before);
    const current = evaluateFeature(feature, after);
    const change = changeOf(old.state, current.state);
    const verdict: FeatureVerdict = { id: feature.id, title: feature.title, whyItMatters: feature.whyItMatters, old, new: current, change, summary: summarise(feature.title, old.state, current.state, change) };
    if (change === 'now-opt-in' || change === 'now-default-on') verdict.reachNote = REACH_NOTE;
    return verdict;
  });
}

const PRIVACY = new RegExp(PRIVACY_WORDS.join('|'), 'i');

/**
 * Boolean defaults that flipped in preferences, settings or properties whose name or title sounds
 * privacy-relevant, leaving out what a feature verdict already shows.
 */
export function otherDefaultChanges(
  diffs: { apps: AppDiff; settings: SettingDiff; properties: PropertyDiff },
  verdicts: readonly FeatureVerdict[],
): DefaultChange[] {
  const cited = new Set(verdicts.flatMap((verdict) => [...verdict.old.evidence, ...verdict.new.evidence]).map((evidence) => `${evidence.path}|${evidence.subject}`));
  const flipped = (old: string | null, current: string | null): boolean => isBooleanLike(old) && isBooleanLike(current) && stateOfValue(old) !== stateOfValue(current);
  const changes: DefaultChange[] = [];

  for (const app of diffs.apps.changed) {
    for (const preference of app.preferences.changed) {
      if (!flipped(preference.old.defaultValue, preference.new.defaultValue)) continue;
      if (!PRIVACY.test(preference.key) && !PRIVACY.test(preference.title ?? '')) continue;
      const oldPath = `${app.path.old}!/${preference.file}`;
      const newPath = `${app.path.new}!/${preference.file}`;
      if (cited.has(`${newPath}|${preference.key}`) || cited.has(`${oldPath}|${preference.key}`)) continue;
      changes.push({
        kind: 'preference',
        name: preference.key,
        title: preference.title,
        package: app.package,
        old: preference.old.defaultValue,
        new: preference.new.defaultValue,
        evidence: {
          old: { path: oldPath, subject: preference.key, line: preference.old.line, detail: `default ${preference.old.defaultValue} (${preference.old.defaultSource})`, state: stateOfValue(preference.old.defaultValue) },
          new: { path: newPath, subject: preference.key, line: preference.new.line, detail: `default ${preference.new.defaultValue} (${preference.new.defaultSource})`, state: stateOfValue(preference.new.defaultValue) },
        },
      });
    }
  }
  for (const setting of diffs.settings.changed) {
    if (!flipped(setting.old, setting.new) || !PRIVACY.test(setting.name)) continue;
    if (cited.has(`${setting.newSource}!/resources.arsc|${setting.name}`) || cited.has(`${setting.oldSource}!/resources.arsc|${setting.name}`)) continue;
    changes.push({
      kind: 'setting',
      name: setting.name,
      title: null,
      package: null,
      old: setting.old,
      new: setting.new,
      evidence: {
        old: setting.oldSource === null ? null : { path: `${setting.oldSource}!/resources.arsc`, subject: setting.name, detail: `${setting.name} = ${setting.old}`, state: stateOfValue(setting.old) },
        new: setting.newSource === null ? null : { path: `${setting.newSource}!/resources.arsc`, subject: setting.name, detail: `${setting.name} = ${setting.new}`, state: stateOfValue(setting.new) },
      },
    });
  }
  for (const property of diffs.properties.changed) {
    if (!flipped(property.old, property.new) || !PRIVACY.test(property.name)) continue;
    if (cited.has(`${property.newLayer}|${property.name}`) || cited.has(`${property.oldLayer}|${property.name}`)) continue;
    changes.push({
      kind: 'property',
      name: property.name,
      title: null,
      package: null,
      old: property.old,
      new: property.new,
      evidence: {
        old: property.oldLayer === null ? null : { path: property.oldLayer, subject: property.name, detail: `${property.name}=${property.old}`, state: stateOfValue(property.old) },
        new: property.newLayer === null ? null : { path: property.newLayer, subject: property.name, detail: `${property.name}=${property.new}`, state: stateOfValue(property.new) },
      },
    });
  }
  return changes.sort((a, b) => compareStrings(a.kind, b.kind) || compareStrings(a.package ?? '', b.package ?? '') || compareStrings(a.name, b.name));
}

export class ClaimSyntaxError extends Error {
  override readonly name = 'ClaimSyntaxError';
}

/** `cloud-messaging=opt-in` → the feature and the claimed state of the new build. */
export function parseClaim(text: string, features: readonly FeatureDefinition[] = FEATURES): { feature: string; claimed: FeatureState } {
  const match = /^\s*([a-z0-9-]+)\s*=\s*([a-z-]+)\s*$/.exec(text);
  const ids = features.map((feature) => feature.id);
  if (match === null) throw new ClaimSyntaxError(`a claim looks like FEATURE=STATE, e.g. cloud-messaging=opt-in (got "${text}")`);
  const [, feature = '', claimed = ''] = match;
  if (!ids.includes(feature)) throw new ClaimSyntaxError(`unknown feature "${feature}"; known: ${ids.join(', ')}`);
  if (!(FEATURE_STATES as readonly string[]).includes(claimed) || claimed === 'unknown') {
    throw new ClaimSyntaxError(`unknown state "${claimed}"; a claim is one of default-on, opt-in, absent`);
  }
  return { feature, claimed: claimed as FeatureState };
}

/** Checks a claim about the new build against its verdict. */
export function checkClaim(claim: { feature: string; claimed: FeatureState }, verdicts: readonly FeatureVerdict[]): ClaimCheck {
  const verdict = verdicts.find((candidate) => candidate.id === claim.feature);
  const actual = verdict?.new.state ?? 'unknown';
  const title = verdict?.title ?? claim.feature;
  const evidence = verdict?.new.evidence ?? [];
  if (actual === 'unknown') {
    return { ...claim, actual, verdict: 'cannot tell', evidence, summary: `Cannot tell whether ${title} is ${STATE_WORDS[claim.claimed]} in the new build: the firmware does not decide it.` };
  }
  const confirmed = actual === claim.claimed;
  return {
    ...claim,
    actual,
    verdict: confirmed ? 'confirmed' : 'contradicted',
    evidence,
    summary: confirmed
      ? `Confirmed: ${title} is ${STATE_WORDS[actual]} in the new build.`
      : `Contradicted: the claim says ${title} is ${STATE_WORDS[claim.claimed]}, but in the new build it is ${STATE_WORDS[actual]}.`,
  };
}
