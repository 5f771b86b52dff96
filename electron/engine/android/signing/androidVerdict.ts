/**
 * Whether an APK verifies, as apksig's ApkVerifier decides for the platform versions from the
 * app's minSdkVersion on: v3.1 when present, v3 for versions before 13 (or when there is no
 * v3.1), v2 before 9, v1 before 7.0 (or whenever nothing newer is there), each scheme checked in
 * full, then the checks across schemes (stripping protection, SDK ranges, the same signer in v1 and
 * v2, v3's lineage starting at the v1/v2 signer). Signers that fail a check across schemes get it
 * as their reason.
 */
import type { SignatureScheme } from '../../../../shared/app.js';
import type { SigningCertificate } from './certificate.js';

const N = 24;
const P = 28;
const T = 33;
const MAX_SDK = 0x7fffffff;

export interface OutcomeSigner {
  certificate: SigningCertificate;
  failure: string | null;
  /** Android ignores this v1 signer; the APK may verify through the others. */
  ignored?: boolean;
  sdkRange?: { min: number; max: number };
  lineage?: SigningCertificate[];
  requiredSchemes?: number[];
  rotationMinSdk?: number;
}

export interface SchemeOutcome {
  scheme: SignatureScheme;
  signers: OutcomeSigner[];
  /** Why the scheme fails beyond its signers. */
  failures: string[];
}

export interface Verdict {
  verified: boolean;
  failure?: string;
}

export function androidVerdict(outcomes: readonly SchemeOutcome[], minSdk: number): Verdict {
  const of = (scheme: SignatureScheme): SchemeOutcome | undefined => outcomes.find((outcome) => outcome.scheme === scheme);
  const [v1, v2, v3, v31] = [of('v1'), of('v2'), of('v3'), of('v3.1')];
  if (v2 !== undefined) checkStrippingProtection(v2, v3);
  if (v3 !== undefined) checkRotationMinSdk(v3, v31);
  if (v31 !== undefined && v3 === undefined) v31.failures.push('it has a v3.1 signature without the v3 signature Android needs beside it');
  const v31Start = v31 === undefined ? undefined : Math.min(...v31.signers.map((signer) => signer.sdkRange?.min ?? MAX_SDK));
  if (v3 !== undefined) checkSdkRanges(v3, Math.max(minSdk, P), v31Start === undefined ? MAX_SDK : v31Start - 1);
  if (v31 !== undefined) checkSdkRanges(v31, Math.max(minSdk, T), MAX_SDK);

  const checked: SchemeOutcome[] = [];
  if (v31 !== undefined) checked.push(v31);
  if (v3 !== undefined && (minSdk < T || checked.length === 0)) checked.push(v3);
  if (v2 !== undefined && (minSdk < P || checked.length === 0)) checked.push(v2);
  if (minSdk < N || checked.length === 0) {
    if (v1 !== undefined) checked.push(v1);
    else if (checked.length === 0) return { verified: false, failure: 'it is not signed' };
    else return { verified: false, failure: `it has no v1 signature, which the Android versions before 7.0 it supports (minSdkVersion ${minSdk}) need` };
  }
  for (const outcome of checked) {
    const failure = schemeFailure(outcome);
    if (failure !== undefined) return { verified: false, failure };
  }
  const crossFailure = acrossSchemes(checked.includes(v1 as SchemeOutcome) ? v1 : undefined, checked.includes(v2 as SchemeOutcome) ? v2 : undefined, checked.includes(v3 as SchemeOutcome) ? v3 : undefined);
  return crossFailure === undefined ? { verified: true } : { verified: false, failure: crossFailure };
}

/** Why a scheme does not verify, or undefined when it does. */
function schemeFailure(outcome: SchemeOutcome): string | undefined {
  if (outcome.failures.length > 0) return `${outcome.scheme}: ${outcome.failures[0]}`;
  const failing = outcome.signers.find((signer) => signer.failure !== null && signer.ignored !== true);
  if (failing !== undefined) return `${outcome.scheme} signer ${failing.certificate.subject}: ${failing.failure}`;
  if (!outcome.signers.some((signer) => signer.failure === null)) return `${outcome.scheme}: no signer verifies`;
  return undefined;
}

/** A v2 signer's stripping protection names v3: then the APK must have a v3 block. */
function checkStrippingProtection(v2: SchemeOutcome, v3: SchemeOutcome | undefined): void {
  for (const signer of v2.signers) {
    if (signer.requiredSchemes?.includes(3) === true && v3 === undefined) {
      signer.failure ??= 'it says the APK was also signed with v3, but the v3 signature is missing (stripped to downgrade the APK to v2)';
    }
  }
}

