/**
 * Signers of APK Signature Scheme v2, v3 and v3.1 blocks, verified as apksig verifies them. A
 * block is nested u32-length-prefixed items: signers → signer (signed data · [v3: min SDK · max
 * SDK] · signatures · public key), signed data = digests · certificates · [v3: min SDK · max SDK] ·
 * additional attributes. A signer whose certificate cannot be read is a problem; any other
 * defect, structural or cryptographic, leaves the signer listed with the reason it fails.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { SignatureScheme } from '../../../../shared/app.js';
import { InputError } from '../../errors.js';
import { BLOCK_SIGNATURE_ALGORITHMS, signaturesToVerify, verifyBlockSignature, type BlockSignatureAlgorithm, type ContentDigest } from './algorithms.js';
import { CappedReport } from './cappedReport.js';
import { readCertificate, type SigningCertificate } from './certificate.js';
import type { ContentDigests } from './contentDigests.js';
import { LengthPrefixed } from './lengthPrefixed.js';
import { readLineage } from './lineage.js';
import { SIGNING_BLOCK_FORMAT, type SigningBlockPair } from './signingBlock.js';

export const SCHEME_BLOCK_IDS: ReadonlyMap<number, SignatureScheme> = new Map([
  [0x7109871a, 'v2'],
  [0xf05368c0, 'v3'],
  [0x1b93ad61, 'v3.1'],
]);

/** The IDs the v1 `X-Android-APK-Signed` attribute and v2 stripping protection use for the schemes. */
export const SCHEME_NUMBERS: Readonly<Record<SignatureScheme, number>> = { v1: 1, v2: 2, v3: 3, 'v3.1': 31 };

/** Real APKs have one signer per scheme (a few with v3.1 SDK ranges); more is a hostile block. */
export const MAX_SIGNERS = 1000;

const STRIPPING_PROTECTION_ATTRIBUTE = 0xbeeff00d;
const PROOF_OF_ROTATION_ATTRIBUTE = 0x3ba06f8c;
const ROTATION_MIN_SDK_ATTRIBUTE = 0x559f8b02;

const CONTENT_DIGEST_NAMES: Record<ContentDigest, string> = {
  'chunked-sha256': 'SHA-256 content digest',
  'chunked-sha512': 'SHA-512 content digest',
  'verity-sha256': 'verity content digest',
};

export interface SchemeSigner {
  scheme: SignatureScheme;
  certificate: SigningCertificate;
  /** Why the signer does not verify; null when it does. */
  failure: string | null;
  /** v3, v3.1: the platform versions it is for. */
  sdkRange?: { min: number; max: number };
  /** v3, v3.1 key rotation: the verified lineage, oldest first, ending with this signer's certificate. */
  lineage?: SigningCertificate[];
  /** v2: the schemes its stripping protection says the APK was also signed with. */
  requiredSchemes: number[];
  /** v3: the first platform version the v3.1 block is for, when it says there is one. */
  rotationMinSdk?: number;
}

export interface SchemeBlock {
  scheme: SignatureScheme;
  signers: SchemeSigner[];
  /** Why the scheme fails beyond its listed signers (unreadable signers, none at all). */
  failures: string[];
}

interface ParsedSigner extends SchemeSigner {
  /** The content digests it states, by algorithm, in order. */
  digests: { algorithm: number; digest: Buffer }[];
  /** The content digests of its signatures that verified. */
  verifiedContent: Set<ContentDigest>;
}

/**
 * Reads and verifies every signer of one scheme block. A signer that cannot be read is reported
 * and the next one is still read; a corrupt list of signers is reported and ends the scheme.
 */
