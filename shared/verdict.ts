/**
 * Feature verdicts: for each privacy-relevant feature, whether it is on by default on each side,
 * the evidence, and what changed. Pure types.
 */

/** How a feature ships: on unless the user turns it off, off until the user turns it on, missing, or undecidable. */
export type FeatureState = 'default-on' | 'opt-in' | 'absent' | 'unknown';

export const FEATURE_STATES: readonly FeatureState[] = ['default-on', 'opt-in', 'absent', 'unknown'];

export type FeatureChange = 'now-opt-in' | 'now-default-on' | 'unchanged' | 'removed' | 'added' | 'unknown';

/** One thing found in the firmware that supports a verdict. */
export interface Evidence {
  /** Device path, entering archives with `!/`, e.g. `/system/app/Mms/Mms.apk!/res/xml/preferences.xml`. */
  path: string;
  /** What was found: the preference key, setting, property, app package or granted permission. */
  subject: string;
  /** What was found there, in words: key, title, value and where the value comes from. */
  detail: string;
  /** 1-based line in the file (decoded XML for binary XML), when there is one. */
  line?: number;
  /** What this piece of evidence alone says. */
  state: FeatureState;
}

export interface SideVerdict {
  state: FeatureState;
  evidence: Evidence[];
}

export interface FeatureVerdict {
  id: string;
  title: string;
  whyItMatters: string;
  old: SideVerdict;
  new: SideVerdict;
  change: FeatureChange;
  /** One plain sentence, e.g. "Mi Cloud Messaging was on by default and is now opt-in." */
  summary: string;
  /** Whether the change reaches phones already in use; present when the default changed. */
  reachNote?: string;
}

export type DefaultChangeKind = 'preference' | 'setting' | 'property';

/** A boolean-like default that flipped in something whose name sounds privacy-relevant. */
export interface DefaultChange {
  kind: DefaultChangeKind;
  /** Preference key, setting resource name or property name. */
  name: string;
  /** Preference title, when there is one. */
  title: string | null;
  /** The app, for preferences. */
  package: string | null;
  old: string | null;
  new: string | null;
  evidence: { old: Evidence | null; new: Evidence | null };
}

export type ClaimVerdict = 'confirmed' | 'contradicted' | 'cannot tell';

/** A claim about the new build (`cloud-messaging=opt-in`), checked against the evidence. */
export interface ClaimCheck {
  feature: string;
  claimed: FeatureState;
  actual: FeatureState;
  verdict: ClaimVerdict;
  summary: string;
  evidence: Evidence[];
}
