/**
 * APK signers against apksigner (`apksigner verify --verbose --print-certs`), run in the test on the
 * committed fixtures (scripts/fixtures/build-signed-apks.mjs), on a third-party APK fetched with npm,
 * and on corrupted copies.
 *
 * apksigner prints the signers of the newest scheme it verified, so each scheme's signers come from
 * a run limited to the Android versions where that scheme is the newest: v1 up to API 23, v2 up to
 * API 27, v3 with no limit.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApkSigner, SignatureScheme } from '../../shared/app.js';
import { readApk } from '../../electron/engine/android/apkReader.js';
import { AOSP_TEST_KEYS } from '../../electron/engine/android/signing/aospTestKeys.js';
import { readApkSigners, type ApkSigners } from '../../electron/engine/android/signing/index.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import { ZipArchive } from '../../electron/engine/zip/zipArchive.js';
import { apksignerVerify } from '../support/apksigner.js';
import { REPO_ROOT, run, runWithInput, sha256, unzipMember, unzipNames } from '../support/oracles.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/signing');
const FIXTURE_APKS = [
  'rsa-v1v2v3.apk', 'ec-v1v2v3.apk', 'v1-only.apk', 'v2-only.apk', 'two-signers.apk', 'rotated-v3.apk', 'chain-v1v2v3.apk',
  'utf8-issuer-v1.apk', 'testkey-v1v2v3.apk', 'verity-v2v3.apk',
];
/** The fixtures' manifests say minSdkVersion 19, except these. */
const MIN_SDK: Record<string, number> = { 'v2-only.apk': 24, 'verity-v2v3.apk': 24 };
const temp = mkdtempSync(join(tmpdir(), 'otalens-signers-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

// ---------------------------------------------------------------- the apksigner oracle

interface ApksignerRun {
  schemes: Set<SignatureScheme>;
  signers: { certificateSha256: string; subject: string }[];
}

function apksigner(apk: string, options: string[] = []): ApksignerRun {
  const verdict = apksignerVerify(apk, options);
  if (!verdict.verifies) throw new Error(`apksigner does not verify ${apk}:\n${verdict.output}`);
  if (verdict.signers.length === 0) throw new Error(`apksigner printed no signer for ${apk}:\n${verdict.output}`);
  return verdict;
}

/** (scheme, digest, subject) of every signer, as apksigner sees them, one scheme at a time. */
function oracleSigners(apk: string): Pick<ApkSigner, 'scheme' | 'certificateSha256' | 'subject'>[] {
  const all = apksigner(apk);
  const expected: Pick<ApkSigner, 'scheme' | 'certificateSha256' | 'subject'>[] = [];
  const add = (scheme: SignatureScheme, runForScheme: ApksignerRun): void => {
    for (const signer of runForScheme.signers) expected.push({ scheme, ...signer });
  };
  if (all.schemes.has('v1')) {
    const v1 = apksigner(apk, ['--max-sdk-version', '23']);
    expect([...v1.schemes], 'the API ≤ 23 run verifies v1 only').toEqual(['v1']);
    add('v1', v1);
  }
  if (all.schemes.has('v2')) {
    const v2 = apksigner(apk, ['--max-sdk-version', '27']);
    expect(v2.schemes.has('v2') && !v2.schemes.has('v3'), 'the API ≤ 27 run verifies v2 and not v3').toBe(true);
    add('v2', v2);
  }
  if (all.schemes.has('v3')) add('v3', all);
  return expected;
}

/** Writes bytes to a temporary file (for apksigner) and returns its path. */
function written(bytes: Buffer, name: string): string {
  const path = join(mkdtempSync(join(temp, 'apk-')), name);
  writeFileSync(path, bytes);
  return path;
}

function keyed(signers: readonly Pick<ApkSigner, 'scheme' | 'certificateSha256' | 'subject'>[]): string[] {
  return signers.map((signer) => `${signer.scheme} ${signer.certificateSha256} ${signer.subject}`).sort();
}

/** minSdk 19, as the fixtures declare (v2-only.apk: 24, passed by its tests). */
async function signersOf(bytes: Buffer, name: string, minSdk = 19): Promise<ApkSigners> {
  const source = new BufferByteSource(name, bytes);
  const zip = await ZipArchive.open(source);
  try {
    return await readApkSigners(source, zip, { file: `/system/app/${name}`, minSdk });
  } finally {
    await zip.close();
  }
}

// ---------------------------------------------------------------- an independent look at the block

interface Pair {
  id: number;
  /** Offset of the pair's u64 length field. */
  offset: number;
  length: number;
}

interface BlockLayout {
  centralDirectoryOffset: number;
  endRecordOffset: number;
  blockOffset: number;
  pairs: Pair[];
}

/** The APK Signing Block's pairs, found the way the format describes them (APKs built here have no zip comment). */
function blockLayout(bytes: Buffer): BlockLayout {
  const endRecordOffset = bytes.length - 22;
  expect(bytes.readUInt32LE(endRecordOffset)).toBe(0x06054b50);
  const centralDirectoryOffset = bytes.readUInt32LE(endRecordOffset + 16);
  expect(bytes.toString('latin1', centralDirectoryOffset - 16, centralDirectoryOffset)).toBe('APK Sig Block 42');
  const size = Number(bytes.readBigUInt64LE(centralDirectoryOffset - 24));
  const blockOffset = centralDirectoryOffset - size - 8;
  const pairs: Pair[] = [];
  for (let at = blockOffset + 8; at < centralDirectoryOffset - 24; ) {
    const length = Number(bytes.readBigUInt64LE(at));
    pairs.push({ id: bytes.readUInt32LE(at + 8), offset: at, length });
    at += 8 + length;
  }
  return { centralDirectoryOffset, endRecordOffset, blockOffset, pairs };
}

const V2 = 0x7109871a;
const V3 = 0xf05368c0;
const V31 = 0x1b93ad61;

function pairOf(layout: BlockLayout, id: number): Pair {
  const pair = layout.pairs.find((candidate) => candidate.id === id);
  if (pair === undefined) throw new Error(`no pair ${id.toString(16)}`);
  return pair;
}

/** Offsets inside a v2/v3 pair value: signer list, first signer, its signed data, certificates, first certificate. */
function firstSignerFields(bytes: Buffer, pair: Pair): { signerLength: number; signedDataLength: number; certificatesLength: number; certificateLength: number } {
  const signerLength = pair.offset + 12 + 4; // after the pair header and the signer list's length
  const signedDataLength = signerLength + 4;
  const digestsLength = signedDataLength + 4;
  const certificatesLength = digestsLength + 4 + bytes.readUInt32LE(digestsLength);
  return { signerLength, signedDataLength, certificatesLength, certificateLength: certificatesLength + 4 };
}

/** The APK with its signing block replaced by one holding these pairs (central directory moved to follow it). */
function withSigningBlock(bytes: Buffer, pairs: { id: number; value: Buffer }[]): Buffer {
  const layout = blockLayout(bytes);
  const body = Buffer.concat(
    pairs.map(({ id, value }) => {
      const header = Buffer.alloc(12);
      header.writeBigUInt64LE(BigInt(value.length + 4), 0);
      header.writeUInt32LE(id, 8);
      return Buffer.concat([header, value]);
    }),
  );
  const size = BigInt(body.length + 24);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(size);
  const footer = Buffer.concat([Buffer.alloc(8), Buffer.from('APK Sig Block 42', 'latin1')]);
  footer.writeBigUInt64LE(size);
  const block = Buffer.concat([head, body, footer]);
  const tail = Buffer.from(bytes.subarray(layout.centralDirectoryOffset));
  tail.writeUInt32LE(layout.blockOffset + block.length, tail.length - 22 + 16);
  return Buffer.concat([bytes.subarray(0, layout.blockOffset), block, tail]);
}

// ---------------------------------------------------------------- tests

describe('readApkSigners against apksigner', () => {
  it('has every fixture the build script writes', () => {
    expect(readdirSync(FIXTURES).filter((name) => name.endsWith('.apk')).sort()).toEqual([...FIXTURE_APKS].sort());
  });

  for (const name of FIXTURE_APKS) {
    it(`reports the signers apksigner prints for ${name}, each verified`, async () => {
      const path = join(FIXTURES, name);
      const result = await signersOf(readFileSync(path), name, MIN_SDK[name]);
      expect(result.problems).toEqual([]);
      expect(keyed(result.signers)).toEqual(keyed(oracleSigners(path)));
      expect(result.signers.every((signer) => signer.verified && signer.failure === undefined)).toBe(true);
      expect(result.signing).toEqual({ verified: true, testKeys: name === 'testkey-v1v2v3.apk' ? ['testkey'] : [] });
    });
  }

  it('reports the v3 signer’s own certificate after a key rotation, and the old one for v1 and v2', async () => {
    const path = join(FIXTURES, 'rotated-v3.apk');
    const { signers } = await signersOf(readFileSync(path), 'rotated-v3.apk');
    const newest = apksigner(path).signers;
    const old = apksigner(path, ['--max-sdk-version', '27']).signers;
    expect(newest[0]?.certificateSha256).not.toBe(old[0]?.certificateSha256);
    expect(signers.filter((signer) => signer.scheme === 'v3').map((signer) => signer.certificateSha256)).toEqual([newest[0]?.certificateSha256]);
    expect(signers.filter((signer) => signer.scheme !== 'v3').map((signer) => signer.certificateSha256)).toEqual([old[0]?.certificateSha256, old[0]?.certificateSha256]);
    // The proof-of-rotation lineage links the old certificate to the new one, and it verified.
    const v3 = signers.find((signer) => signer.scheme === 'v3');
    expect(v3?.rotatedFrom).toEqual([old[0]?.certificateSha256]);
    expect(v3?.verified).toBe(true);
  });

  it('lists signers in scheme order, then by certificate digest', async () => {
    const { signers } = await signersOf(readFileSync(join(FIXTURES, 'two-signers.apk')), 'two-signers.apk');
    const order: SignatureScheme[] = ['v1', 'v2', 'v3', 'v3.1'];
    const sorted = [...signers].sort((a, b) => order.indexOf(a.scheme) - order.indexOf(b.scheme) || (a.certificateSha256 < b.certificateSha256 ? -1 : 1));
    expect(signers.map((signer) => signer.scheme)).toEqual(['v1', 'v1', 'v2', 'v2']);
    expect(signers).toEqual(sorted);
  });

  it('reads a third-party APK (io.appium.settings, fetched with npm pack) like apksigner', async () => {
    const folder = join(temp, 'npm');
    mkdirSync(folder);
    try {
      execFileSync('npm', ['pack', 'io.appium.settings@8.0.10', '--pack-destination', folder, '--silent'], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      throw new Error('npm pack io.appium.settings failed: the npm registry must be reachable for this test', { cause: error });
    }
    const tarball = readdirSync(folder).find((name) => name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error('npm pack wrote no tarball');
    run('tar', ['-xzf', join(folder, tarball), '-C', folder, 'package/apks/settings_apk-debug.apk']);
    const path = join(folder, 'package/apks/settings_apk-debug.apk');
    // The whole reader, so the app's own minSdkVersion decides which schemes Android checks.
    const app = await readApk(new BufferByteSource(basename(path), readFileSync(path)), { file: basename(path) });
    expect(app.problems).toEqual([]);
    expect(keyed(app.signers)).toEqual(keyed(oracleSigners(path)));
    expect(app.signing.verified).toBe(apksignerVerify(path).verifies);
    expect(app.signing.verified).toBe(true);
  });

  it('verifies a v3.1 block (a copy of the v3 block under the v3.1 ID: this apksigner cannot write v3.1)', async () => {
    const path = join(FIXTURES, 'rotated-v3.apk');
    const original = readFileSync(path);
    const layout = blockLayout(original);
    const pairs = layout.pairs.map((pair) => ({ id: pair.id, value: original.subarray(pair.offset + 12, pair.offset + 8 + pair.length) }));
    const v3 = pairs.find((pair) => pair.id === V3);
    if (v3 === undefined) throw new Error('no v3 block');
    const bytes = withSigningBlock(original, [...pairs, { id: V31, value: v3.value }]);
    const oracle = oracleSigners(path);
    const expected = [...oracle, ...oracle.filter((signer) => signer.scheme === 'v3').map((signer) => ({ ...signer, scheme: 'v3.1' as const }))];
    const result = await signersOf(bytes, 'v31.apk');
    expect(result.problems).toEqual([]);
    expect(result.signers.map((signer) => signer.scheme)).toEqual(['v1', 'v2', 'v3', 'v3.1']);
    expect(keyed(result.signers)).toEqual(keyed(expected));
    expect(result.signers.every((signer) => signer.verified)).toBe(true);
    expect(result.signing.verified).toBe(true);
  });

  it('refuses a v3.1 block without the v3 block beside it', async () => {
    const bytes = Buffer.from(readFileSync(join(FIXTURES, 'rotated-v3.apk')));
    bytes.writeUInt32LE(V31, pairOf(blockLayout(bytes), V3).offset + 8);
    const result = await signersOf(bytes, 'v31-only.apk');
    expect(result.signing.verified).toBe(false);
    expect(result.signing.failure).toMatch(/v3\.1 signature without the v3 signature/);
  });
});

// ---------------------------------------------------------------- tampered after signing

/**
 * The tampered fixtures (scripts/fixtures/build-signed-apks.mjs), each with what its change
 * breaks: the scheme Android reports first, a pattern apksigner's first error must match, and one
 * OTA Lens's reason must match (the same fact in other words). `null` where apksigner verifies.
 */
const TAMPERED: Record<string, { minSdk: number; scheme: SignatureScheme; apksigner: RegExp; ours: RegExp } | null> = {
  'v1-entry-changed.apk': { minSdk: 19, scheme: 'v1', apksigner: /SHA-256 digest of assets\/notice\.txt does not match the digest specified in META-INF\/MANIFEST\.MF/, ours: /SHA-256 digest of "assets\/notice\.txt" does not match MANIFEST\.MF/ },
  'v2-entry-changed.apk': { minSdk: 24, scheme: 'v2', apksigner: /^APK Signature Scheme v2 signer #1: APK integrity check failed\. CHUNKED_SHA256 digest mismatch/, ours: /SHA-256 content digest does not match/ },
  'v1v2v3-entry-changed.apk': { minSdk: 19, scheme: 'v3', apksigner: /^APK Signature Scheme v3 signer #1: APK integrity check failed\. CHUNKED_SHA256 digest mismatch/, ours: /SHA-256 content digest does not match/ },
  'v1-sf-edited.apk': { minSdk: 19, scheme: 'v1', apksigner: /JAR signature META-INF\/VENDOR\.RSA did not verify against META-INF\/VENDOR\.SF/, ours: /signature over the \.SF file does not verify/ },
  'v1-signature-flipped.apk': { minSdk: 19, scheme: 'v1', apksigner: /JAR signature META-INF\/VENDOR\.RSA did not verify against META-INF\/VENDOR\.SF/, ours: /signature over the \.SF file does not verify/ },
  'v2-signature-flipped.apk': { minSdk: 24, scheme: 'v2', apksigner: /^APK Signature Scheme v2 signer #1: RSA_PKCS1_V1_5_WITH_SHA256 signature over signed-data did not verify/, ours: /RSASSA-PKCS1-v1_5 with SHA2-256 signature over the signed data does not verify/ },
  'v1v2v3-v3-signature-flipped.apk': { minSdk: 19, scheme: 'v3', apksigner: /^APK Signature Scheme v3 signer #1: RSA_PKCS1_V1_5_WITH_SHA256 signature over signed-data did not verify/, ours: /RSASSA-PKCS1-v1_5 with SHA2-256 signature over the signed data does not verify/ },
  'v1-certificate-swapped.apk': { minSdk: 19, scheme: 'v1', apksigner: /Signing certificate referenced in SignerInfo not found in SignedData/, ours: /names a certificate \(issuer and serial number\) that the signature block does not hold/ },
  'v2-certificate-swapped.apk': { minSdk: 24, scheme: 'v2', apksigner: /^APK Signature Scheme v2 signer #1: Public key mismatch between certificate and signature record/, ours: /its public key is not the key of its certificate/ },
  'v1-issuer-printablestring.apk': null,
  'v1v2v3-stripped-to-v1.apk': { minSdk: 19, scheme: 'v1', apksigner: /indicates the APK is signed using APK Signature Scheme v2 but no such signature was found\. Signature stripped\?/, ours: /says the APK was also signed with v2 and v3, but that signature is missing \(stripped/ },
  'v1v2v3-v3-stripped.apk': { minSdk: 19, scheme: 'v2', apksigner: /^APK Signature Scheme v2 signer #1: .*indicates the APK is signed using APK Signature Scheme v3 but no such signature was found\. Signature stripped\?/, ours: /says the APK was also signed with v3, but the v3 signature is missing \(stripped/ },
  'rotated-lineage-broken.apk': { minSdk: 19, scheme: 'v3', apksigner: /^APK Signature Scheme v3 signer #1: SigningCertificateLineage attribute containd a proof-of-rotation record with signature\(s\) that did not verify/, ours: /certificate 2 of its proof-of-rotation lineage is not signed by certificate 1/ },
  'v1-orphan-block.apk': null,
  'v1-janus.apk': null,
};

describe('tampered APKs: OTA Lens and apksigner reach the same verdict for the same reason', () => {
  it('has every tampered fixture the build script writes', () => {
    expect(readdirSync(join(FIXTURES, 'tampered')).sort()).toEqual(Object.keys(TAMPERED).sort());
  });

  for (const [name, expected] of Object.entries(TAMPERED)) {
    it(`${name}: ${expected === null ? 'verifies' : `${expected.scheme} fails`}, as apksigner says`, async () => {
      const path = join(FIXTURES, 'tampered', name);
      const oracle = apksignerVerify(path);
      const result = await signersOf(readFileSync(path), name, expected?.minSdk);
      expect(result.signing.verified, result.signing.failure).toBe(oracle.verifies);
      if (expected === null) {
        expect(oracle.verifies, oracle.output).toBe(true);
        return;
      }
      expect(oracle.verifies).toBe(false);
      expect(oracle.errors[0], oracle.output).toMatch(expected.apksigner);
      expect(result.signing.failure?.startsWith(`${expected.scheme}`), result.signing.failure).toBe(true);
      expect(result.signing.failure).toMatch(expected.ours);
      // The signer that fails says why; the problem list says the APK does not verify.
      expect(result.signers.some((signer) => signer.scheme === expected.scheme && !signer.verified && expected.ours.test(signer.failure ?? '')) || expected.ours.test(result.signing.failure ?? '')).toBe(true);
      expect(result.problems.some((problem) => problem.message.includes('the signatures do not verify as Android checks them'))).toBe(true);
    });
  }

  it('matches a v1 signer whose SignerInfo spells the issuer with PrintableStrings to its UTF8String certificate, as Android does', async () => {
    const path = join(FIXTURES, 'tampered', 'v1-issuer-printablestring.apk');
    const blockName = unzipNames(path).find((member) => /^META-INF\/.+\.RSA$/.test(member)) ?? '';
    // The fixture really spells the name two ways: openssl sees both string types in the block.
    const parsed = runWithInput('openssl', ['asn1parse', '-inform', 'DER'], unzipMember(path, blockName));
    expect(parsed).toMatch(/UTF8STRING\s+:UTF8 Signer/);
    expect(parsed).toMatch(/PRINTABLESTRING\s+:UTF8 Signer/);
    const oracle = apksignerVerify(path);
    const result = await signersOf(readFileSync(path), 'issuer.apk');
    expect(oracle.verifies).toBe(true);
    expect(keyed(result.signers)).toEqual(keyed(oracle.signers.map((signer) => ({ scheme: 'v1' as const, ...signer }))));
    expect(result.signers.map((signer) => signer.verified)).toEqual([true]);
  });

  it('reports a signature block without its .SF as a problem, not a signer', async () => {
    const path = join(FIXTURES, 'tampered', 'v1-orphan-block.apk');
    const oracle = apksignerVerify(path);
    expect(oracle.warnings.some((warning) => /META-INF\/EXTRA\.RSA.*without .*EXTRA\.SF|EXTRA\.SF/.test(warning)), oracle.output).toBe(true);
    const result = await signersOf(readFileSync(path), 'orphan.apk');
    expect(keyed(result.signers)).toEqual(keyed(oracle.signers.map((signer) => ({ scheme: 'v1' as const, ...signer }))));
    expect(result.problems.map((problem) => problem.message)).toEqual([
      '/system/app/orphan.apk: apk › META-INF/EXTRA.RSA: signature block file without its META-INF/EXTRA.SF: it signs nothing and is not a signer (expected META-INF/EXTRA.SF)',
    ]);
  });

  it('flags a DEX in front of the first entry (Janus, CVE-2017-13156) as a security problem, though apksigner accepts the signature', async () => {
    const path = join(FIXTURES, 'tampered', 'v1-janus.apk');
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('dex\n');
    expect(apksignerVerify(path).verifies).toBe(true);
    const app = await readApk(new BufferByteSource('janus.apk', bytes), { file: '/system/app/Janus/Janus.apk' });
    expect(app.signing.verified).toBe(true);
    expect(app.problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^\/system\/app\/Janus\/Janus\.apk: apk: security risk: 512 bytes of a DEX file come before the first zip entry, the Janus pattern \(CVE-2017-13156\)\. This APK is signed with v1 only/),
    ]);
  });
});

describe('AOSP public test keys', () => {
  it('stores each certificate with the SHA-256 OpenSSL computes for it, readable by Node too', () => {
    expect(AOSP_TEST_KEYS.map((key) => key.name)).toEqual(expect.arrayContaining(['testkey', 'platform', 'shared', 'media', 'networkstack']));
    for (const key of AOSP_TEST_KEYS) {
      const fingerprint = runWithInput('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], key.pem);
      expect(fingerprint.trim(), key.name).toBe(`sha256 Fingerprint=${key.sha256.toUpperCase().match(/../g)?.join(':')}`);
      expect(new X509Certificate(key.pem).fingerprint256.replace(/:/g, '').toLowerCase(), key.name).toBe(key.sha256);
      expect(key.source.path).toBe(`target/product/security/${key.name}.x509.pem`);
    }
  });

  it('names the test key an APK signed with AOSP’s testkey uses, in every scheme', async () => {
    const path = join(FIXTURES, 'testkey-v1v2v3.apk');
    const pem = join(FIXTURES, 'keys', 'aosp-testkey.x509.pem');
    const expected = run('openssl', ['x509', '-in', pem, '-noout', '-fingerprint', '-sha256']).trim().split('=')[1]?.replace(/:/g, '').toLowerCase();
    expect(apksignerVerify(path).signers.map((signer) => signer.certificateSha256)).toEqual([expected]);
    const result = await signersOf(readFileSync(path), 'testkey.apk');
    expect(result.signers.map((signer) => [signer.scheme, signer.certificateSha256, signer.testKey])).toEqual([
      ['v1', expected, 'testkey'],
      ['v2', expected, 'testkey'],
      ['v3', expected, 'testkey'],
    ]);
    expect(result.signing.testKeys).toEqual(['testkey']);
  });
});

describe('readApkSigners on odd but valid zips', () => {
  let expected: string[];
  beforeAll(() => {
    expected = keyed(oracleSigners(join(FIXTURES, 'rsa-v1v2v3.apk')));
  });

  it('finds the End of Central Directory record behind a zip comment', async () => {
    const bytes = readFileSync(join(FIXTURES, 'rsa-v1v2v3.apk'));
    const comment = Buffer.from('a comment that contains PK\x05\x06 on purpose', 'latin1');
    const withComment = Buffer.concat([bytes, comment]);
    withComment.writeUInt16LE(comment.length, bytes.length - 2);
    const result = await signersOf(withComment, 'comment.apk');
    expect(keyed(result.signers)).toEqual(expected);
    // A comment added after signing changes the End of Central Directory record, which v2 and v3 sign.
    expect(result.signing.verified).toBe(apksignerVerify(written(withComment, 'comment.apk')).verifies);
    expect(result.signing.failure).toMatch(/^v3 .*SHA-256 content digest does not match/);
  });

  it('follows a zip64 End of Central Directory record', async () => {
    const bytes = readFileSync(join(FIXTURES, 'rsa-v1v2v3.apk'));
    const { centralDirectoryOffset, endRecordOffset } = blockLayout(bytes);
    const entries = bytes.readUInt16LE(endRecordOffset + 10);
    const zip64Record = Buffer.alloc(56);
    zip64Record.writeUInt32LE(0x06064b50, 0);
    zip64Record.writeBigUInt64LE(44n, 4);
    zip64Record.writeUInt16LE(45, 12);
    zip64Record.writeUInt16LE(45, 14);
    zip64Record.writeBigUInt64LE(BigInt(entries), 24);
    zip64Record.writeBigUInt64LE(BigInt(entries), 32);
    zip64Record.writeBigUInt64LE(BigInt(endRecordOffset - centralDirectoryOffset), 40);
    zip64Record.writeBigUInt64LE(BigInt(centralDirectoryOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(endRecordOffset), 8);
    locator.writeUInt32LE(1, 16);
    const endRecord = Buffer.from(bytes.subarray(endRecordOffset));
    endRecord.writeUInt32LE(0xffffffff, 16);
    const zip64 = Buffer.concat([bytes.subarray(0, endRecordOffset), zip64Record, locator, endRecord]);
    const result = await signersOf(zip64, 'zip64.apk');
    expect(keyed(result.signers)).toEqual(expected);
    // Records inserted after signing: apksig does not read zip64 APKs at all, and the signed digests no longer match.
    const oracle = apksignerVerify(written(zip64, 'zip64.apk'));
    expect(oracle.output).toMatch(/Malformed APK: not a ZIP archive/);
    expect(result.signing.verified).toBe(oracle.verifies);
  });
});

describe('readApkSigners on corrupt input', () => {
  const original = (): Buffer => Buffer.from(readFileSync(join(FIXTURES, 'rsa-v1v2v3.apk')));
  let oracle: Pick<ApkSigner, 'scheme' | 'certificateSha256' | 'subject'>[];
  beforeAll(() => {
    oracle = oracleSigners(join(FIXTURES, 'rsa-v1v2v3.apk'));
  });
  const only = (...schemes: SignatureScheme[]): string[] => keyed(oracle.filter((signer) => schemes.includes(signer.scheme)));

  async function expectProblem(bytes: Buffer, format: string, offset: number, stillReported: SignatureScheme[]): Promise<ApkSigners> {
    const started = performance.now();
    const result = await signersOf(bytes, 'corrupt.apk');
    expect(performance.now() - started, 'no hang').toBeLessThan(2000);
    expect(keyed(result.signers)).toEqual(only(...stillReported));
    const messages = result.problems.map((problem) => problem.message);
    expect(messages.some((message) => message.startsWith(`/system/app/corrupt.apk: ${format} at offset ${offset}: `)), messages.join('\n')).toBe(true);
    expect(result.problems.every((problem) => problem.path === '/system/app/corrupt.apk')).toBe(true);
    return result;
  }

  it('reports an absurd block size and still reads v1', async () => {
    const bytes = original();
    const { centralDirectoryOffset } = blockLayout(bytes);
    bytes.writeBigUInt64LE(0xffffffffffffffffn, centralDirectoryOffset - 24);
    await expectProblem(bytes, 'apk › APK Signing Block', centralDirectoryOffset - 24, ['v1']);
  });

  it('reports block sizes that disagree', async () => {
    const bytes = original();
    const { blockOffset } = blockLayout(bytes);
    bytes.writeBigUInt64LE(bytes.readBigUInt64LE(blockOffset) + 8n, blockOffset);
    await expectProblem(bytes, 'apk › APK Signing Block', blockOffset, ['v1']);
  });

  it('reports a truncated block (sizes consistent, the pairs cut short)', async () => {
    const bytes = original();
    const layout = blockLayout(bytes);
    const v2 = pairOf(layout, V2);
    const cutAt = v2.offset + 8 + Math.floor(v2.length / 2);
    const newSize = BigInt(cutAt - layout.blockOffset - 8 + 24);
    const footer = Buffer.from(bytes.subarray(layout.centralDirectoryOffset - 24, layout.centralDirectoryOffset));
    footer.writeBigUInt64LE(newSize, 0);
    const head = Buffer.from(bytes.subarray(0, cutAt));
    head.writeBigUInt64LE(newSize, layout.blockOffset);
    const removed = layout.centralDirectoryOffset - 24 - cutAt;
    const tail = Buffer.from(bytes.subarray(layout.centralDirectoryOffset));
    tail.writeUInt32LE(layout.centralDirectoryOffset - removed, tail.length - 22 + 16);
    const truncated = Buffer.concat([head, footer, tail]);
    await expectProblem(truncated, 'apk › APK Signing Block', v2.offset, ['v1']);
  });

  it('reports an absurd pair length', async () => {
    const bytes = original();
    const v2 = pairOf(blockLayout(bytes), V2);
    bytes.writeBigUInt64LE(1n << 40n, v2.offset);
    await expectProblem(bytes, 'apk › APK Signing Block', v2.offset, ['v1']);
  });

  it('reports a v2 signer length past the end and still reads v1 and v3', async () => {
    const bytes = original();
    const fields = firstSignerFields(bytes, pairOf(blockLayout(bytes), V2));
    bytes.writeUInt32LE(0xfffffff0, fields.signerLength);
    await expectProblem(bytes, 'apk › APK Signing Block › v2', fields.signerLength, ['v1', 'v3']);
  });

  it('reports a v2 signed-data length past the end of its signer', async () => {
    const bytes = original();
    const fields = firstSignerFields(bytes, pairOf(blockLayout(bytes), V2));
    bytes.writeUInt32LE(bytes.readUInt32LE(fields.signerLength) + 1, fields.signedDataLength);
    await expectProblem(bytes, 'apk › APK Signing Block › v2 signer 1', fields.signedDataLength, ['v1', 'v3']);
  });

  it('reports a certificate length past the end of the certificate list', async () => {
    const bytes = original();
    const fields = firstSignerFields(bytes, pairOf(blockLayout(bytes), V2));
    bytes.writeUInt32LE(bytes.readUInt32LE(fields.certificateLength) + 1, fields.certificateLength);
    await expectProblem(bytes, 'apk › APK Signing Block › v2 signer 1', fields.certificateLength, ['v1', 'v3']);
  });

  it('reports a truncated certificate', async () => {
    const bytes = original();
    const fields = firstSignerFields(bytes, pairOf(blockLayout(bytes), V3));
    bytes.writeUInt32LE(100, fields.certificateLength);
    const result = await expectProblem(bytes, 'apk › APK Signing Block › v3 signer 1', fields.certificateLength + 4, ['v1', 'v2']);
    expect(result.problems.map((problem) => problem.message).join('\n')).toMatch(/certificate is not valid ASN\.1: End of input reached/);
  });

  it('reports a signer with an empty certificate list', async () => {
    const bytes = original();
    const fields = firstSignerFields(bytes, pairOf(blockLayout(bytes), V2));
    // Claim an empty list: the certificate bytes that follow become the (ignored) rest of the signed data.
    bytes.writeUInt32LE(0, fields.certificatesLength);
    await expectProblem(bytes, 'apk › APK Signing Block › v2 signer 1', fields.certificatesLength + 4, ['v1', 'v3']);
  });

  it('reports a hostile list of a hundred thousand broken signers in a few lines', async () => {
    const signers = Buffer.alloc(100_000 * 4); // each signer: a u32 length of 0, so no signed data
    const list = Buffer.concat([Buffer.alloc(4), signers]);
    list.writeUInt32LE(signers.length, 0);
    const started = performance.now();
    const result = await signersOf(withSigningBlock(original(), [{ id: V2, value: list }]), 'many.apk');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(keyed(result.signers)).toEqual(only('v1'));
    const messages = result.problems.map((problem) => problem.message);
    expect(messages).toHaveLength(13);
    expect(messages[0]).toMatch(/^\/system\/app\/many\.apk: apk › APK Signing Block › v2 signer 1 at offset \d+: truncated length of signed data/);
    expect(messages[10]).toMatch(/more than 1000 signers; the rest are not read/);
    expect(messages[11]).toMatch(/990 more unreadable signers/);
    expect(messages[12]).toMatch(/^\/system\/app\/many\.apk: apk: the signatures do not verify as Android checks them: /);
    expect(result.signing.verified).toBe(false);
  });

  it('never throws or hangs when bytes of the block are flipped anywhere', async () => {
    const pristine = original();
    const layout = blockLayout(pristine);
    let state = 12345;
    for (let round = 0; round < 300; round++) {
      const bytes = Buffer.from(pristine);
      for (let flips = 0; flips < 1 + (round % 4); flips++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        const at = layout.blockOffset + (state % (layout.centralDirectoryOffset - layout.blockOffset));
        bytes[at] = (bytes[at] as number) ^ (1 << (state >>> 29));
      }
      const result = await signersOf(bytes, 'flipped.apk');
      // v1 lives outside the block and must survive. (A flip inside a certificate can leave a
      // different but well-formed certificate: its signer is listed, and fails verification.)
      expect(keyed(result.signers.filter((signer) => signer.scheme === 'v1'))).toEqual(only('v1'));
      for (const problem of result.problems) expect(problem.message).toMatch(/^\/system\/app\/flipped\.apk: apk(?: › APK Signing Block.* at offset \d+|: the signatures do not verify as Android checks them): /);
    }
  });
});

describe('readApkSigners on v1 signature block files', () => {
  /** The fixture's members, with META-INF/A.RSA... replaced, zipped again by Info-ZIP (no APK Signing Block then). */
  function rezipped(replace: (blockFile: Buffer) => Buffer): { bytes: Buffer; blockName: string } {
    const apk = join(FIXTURES, 'v1-only.apk');
    const folder = mkdtempSync(join(temp, 'v1-'));
    const names = unzipNames(apk);
    const blockName = names.find((name) => /^META-INF\/[^/]+\.RSA$/.test(name));
    if (blockName === undefined) throw new Error('no .RSA in the v1 fixture');
    for (const name of names) {
      mkdirSync(join(folder, name, '..'), { recursive: true });
      const content = unzipMember(apk, name);
      writeFileSync(join(folder, name), name === blockName ? replace(content) : content);
    }
    run('zip', ['-q', '-X', '-r', join(folder, 'out.zip'), ...names], folder);
    return { bytes: readFileSync(join(folder, 'out.zip')), blockName };
  }

  it('reads the signer of an intact block file (control)', async () => {
    const { bytes } = rezipped((content) => content);
    const result = await signersOf(bytes, 'v1.apk');
    expect(result.problems).toEqual([]);
    expect(keyed(result.signers)).toEqual(keyed(oracleSigners(join(FIXTURES, 'v1-only.apk'))));
  });

  it('reports a truncated PKCS#7 block naming the member and the offset', async () => {
    const { bytes, blockName } = rezipped((content) => content.subarray(0, 700));
    const result = await signersOf(bytes, 'v1.apk');
    expect(result.signers).toEqual([]);
    const messages = result.problems.map((problem) => problem.message).join('\n');
    expect(messages).toMatch(new RegExp(`^/system/app/v1\\.apk: apk › ${blockName.replace('.', '\\.')}: signature block is not valid ASN\\.1: `, 'm'));
    expect(messages).toMatch(/the signatures do not verify as Android checks them: v1: META-INF\/VENDOR\.RSA cannot be read/);
  });

  it('refuses a nesting bomb of indefinite lengths quickly', async () => {
    const { bytes } = rezipped(() => Buffer.alloc(200_000, Buffer.from([0x30, 0x80])));
    const started = performance.now();
    const result = await signersOf(bytes, 'v1.apk');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.signers).toEqual([]);
    expect(result.problems.map((problem) => problem.message).join('\n')).toMatch(/signature block is not valid ASN\.1: Maximum ASN\.1 nesting depth exceeded/);
  });

  it('reports an absurd DER length', async () => {
    const { bytes } = rezipped((content) => Buffer.concat([Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]), content.subarray(4)]));
    const result = await signersOf(bytes, 'v1.apk');
    expect(result.signers).toEqual([]);
    expect(result.problems.map((problem) => problem.message).join('\n')).toMatch(/apk › META-INF\/VENDOR\.RSA: signature block is not valid ASN\.1: /);
  });
});

describe('readApkSigners on a zip that is not an APK', () => {
  it('reports no signers and a problem saying none were found', async () => {
    const folder = mkdtempSync(join(temp, 'plain-'));
    writeFileSync(join(folder, 'readme.txt'), 'not an app\n');
    run('zip', ['-q', '-X', join(folder, 'plain.zip'), 'readme.txt'], folder);
    const result = await signersOf(readFileSync(join(folder, 'plain.zip')), 'plain.zip');
    expect(result.signers).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.message).toMatch(/^\/system\/app\/plain\.zip: apk: no signature found: /);
  });
});

describe('build-signed-apks.mjs', () => {
  it('rebuilds the same fixtures: same members, same contents but signatures, same signers', () => {
    const out = join(temp, 'rebuilt');
    run('node', [join(REPO_ROOT, 'scripts/fixtures/build-signed-apks.mjs'), out]);
    expect(readdirSync(out).filter((name) => name.endsWith('.apk')).sort()).toEqual([...FIXTURE_APKS].sort());
    // The tampered copies come from the RSA fixtures, whose signatures are deterministic: byte for byte.
    expect(readdirSync(join(out, 'tampered')).sort()).toEqual(Object.keys(TAMPERED).sort());
    for (const name of Object.keys(TAMPERED)) expect(sha256(readFileSync(join(out, 'tampered', name))), name).toBe(sha256(readFileSync(join(FIXTURES, 'tampered', name))));
    for (const name of FIXTURE_APKS) {
      const committed = join(FIXTURES, name);
      const rebuilt = join(out, name);
      const names = unzipNames(committed);
      expect(unzipNames(rebuilt), name).toEqual(names);
      // ECDSA signatures are randomised; every other member is the same byte for byte.
      for (const member of names.filter((member) => !member.endsWith('.EC'))) {
        expect(sha256(unzipMember(rebuilt, member)), `${name} › ${member}`).toBe(sha256(unzipMember(committed, member)));
      }
      const [before, after] = [apksigner(committed), apksigner(rebuilt)];
      expect([...after.schemes], name).toEqual([...before.schemes]);
      expect(after.signers, name).toEqual(before.signers);
    }
  }, 120_000);
});