export async function verifySchemeBlock(pair: SigningBlockPair, scheme: SignatureScheme, contentDigests: ContentDigests, file: string, report: (error: InputError) => void): Promise<SchemeBlock> {
  const parsed: ParsedSigner[] = [];
  const failures: string[] = [];
  const schemeFormat = `${SIGNING_BLOCK_FORMAT} › ${scheme}`;
  try {
    const block = LengthPrefixed.over(pair.value, pair.offset, file, schemeFormat);
    const list = block.readPrefixed('signer list');
    if (list.atEnd) list.failHere('no signers', 'at least one signer');
    const unreadable = new CappedReport(report);
    for (let index = 1; !list.atEnd; index++) {
      if (index > MAX_SIGNERS) {
        report(new InputError(`more than ${MAX_SIGNERS} signers; the rest are not read`, { file, format: schemeFormat, offset: list.offset }));
        failures.push(`its ${scheme} block has more than ${MAX_SIGNERS} signers`);
        break;
      }
      const signer = list.readPrefixed(`signer ${index}`, `${schemeFormat} signer ${index}`);
      try {
        parsed.push(parseSigner(signer, scheme, report));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        unreadable.add(error);
        failures.push(`${scheme} signer ${index} cannot be read: ${error.problem}`);
      }
    }
    unreadable.finish((count) => new InputError(`${count} more unreadable signers`, { file, format: schemeFormat, offset: pair.offset }));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    report(error);
    failures.push(`its ${scheme} block cannot be read: ${error.problem}`);
  }
  await checkContentDigests(parsed, contentDigests);
  return { scheme, signers: parsed.map(({ digests: _digests, verifiedContent: _verified, ...signer }) => signer), failures };
}

/** Reads one signer: its certificate must be readable; every other defect becomes its failure. */
function parseSigner(signer: LengthPrefixed, scheme: SignatureScheme, report: (error: InputError) => void): ParsedSigner {
  const isV3 = scheme !== 'v2';
  const signedData = signer.readPrefixed('signed data');
  const digestList = signedData.readPrefixed('digests');
  const certificateList = signedData.readPrefixed('certificates');
  if (certificateList.atEnd) certificateList.failHere('signer has no certificate', 'at least one certificate');
  const first = certificateList.readPrefixed('certificate 1');
  const certificate = readCertificate(Buffer.from(first.rest()), { file: signer.file, format: signer.format, offset: first.offset });

  const result: ParsedSigner = { scheme, certificate, failure: null, requiredSchemes: [], digests: [], verifiedContent: new Set() };
  const failures: string[] = [];
  try {
    const outerRange = isV3 ? { min: signer.readU32('minimum SDK'), max: signer.readU32('maximum SDK') } : undefined;
    if (outerRange !== undefined) {
      result.sdkRange = outerRange;
      if (outerRange.min > outerRange.max || outerRange.min > 0x7fffffff) failures.push(`its SDK range ${outerRange.min}–${outerRange.max} is not valid`);
    }
    const signatures = readSignatures(signer.readPrefixed('signatures'));
    const publicKeyBytes = signer.readBytes('public key');
    const key = readPublicKey(publicKeyBytes);
    verifySignatures(signatures, key, signedData.whole(), result, failures);
    if (outerRange !== undefined) {
      const signedRange = { min: signedData.readU32('signed minimum SDK'), max: signedData.readU32('signed maximum SDK') };
      if (signedRange.min !== outerRange.min || signedRange.max !== outerRange.max) {
        failures.push(`its SDK range ${outerRange.min}–${outerRange.max} differs from the signed one, ${signedRange.min}–${signedRange.max}`);
      }
    }
    if (certificate.publicKeyDer === null || !certificate.publicKeyDer.equals(publicKeyBytes)) {
      failures.push('its public key is not the key of its certificate');
    }
    result.digests = readDigests(digestList);
    const signatureIds = signatures.map((signature) => signature.id).join(',');
    if (result.digests.map((digest) => digest.algorithm).join(',') !== signatureIds) failures.push('its digests and its signatures name different algorithms');
    readAttributes(signedData.readPrefixed('additional attributes'), result, failures);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    report(error);
    failures.push(`its ${scheme} block is malformed: ${error.problem}`);
  }
  result.failure = failures[0] ?? null;
  return result;
}

interface BlockSignature {
  id: number;
  algorithm: BlockSignatureAlgorithm | undefined;
  bytes: Buffer;
}

