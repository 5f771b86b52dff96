/**
 * The v1 scheme (JAR signing) verified as apksig's V1SchemeVerifier verifies it: each signature
 * block file (`META-INF/*.RSA|DSA|EC`) against its `.SF`, each `.SF` against MANIFEST.MF (whole,
 * main section, per-entry sections), the `X-Android-APK-Signed` guard against stripped v2+
 * signatures, and every entry outside META-INF against its digests in MANIFEST.MF, signed by the
 * same signers. A block file without its `.SF` is a problem, not a signer.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../../errors.js';
import type { ZipArchive, ZipMember } from '../../zip/zipArchive.js';
import type { SigningCertificate } from './certificate.js';
import { attributeValue, digestsToVerify, mismatchedDigest, parseManifest, type ManifestSection, type NamedDigest } from './jarManifest.js';
import { verifySignatureBlock } from './pkcs7.js';

const MANIFEST = 'META-INF/MANIFEST.MF';
const SIGNATURE_BLOCK_FILE = /^META-INF\/.+\.(?:RSA|DSA|EC)$/;
/** A signature block or .SF file of a few MiB is no real signer's. */
const MAX_SIGNATURE_FILE_SIZE = 8 << 20;
/** MANIFEST.MF lists every entry; even huge apps stay far below this. */
const MAX_MANIFEST_SIZE = 64 << 20;
/** apksig gives up on more signers than this. */
const MAX_SIGNERS = 10;
const SCHEME_NAMES: Readonly<Record<number, string>> = { 2: 'v2', 3: 'v3' };

export interface JarSigner {
  /** The signature block file, e.g. `META-INF/CERT.RSA`. */
  blockFile: string;
  certificate: SigningCertificate;
  /** Why this signer does not verify the APK; null when it does. */
  failure: string | null;
  /** Android ignores this signer (and may still accept the APK through another one). */
  ignored: boolean;
}

interface SignatureFileCheck {
  failure: string | null;
  ignored: boolean;
  /** The entries the .SF file lists. */
  entries: ReadonlySet<string>;
}

export interface JarVerification {
  signers: JarSigner[];
  /** Why v1 as a whole fails, when it does beyond its listed signers. */
  failures: string[];
}

/** Null when the APK has no v1 signature (no signature block file in META-INF). */
export async function verifyJarSignature(
  zip: ZipArchive,
  file: string,
  minSdk: number,
  foundSchemes: ReadonlySet<number>,
  report: (error: InputError) => void,
): Promise<JarVerification | null> {
  const blockFiles = zip.members.filter((member) => !member.isDirectory && SIGNATURE_BLOCK_FILE.test(member.name));
  if (blockFiles.length === 0) return null;
  const failures: string[] = [];
  const fail = (reason: string): JarVerification => ({ signers: [], failures: [...failures, reason] });
  const manifestMember = zip.get(MANIFEST);
  if (manifestMember === undefined) return fail('it has no META-INF/MANIFEST.MF');
  const manifestBytes = await readMember(zip, manifestMember, MAX_MANIFEST_SIZE, file, report);
  if (manifestBytes === null) return fail('its META-INF/MANIFEST.MF cannot be read');
  const manifest = parseManifest(manifestBytes);
  const manifestSections = indexSections(manifest.sections, zip, failures);
  if (zip.duplicateNames.length > 0) failures.push(`it has two entries named "${zip.duplicateNames[0]}", which Android refuses`);

  const signers: (JarSigner & { entries: ReadonlySet<string> })[] = [];
  for (const blockMember of blockFiles) {
    const signatureFileName = `${blockMember.name.slice(0, blockMember.name.lastIndexOf('.'))}.SF`;
    const signatureFileMember = zip.get(signatureFileName);
    if (signatureFileMember === undefined) {
      report(new InputError(`signature block file without its ${signatureFileName}: it signs nothing and is not a signer`, { file, format: `apk › ${blockMember.name}`, expected: signatureFileName }));
      continue;
    }
    if (signers.length === MAX_SIGNERS) {
      failures.push(`it has more than ${MAX_SIGNERS} v1 signers`);
      break;
    }
    const block = await readMember(zip, blockMember, MAX_SIGNATURE_FILE_SIZE, file, report);
    const signatureFile = await readMember(zip, signatureFileMember, MAX_SIGNATURE_FILE_SIZE, file, report);
    if (block === null || signatureFile === null) {
      failures.push(`${blockMember.name} or ${signatureFileName} cannot be read`);
      continue;
    }
    try {
      const outcome = verifySignatureBlock(block, signatureFile, { file, format: `apk › ${blockMember.name}` }, minSdk, report);
      if (outcome.certificate === null) {
        failures.push(`${blockMember.name} holds no certificate of its signer`);
        continue;
      }
      const check: SignatureFileCheck =
        outcome.failure === null
          ? checkSignatureFile(signatureFile, signatureFileName, manifestBytes, manifest.main, manifestSections, foundSchemes, minSdk)
          : { failure: outcome.failure, ignored: false, entries: new Set() };
      signers.push({ blockFile: blockMember.name, certificate: outcome.certificate, failure: check.failure, ignored: check.ignored, entries: check.entries });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      report(error);
      failures.push(`${blockMember.name} cannot be read: ${error.problem}`);
    }
  }
  if (signers.length === 0) return { signers: [], failures: [...failures, 'none of its signature block files has its .SF file'] };
  const good = signers.filter((signer) => signer.failure === null);
  if (good.length === 0 && signers.every((signer) => signer.ignored)) failures.push('Android ignores all of its v1 signers');
  if (good.length > 0 && failures.length === 0 && signers.every((signer) => signer.failure === null || signer.ignored)) {
    const outcome = await checkEntries(zip, file, manifestSections, good, minSdk, report);
    for (const signer of good) {
      if (outcome.failure !== null) signer.failure = outcome.failure;
      else if (!outcome.signers.has(signer.blockFile)) Object.assign(signer, { failure: `${signer.blockFile} signs none of the entries, so Android ignores it`, ignored: true });
    }
  }
  return { signers: signers.map(({ entries: _entries, ...signer }) => signer), failures };
}

