/**
 * Claims about any single key of the new build, not only about the known features:
 * `pref:KEY=off`, `pref:PACKAGE/KEY=on`, `setting:NAME=VALUE`, `prop:NAME=VALUE`,
 * `flag:NAME=enabled`. Each is confirmed, contradicted or cannot be told, with the evidence. The
 * keys of a build (every preference default, setting default, effective property and flag) are
 * listed once as KeyFacts, so the CLI, the timeline and the report's *Check a claim* panel all
 * answer from the same list. Pure logic.
 */
import type { FeatureDefinition } from './featureRules.js';
import { flagAddress } from './flags.js';
import { compareStrings } from './sort.js';
import type { ClaimVerdict, Evidence, FeatureState } from './verdict.js';
import { ClaimSyntaxError, flagEvidence, parseClaim, preferenceEvidence, propertyEvidence, settingEvidence, stateOfValue, type InventoryView } from './verdicts.js';

export type ClaimKeyKind = 'pref' | 'setting' | 'prop' | 'flag';

export const CLAIM_KEY_KINDS: readonly ClaimKeyKind[] = ['pref', 'setting', 'prop', 'flag'];

/** What each kind of key is called in sentences. */
export const KEY_KIND_WORDS: Readonly<Record<ClaimKeyKind, string>> = { pref: 'preference', setting: 'setting', prop: 'property', flag: 'flag' };

/** One key of a build and its default there. */
export interface KeyFact {
  kind: ClaimKeyKind;
  /** Preference key, setting resource name, property name, or flag address (`package.name`, `namespace/name`). */
  key: string;
  /** The app a preference belongs to; null for the other kinds. */
  package: string | null;
  /** The default as text (a flag's is `enabled` or `disabled`); null when it could not be resolved. */
  value: string | null;
  evidence: Evidence;
}

/** A claim about one key: `pref:com.android.mms/pref_key_enable_mx=off`. */
export interface KeyClaim {
  kind: ClaimKeyKind;
  key: string;
  /** For `pref:PACKAGE/KEY`: only that app's preference. */
  package: string | null;
  /** What the claim says the default is: a value, `on`/`off` (also true/false, enabled/disabled…), or `absent`. */
  value: string;
}

/** A key claim checked against the new build. */
export interface KeyClaimCheck {
  /** The claim as written, e.g. `setting:def_backup_enabled=off`. */
  text: string;
  claim: KeyClaim;
  verdict: ClaimVerdict;
  /** Every distinct default found for the key, sorted; empty when the build does not have it. */
  found: (string | null)[];
  summary: string;
  evidence: Evidence[];
}

const KEY_CLAIM = /^\s*([a-z]+):([^=]+)=(.*)$/;

/** Whether a claim's text names a key (`kind:key=value`) rather than a feature (`feature=state`). */
export function isKeyClaimText(text: string): boolean {
  return /^\s*[a-z]+:/.test(text);
}

/** Claims as `--claim` takes them: features (`cloud-messaging=opt-in`) and keys (`prop:NAME=VALUE`). */
export interface Claims {
  features: { feature: string; claimed: FeatureState }[];
  keys: KeyClaim[];
}

/** Sorts claim texts into feature and key claims; throws ClaimSyntaxError at the first one that does not parse. */
export function parseClaims(texts: readonly string[], features: readonly FeatureDefinition[]): Claims {
  const claims: Claims = { features: [], keys: [] };
  for (const text of texts) {
    if (isKeyClaimText(text)) claims.keys.push(parseKeyClaim(text));
    else claims.features.push(parseClaim(text, features));
  }
  return claims;
}

/** `setting:def_backup_enabled=off` → the claim; throws ClaimSyntaxError with what is wrong. */
export function parseKeyClaim(text: string): KeyClaim {
  const match = KEY_CLAIM.exec(text);
  if (match === null) throw new ClaimSyntaxError(`a key claim looks like KIND:KEY=VALUE, e.g. setting:def_backup_enabled=off (got "${text}")`);
  const [, kindText = '', keyText = '', valueText = ''] = match;
  if (!(CLAIM_KEY_KINDS as readonly string[]).includes(kindText)) throw new ClaimSyntaxError(`unknown kind of key "${kindText}"; a key claim is about one of ${CLAIM_KEY_KINDS.map((kind) => `${kind}:`).join(', ')}`);
  const kind = kindText as ClaimKeyKind;
  const value = valueText.trim();
  if (value === '') throw new ClaimSyntaxError(`the claim "${text}" says no value; write e.g. ${kind}:${keyText.trim()}=off, or =absent`);
  let key = keyText.trim();
  let packageName: string | null = null;
  if (kind === 'pref' && key.includes('/')) {
    packageName = key.slice(0, key.lastIndexOf('/')).trim();
    key = key.slice(key.lastIndexOf('/') + 1).trim();
  }
  if (key === '' || packageName === '') throw new ClaimSyntaxError(`the claim "${text}" names no key`);
  return { kind, key, package: packageName, value };
}