/** A v3 signer names the first version of the v3.1 signature: the v3.1 block must be there and agree. */
function checkRotationMinSdk(v3: SchemeOutcome, v31: SchemeOutcome | undefined): void {
  const v31Start = v31 === undefined ? undefined : Math.min(...v31.signers.map((signer) => signer.sdkRange?.min ?? MAX_SDK));
  for (const signer of v3.signers) {
    if (signer.rotationMinSdk === undefined) continue;
    if (v31Start === undefined) signer.failure ??= `it says a v3.1 signature takes over from API level ${signer.rotationMinSdk}, but the v3.1 signature is missing (stripped)`;
    else if (signer.rotationMinSdk !== v31Start) signer.failure ??= `it says the v3.1 signature takes over from API level ${signer.rotationMinSdk}, but it starts at ${v31Start}`;
  }
}

/** v3 and v3.1 signers must cover [from, to] without gaps or overlaps, their lineages only growing and agreeing. */
function checkSdkRanges(outcome: SchemeOutcome, from: number, to: number): void {
  const signers = [...outcome.signers].sort((a, b) => (a.sdkRange?.min ?? 0) - (b.sdkRange?.min ?? 0));
  for (let index = 1; index < signers.length; index++) {
    const previous = signers[index - 1] as OutcomeSigner;
    const current = signers[index] as OutcomeSigner;
    if ((current.sdkRange?.min ?? 0) !== (previous.sdkRange?.max ?? 0) + 1) {
      outcome.failures.push(`its ${outcome.scheme} signers' SDK ranges overlap or leave gaps`);
      return;
    }
    if ((current.lineage?.length ?? 0) < (previous.lineage?.length ?? 0) || !isPrefix(previous.lineage ?? [], current.lineage ?? [])) {
      outcome.failures.push(`its ${outcome.scheme} signers' rotation lineages disagree`);
      return;
    }
  }
  const first = signers[0]?.sdkRange;
  const last = signers.at(-1)?.sdkRange;
  if (first !== undefined && last !== undefined && (first.min > from || last.max < to)) {
    outcome.failures.push(`its ${outcome.scheme} signers cover API levels ${first.min} to ${describeSdk(last.max)}, not ${from} to ${describeSdk(to)}`);
  }
}

function isPrefix(shorter: readonly SigningCertificate[], longer: readonly SigningCertificate[]): boolean {
  return shorter.every((certificate, index) => longer[index]?.sha256 === certificate.sha256);
}

function describeSdk(level: number): string {
  return level === MAX_SDK ? 'the newest' : String(level);
}

/** apksig's checks between schemes that both verified: the same v1 and v2 signers; v3 rotating from them. */
function acrossSchemes(v1: SchemeOutcome | undefined, v2: SchemeOutcome | undefined, v3: SchemeOutcome | undefined): string | undefined {
  const certificatesOf = (outcome: SchemeOutcome): string[] => outcome.signers.filter((signer) => signer.failure === null).map((signer) => signer.certificate.sha256);
  if (v1 !== undefined && v2 !== undefined) {
    const [jar, block] = [certificatesOf(v1), certificatesOf(v2)];
    if (jar.some((sha256) => !block.includes(sha256)) || block.some((sha256) => !jar.includes(sha256))) return 'its v1 and v2 signatures are by different signers';
  }
  const past = v1 ?? v2;
  if (v3 === undefined || past === undefined) return undefined;
  const pastSigners = certificatesOf(past);
  if (pastSigners.length !== 1) return `v3 allows one earlier signer, but its ${past.scheme} signature has ${pastSigners.length}`;
  const lineage = v3.signers.reduce<SigningCertificate[]>((longest, signer) => ((signer.lineage?.length ?? 0) > longest.length ? (signer.lineage ?? []) : longest), []);
  if (lineage.length === 0) {
    if (v3.signers.length !== 1) return 'it has several v3 signers without a rotation lineage';
    if (v3.signers[0]?.certificate.sha256 !== pastSigners[0]) return `its v3 signer differs from its ${past.scheme} signer and no rotation lineage links them`;
  } else if (lineage[0]?.sha256 !== pastSigners[0]) {
    return `its v3 rotation lineage does not start with its ${past.scheme} signer`;
  }
  return undefined;
}