async function readMember(zip: ZipArchive, member: ZipMember, limit: number, file: string, report: (error: InputError) => void): Promise<Buffer | null> {
  try {
    return await zip.readAll(member, limit, { otherMethods: 'inflate' });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    report(new InputError(error.problem, { file, format: `apk › ${member.name}`, offset: error.offset, expected: error.expected }));
    return null;
  }
}

/** MANIFEST.MF's entry sections by name; unnamed, repeated or dangling sections are failures. */
function indexSections(sections: readonly ManifestSection[], zip: ZipArchive, failures: string[]): Map<string, ManifestSection> {
  const byName = new Map<string, ManifestSection>();
  sections.forEach((section, index) => {
    if (section.name === null) failures.push(`section ${index + 1} of MANIFEST.MF has no name`);
    else if (byName.has(section.name)) failures.push(`MANIFEST.MF lists "${section.name}" twice`);
    else if (zip.get(section.name) === undefined) failures.push(`MANIFEST.MF lists "${section.name}", which the APK does not have`);
    else byName.set(section.name, section);
  });
  return byName;
}

/** A .SF file against MANIFEST.MF (apksig's verifySigFileAgainstManifest); the reason it fails, or null. */
function checkSignatureFile(
  signatureFile: Buffer,
  signatureFileName: string,
  manifestBytes: Buffer,
  manifestMain: ManifestSection | null,
  manifestSections: ReadonlyMap<string, ManifestSection>,
  foundSchemes: ReadonlySet<number>,
  minSdk: number,
): SignatureFileCheck {
  const names = new Set<string>();
  const fails = (failure: string): SignatureFileCheck => ({ failure, ignored: false, entries: names });
  const ignored = (failure: string): SignatureFileCheck => ({ failure: `${failure}, so Android ignores this signer`, ignored: true, entries: names });
  const parsed = parseManifest(signatureFile);
  const main = parsed.main;
  if (main === null || attributeValue(main, 'Signature-Version') === undefined) return ignored(`${signatureFileName} has no Signature-Version`);
  const stripped = strippedSchemes(attributeValue(main, 'X-Android-APK-Signed'), foundSchemes);
  if (stripped.length > 0) {
    return fails(`${signatureFileName} says the APK was also signed with ${stripped.map((id) => SCHEME_NAMES[id]).join(' and ')}, but that signature is missing (stripped to downgrade the APK to v1)`);
  }
  const bySigntool = (attributeValue(main, 'Created-By') ?? '').includes('signtool');
  const wholeDigests = digestsToVerify(main, bySigntool ? '-Digest' : '-Digest-Manifest', minSdk);
  const manifestVerified = wholeDigests.length > 0 && mismatchedDigest(wholeDigests, manifestBytes) === undefined;
  if (!bySigntool && manifestMain !== null) {
    const mainDigests = digestsToVerify(main, '-Digest-Manifest-Main-Attributes', minSdk);
    if (mismatchedDigest(mainDigests, manifestBytes.subarray(manifestMain.start, manifestMain.start + manifestMain.size)) !== undefined) {
      return fails(`the ${signatureFileName} digest of MANIFEST.MF's main attributes does not match: MANIFEST.MF was changed`);
    }
  }
  for (const [index, section] of parsed.sections.entries()) {
    if (section.name === null) return ignored(`section ${index + 1} of ${signatureFileName} has no name`);
    if (names.has(section.name)) return ignored(`${signatureFileName} lists "${section.name}" twice`);
    names.add(section.name);
    if (manifestVerified) continue;
    const manifestSection = manifestSections.get(section.name);
    if (manifestSection === undefined) return ignored(`${signatureFileName} lists "${section.name}", which MANIFEST.MF does not`);
    const digests = digestsToVerify(section, '-Digest', minSdk);
    if (digests.length === 0) return fails(`${signatureFileName} states no digest Android reads for "${section.name}"`);
    let size = manifestSection.size;
    const end = manifestSection.start + size;
    if (bySigntool && manifestBytes[end - 1] === 0x0a && manifestBytes[end - 2] === 0x0a) size--;
    const mismatch = mismatchedDigest(digests, manifestBytes.subarray(manifestSection.start, manifestSection.start + size));
    if (mismatch !== undefined) return fails(`the ${signatureFileName} ${mismatch.name} digest of the MANIFEST.MF section for "${section.name}" does not match: the manifest or the .SF file was changed`);
  }
  return { failure: null, ignored: false, entries: names };
}

