/**
 * Who signs the apps of two builds, in findings a reviewer reads first: apps signed with AOSP's
 * public test keys, apps whose signatures do not verify, apps that gained or lost the platform key,
 * apps signed by someone else than before. Every app of both builds counts, changed or not.
 */
import type { AppModel } from './app.js';
import type { SigningFinding, SigningFindingKind } from './appDiff.js';
import { compareStrings } from './sort.js';

export interface SignedApp {
  path: string;
  app: AppModel;
}

const KIND_ORDER: readonly SigningFindingKind[] = ['test-key', 'not-verified', 'platform-signed', 'signer-changed'];
const BUILDS_ORDER: readonly SigningFinding['builds'][] = ['new', 'both', 'old'];

/** `sameSigners` decides whether two signer lists are the same certificates. */
export function signingFindings(
  before: readonly SignedApp[],
  after: readonly SignedApp[],
  sameSigners: (a: AppModel['signers'], b: AppModel['signers']) => boolean,
): SigningFinding[] {
  const old = new Map(before.map((read) => [read.app.package, read]));
  const findings: SigningFinding[] = [];
  const add = (read: SignedApp, kind: SigningFindingKind, builds: SigningFinding['builds'], summary: string, testKeys?: string[]): void => {
    const finding: SigningFinding = { kind, package: read.app.package, label: read.app.label, path: read.path, builds, summary };
    if (testKeys !== undefined) finding.testKeys = testKeys;
    findings.push(finding);
  };
  for (const current of after) {
    const { app } = current;
    const previous = old.get(app.package)?.app;
    const name = appName(app);
    const keys = app.signing.testKeys;
    if (keys.length > 0) {
      const wasTestKey = (previous?.signing.testKeys.length ?? 0) > 0;
      const how = wasTestKey ? 'as in the old build' : previous === undefined ? 'an app the old build does not have' : 'the old build’s was signed with another key';
      add(current, 'test-key', wasTestKey ? 'both' : 'new', `${name} is signed with AOSP's public test ${plural(keys, 'key')} ${keys.join(', ')} (${how}): anyone can sign an update that replaces it.`, keys);
    } else if (previous !== undefined && previous.signing.testKeys.length > 0) {
      add(current, 'test-key', 'old', `${name} is no longer signed with a public test key (the old build's was signed with ${previous.signing.testKeys.join(', ')}).`, previous.signing.testKeys);
    }
    if (!app.signing.verified) {
      const wasBroken = previous !== undefined && !previous.signing.verified;
      add(current, 'not-verified', wasBroken ? 'both' : 'new', `${name}'s signatures do not verify${wasBroken ? ', as in the old build' : ''}: ${app.signing.failure ?? 'no reason given'}.`);
    } else if (previous !== undefined && !previous.signing.verified) {
      add(current, 'not-verified', 'old', `${name}'s signatures verify now; in the old build they did not.`);
    }
    if (app.signing.platformSigned === true && (previous === undefined || previous.signing.platformSigned === false)) {
      add(current, 'platform-signed', 'new', `${name} ${previous === undefined ? 'is new and holds' : 'now holds'} the platform key (it is signed like framework-res.apk), so it can hold the system's signature permissions.`);
    } else if (app.signing.platformSigned === false && previous?.signing.platformSigned === true) {
      add(current, 'platform-signed', 'old', `${name} no longer holds the platform key (it was signed like framework-res.apk in the old build).`);
    }
    if (previous !== undefined && !sameSigners(previous.signers, app.signers)) {
      add(current, 'signer-changed', 'both', `${name} is signed with other certificates than in the old build: it cannot update the old app in place unless a rotation lineage links them.`);
    }
  }
  return findings.sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || BUILDS_ORDER.indexOf(a.builds) - BUILDS_ORDER.indexOf(b.builds) || compareStrings(a.package, b.package) || compareStrings(a.path, b.path),
  );
}

function appName(app: AppModel): string {
  return app.label === null ? app.package : `${app.label} (${app.package})`;
}

function plural(items: readonly string[], word: string): string {
  return items.length === 1 ? word : `${word}s`;
}

/** The findings a summary leads with: apps of the new build signed with a public test key. */
export function leadingFindings(findings: readonly SigningFinding[]): SigningFinding[] {
  return findings.filter((finding) => finding.kind === 'test-key' && finding.builds !== 'old');
}

/** The rest, shown after the verdicts. */
export function otherFindings(findings: readonly SigningFinding[]): SigningFinding[] {
  const leading = new Set(leadingFindings(findings));
  return findings.filter((finding) => !leading.has(finding));
}