export function keyClaimText(claim: KeyClaim): string {
  return `${claim.kind}:${claim.package === null ? '' : `${claim.package}/`}${claim.key}=${claim.value}`;
}

/** Every preference default, setting default, effective property and flag of a build, sorted. */
export function keyFacts(view: InventoryView): KeyFact[] {
  const facts: KeyFact[] = [];
  for (const entry of view.apps) {
    for (const preference of entry.app?.preferences ?? []) {
      facts.push({ kind: 'pref', key: preference.key, package: entry.app?.package ?? null, value: preference.defaultValue, evidence: preferenceEvidence(entry, preference, undefined) });
    }
  }
  for (const setting of view.settings) facts.push({ kind: 'setting', key: setting.name, package: null, value: setting.value, evidence: settingEvidence(setting, undefined) });
  for (const property of view.properties) facts.push({ kind: 'prop', key: property.name, package: null, value: property.value, evidence: propertyEvidence(property, undefined) });
  for (const flag of view.flags ?? []) facts.push({ kind: 'flag', key: flagAddress(flag), package: null, value: flag.state ?? flag.value ?? null, evidence: flagEvidence(flag) });
  return facts.sort((a, b) => compareStrings(a.kind, b.kind) || compareStrings(a.key, b.key) || compareStrings(a.package ?? '', b.package ?? '') || compareStrings(a.evidence.path, b.evidence.path));
}

/** The facts a claim is about. */
export function factsFor(claim: Pick<KeyClaim, 'kind' | 'key' | 'package'>, facts: readonly KeyFact[]): KeyFact[] {
  return facts.filter((fact) => fact.kind === claim.kind && fact.key === claim.key && (claim.package === null || fact.package === claim.package));
}

/** Whether a found value says what the claim says: booleans by meaning (`off` = false = 0 = disabled), the rest as text. */
export function valueMatches(claimed: string, actual: string | null): boolean | null {
  if (actual === null) return null;
  const claimedMeaning = stateOfValue(claimed);
  const actualMeaning = stateOfValue(actual);
  if (claimedMeaning !== 'unknown' && actualMeaning !== 'unknown') return claimedMeaning === actualMeaning;
  return claimed.trim().toLowerCase() === actual.trim().toLowerCase();
}

const ABSENT = 'absent';

function where(fact: KeyFact): string {
  return fact.package === null ? fact.evidence.path : `${fact.package}, ${fact.evidence.path}`;
}

function shown(value: string | null): string {
  return value === null ? 'unresolved' : value === '' ? '(empty)' : value;
}

/** Checks a key claim against a build's keys (the new build's, for a comparison). */
export function checkKeyClaim(claim: KeyClaim, facts: readonly KeyFact[]): KeyClaimCheck {
  const text = keyClaimText(claim);
  const matching = factsFor(claim, facts);
  const found = [...new Set(matching.map((fact) => fact.value))].sort((a, b) => compareStrings(a ?? '', b ?? ''));
  const evidence = matching.map((fact) => fact.evidence);
  const name = `${KEY_KIND_WORDS[claim.kind]} ${claim.package === null ? '' : `${claim.package}/`}${claim.key}`;
  const result = (verdict: ClaimVerdict, summary: string): KeyClaimCheck => ({ text, claim, verdict, found, summary, evidence });
  if (matching.length === 0) {
    if (claim.value.toLowerCase() === ABSENT) return result('confirmed', `Confirmed: the new build has no ${name}.`);
    return result('cannot tell', `Cannot tell: the new build has no ${name}, so its value comes from code, not from the firmware's defaults.`);
  }
  if (claim.value.toLowerCase() === ABSENT) {
    return result('contradicted', `Contradicted: the claim says there is no ${name}, but the new build sets it to ${found.map(shown).join(', ')} (${matching.map(where).join('; ')}).`);
  }
  const outcomes = matching.map((fact) => valueMatches(claim.value, fact.value));
  const places = matching.length === 1 ? '' : ` in all ${matching.length} places that set it`;
  if (outcomes.every((outcome) => outcome === true)) return result('confirmed', `Confirmed: ${name} is ${found.map(shown).join(', ')} in the new build${places} (claimed: ${claim.value}).`);
  if (outcomes.every((outcome) => outcome === false)) {
    return result('contradicted', `Contradicted: the claim says ${name} is ${claim.value}, but in the new build it is ${found.map(shown).join(', ')}${places} (${matching.map(where).join('; ')}).`);
  }
  if (outcomes.includes(null) && !outcomes.includes(false)) return result('cannot tell', `Cannot tell: ${name} is set in the new build, but its value could not be resolved (${matching.map(where).join('; ')}).`);
  return result('cannot tell', `Cannot tell: ${name} is set ${matching.length} times in the new build with different values (${matching.map((fact) => `${shown(fact.value)} in ${where(fact)}`).join('; ')}).`);
}