/** The schemes `X-Android-APK-Signed` names (2 = v2, 3 = v3) that the APK lacks. */
function strippedSchemes(value: string | undefined, foundSchemes: ReadonlySet<number>): number[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((token) => Number.parseInt(token.trim(), 10))
    .filter((id) => SCHEME_NAMES[id] !== undefined && !foundSchemes.has(id));
}

/**
 * Every entry outside META-INF against MANIFEST.MF, in the order of their data (apksig's
 * verifyJarEntriesAgainstManifestAndSigners): each must have a section, be listed by the same
 * signers' .SF files, and match its digests. The reason v1 fails, or null.
 */
async function checkEntries(
  zip: ZipArchive,
  file: string,
  sections: ReadonlyMap<string, ManifestSection>,
  signers: readonly (JarSigner & { entries: ReadonlySet<string> })[],
  minSdk: number,
  report: (error: InputError) => void,
): Promise<{ failure: string | null; signers: ReadonlySet<string> }> {
  const entries = zip.members.filter((member) => !member.name.startsWith('META-INF/') && !member.isDirectory).sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  let firstSigners: string[] | null = null;
  const outcome = (failure: string | null) => ({ failure, signers: new Set(firstSigners ?? []) });
  for (const member of entries) {
    const section = sections.get(member.name);
    if (section === undefined) return outcome(`"${member.name}" is not in MANIFEST.MF: it is not protected by the v1 signature`);
    const entrySigners = signers.filter((signer) => signer.entries.has(member.name)).map((signer) => signer.blockFile);
    if (entrySigners.length === 0) return outcome(`"${member.name}" is not listed in any .SF file`);
    firstSigners ??= entrySigners;
    if (entrySigners.join(',') !== firstSigners.join(',')) return outcome(`"${member.name}" is signed by other v1 signers than the other entries`);
    const digests = digestsToVerify(section, '-Digest', minSdk);
    if (digests.length === 0) return outcome(`MANIFEST.MF states no digest Android reads for "${member.name}"`);
    const mismatch = await entryMismatch(zip, member, digests, file, report);
    if (mismatch !== null) return outcome(mismatch);
  }
  return outcome(firstSigners === null ? 'it has no entries the v1 signature covers' : null);
}

/** Reads the entry (inflating any method but stored, as StrictJarFile does) and compares its digests. */
async function entryMismatch(zip: ZipArchive, member: ZipMember, digests: readonly NamedDigest[], file: string, report: (error: InputError) => void): Promise<string | null> {
  const hashes = digests.map((digest) => createHash(digest.hash));
  try {
    for await (const chunk of await zip.openStream(member, { otherMethods: 'inflate' })) for (const hash of hashes) hash.update(chunk as Buffer);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    report(new InputError(error.problem, { file, format: `apk › ${member.name}`, offset: error.offset, expected: error.expected }));
    return `"${member.name}" cannot be read to check its digest`;
  }
  const index = digests.findIndex((digest, i) => !hashes[i]?.digest().equals(digest.expected));
  const mismatch = digests[index];
  return mismatch === undefined ? null : `the ${mismatch.name} digest of "${member.name}" does not match MANIFEST.MF: the entry was changed after signing`;
}