function readSignatures(list: LengthPrefixed): BlockSignature[] {
  const signatures: BlockSignature[] = [];
  for (let index = 1; !list.atEnd; index++) {
    const signature = list.readPrefixed(`signature ${index}`);
    const id = signature.readU32('signature algorithm');
    signatures.push({ id, algorithm: BLOCK_SIGNATURE_ALGORITHMS.get(id), bytes: signature.readBytes('signature') });
  }
  return signatures;
}

function readPublicKey(bytes: Buffer): KeyObject | null {
  try {
    return createPublicKey({ key: bytes, format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

/** Checks the signatures Android would check, over the signed data, with the signer's public key. */
function verifySignatures(signatures: readonly BlockSignature[], key: KeyObject | null, signedData: Buffer, result: ParsedSigner, failures: string[]): void {
  const supported = signatures.flatMap((signature) => (signature.algorithm === undefined ? [] : [{ ...signature, algorithm: signature.algorithm }]));
  if (signatures.length === 0) failures.push('it has no signatures');
  else if (supported.length === 0) failures.push('none of its signatures uses an algorithm Android knows');
  else if (key === null) failures.push('its public key cannot be read');
  else {
    for (const signature of signaturesToVerify(supported)) {
      if (!verifyBlockSignature(signature.algorithm, key, signedData, signature.bytes)) {
        failures.push(`its ${signature.algorithm.name} signature over the signed data does not verify`);
        return;
      }
      result.verifiedContent.add(signature.algorithm.content);
    }
  }
}

function readDigests(list: LengthPrefixed): { algorithm: number; digest: Buffer }[] {
  const digests: { algorithm: number; digest: Buffer }[] = [];
  for (let index = 1; !list.atEnd; index++) {
    const digest = list.readPrefixed(`digest ${index}`);
    digests.push({ algorithm: digest.readU32('digest algorithm'), digest: digest.readBytes('digest') });
  }
  return digests;
}

function readAttributes(list: LengthPrefixed, result: ParsedSigner, failures: string[]): void {
  for (let index = 1; !list.atEnd; index++) {
    const attribute = list.readPrefixed(`attribute ${index}`);
    const id = attribute.readU32('attribute ID');
    if (id === STRIPPING_PROTECTION_ATTRIBUTE && result.scheme === 'v2') {
      result.requiredSchemes.push(attribute.readU32('stripping protection scheme'));
    } else if (id === ROTATION_MIN_SDK_ATTRIBUTE && result.scheme === 'v3') {
      result.rotationMinSdk = attribute.readU32('rotation minimum SDK');
    } else if (id === PROOF_OF_ROTATION_ATTRIBUTE && result.scheme !== 'v2') {
      const lineage = readLineage(attribute);
      if ('failure' in lineage) failures.push(lineage.failure);
      else if (lineage.certificates.at(-1)?.sha256 !== result.certificate.sha256) failures.push('its proof-of-rotation lineage does not end with its own certificate');
      else result.lineage = lineage.certificates;
    }
  }
}

/** Compares every signer's stated content digests with the APK's, for the kinds its scheme's signatures verified. */
async function checkContentDigests(signers: ParsedSigner[], contentDigests: ContentDigests): Promise<void> {
  const kinds = new Set(signers.flatMap((signer) => [...signer.verifiedContent]));
  for (const signer of signers) {
    for (const { algorithm, digest } of signer.digests) {
      const kind = BLOCK_SIGNATURE_ALGORITHMS.get(algorithm)?.content;
      if (kind === undefined || !kinds.has(kind)) continue;
      const misaligned = kind === 'verity-sha256' ? contentDigests.verityProblem() : null;
      if (misaligned !== null) {
        signer.failure ??= misaligned;
        break;
      }
      const actual = await contentDigests.get(kind);
      if (!actual.equals(digest)) {
        signer.failure ??= `the APK's ${CONTENT_DIGEST_NAMES[kind]} does not match the signed one: the APK was changed after it was signed`;
        break;
      }
    }
  }
}
