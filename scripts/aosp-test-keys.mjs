// Writes electron/engine/android/signing/aospTestKeys.ts: AOSP's public test certificates, the
// `*.x509.pem` files ever published in build/make/target/product/security/ (testkey, platform,
// shared, media, networkstack, … and the APEX container keys kept there for a while), each with
// the commit it was read from and its SHA-256 as OpenSSL states it.
//
//   node scripts/aosp-test-keys.mjs GIT_DIR
//
// GIT_DIR is a clone (or bare git directory) of AOSP's platform/build (build/make), e.g. the
// GitHub mirror aosp-mirror/platform_build. Needs git and openssl. The certificates are public;
// their private keys are too (the .pk8 files beside them), which is why an app signed with one is
// signed with a key anyone holds.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [gitDir] = process.argv.slice(2);
if (gitDir === undefined) throw new Error('usage: node scripts/aosp-test-keys.mjs GIT_DIR');
const FOLDER = 'target/product/security';
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

const paths = [...new Set(git('log', '--all', '--format=', '--name-only', '--diff-filter=A', '--', `${FOLDER}/*.x509.pem`).split('\n').filter(Boolean))].sort();
const keys = new Map();
for (const path of paths) {
  // The newest commit that has the file: HEAD when it is still there, else the parent of its removal.
  const removal = git('log', '--all', '-1', '--format=%H', '--diff-filter=D', '--', path).trim();
  const commit = removal === '' ? git('log', '-1', '--format=%H', 'HEAD', '--', path).trim() : git('rev-parse', `${removal}^`).trim();
  if (commit === '') continue;
  const pem = git('show', `${commit}:${path}`);
  const fingerprint = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], { input: pem, encoding: 'utf8' });
  const sha256 = /=([0-9A-F:]+)/.exec(fingerprint)?.[1]?.replace(/:/g, '').toLowerCase();
  if (sha256 === undefined) throw new Error(`openssl read no fingerprint from ${path}`);
  const name = path.slice(FOLDER.length + 1, -'.x509.pem'.length);
  // A certificate published under two names (supplemental_process, renamed sdk_sandbox) is listed once, newest name first.
  const existing = keys.get(sha256);
  if (existing === undefined || removal === '') keys.set(sha256, { name, sha256, path, commit, pem: pem.trim() });
}

const entries = [...keys.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
const out = `/**
 * AOSP's public test certificates: every \`*.x509.pem\` published in build/make/${FOLDER}/
 * (mirror: github.com/aosp-mirror/platform_build). Their private keys are published beside them, so
 * an app signed with one of these can be replaced by anyone. Written by scripts/aosp-test-keys.mjs;
 * do not edit. \`sha256\` is OpenSSL's SHA-256 fingerprint of the certificate.
 */
export interface AospTestKey {
  /** The key's name in AOSP: \`testkey\`, \`platform\`, \`shared\`, \`media\`, … */
  name: string;
  sha256: string;
  source: { path: string; commit: string };
  pem: string;
}

export const AOSP_TEST_KEYS: readonly AospTestKey[] = [
${entries.map((key) => `  {\n    name: ${JSON.stringify(key.name)},\n    sha256: '${key.sha256}',\n    source: { path: '${key.path}', commit: '${key.commit}' },\n    pem: \`${key.pem}\`,\n  },`).join('\n')}
];
`;
const target = join(import.meta.dirname, '..', 'electron', 'engine', 'android', 'signing', 'aospTestKeys.ts');
writeFileSync(target, out);
console.log(`wrote ${entries.length} certificates to ${target}`);
