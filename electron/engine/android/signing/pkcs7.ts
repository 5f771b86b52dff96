/**
 * A JAR signature block (`META-INF/*.RSA|DSA|EC`, PKCS#7 / CMS SignedData read with pkijs)
 * checked against its signature file (`.SF`) as Android checks it: the SignerInfos in turn (only
 * the first for apps that run before Android 7.0), each naming its certificate by issuer and
 * serial number compared the way Android compares names, the signed attributes when present, and
 * the signature with Node's crypto.
 */
import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import { InputError } from '../../errors.js';
import { DIGEST_OIDS, JAR_SIGNATURE_KEY_TYPES, jarSignatureSupportedFrom, verifySignature } from './algorithms.js';
import { childrenOf, encodingOf, isUniversal, parseAsn1, TagClass, type Asn1, type Asn1Location } from './asn1.js';
import { CappedReport } from './cappedReport.js';
import { readCertificate, type SigningCertificate } from './certificate.js';
import { canonicalName } from './names.js';

const SIGNED_DATA = '1.2.840.113549.1.7.2';
const CONTENT_TYPE_ATTRIBUTE = '1.2.840.113549.1.9.3';
const MESSAGE_DIGEST_ATTRIBUTE = '1.2.840.113549.1.9.4';
const N = 24;
const KITKAT = 19;
/** A signature block names one signer and a short chain; more is a hostile file. */
const MAX_ITEMS = 1000;

export interface BlockVerification {
  /** The certificate that signed the .SF, or the one the block claims signed it; null when it names none it holds. */
  certificate: SigningCertificate | null;
  /** Why the .SF is not verified by this block; null when it is. */
  failure: string | null;
}

/**
 * Reads the block and checks it against `signatureFile`. A block that cannot be read is an
 * InputError; one that can be read but does not verify says why.
 */
export function verifySignatureBlock(block: Buffer, signatureFile: Buffer, where: Asn1Location, minSdk: number, report: (error: InputError) => void): BlockVerification {
  const { signedData, contentType, signerInfos } = readSignedData(block, where);
  const certificates = readCertificateSet(signedData, where, report);
  if (signerInfos.length === 0) return { certificate: certificates[0] ?? null, failure: 'its signature block holds no SignerInfo' };
  if (signerInfos.length > MAX_ITEMS) throw new InputError(`${signerInfos.length} SignerInfos, more than ${MAX_ITEMS}`, where);

  // Before Android 7.0 only the first SignerInfo is tried; from 7.0 on, the first one that verifies counts.
  const candidates = minSdk < N ? signerInfos.slice(0, 1) : signerInfos;
  let claimed: SigningCertificate | null = null;
  let firstFailure: string | null = null;
  for (const element of candidates) {
    const outcome = verifySignerInfo(readSignerInfo(element, where), contentType, certificates, signatureFile, minSdk, where);
    claimed ??= outcome.certificate;
    if (outcome.failure === null) return outcome;
    firstFailure ??= outcome.failure;
    if (outcome.fatal) break;
  }
  return { certificate: claimed ?? certificates[0] ?? null, failure: firstFailure ?? 'no SignerInfo verifies the .SF file' };
}

/**
 * ContentInfo → SignedData (`version · digestAlgorithms · encapContentInfo · [0] certificates ·
 * [1] crls · signerInfos`), walked with asn1js: pkijs's own SignedData would read every
 * certificate again, which costs more than the rest of the verification.
 */
function readSignedData(block: Buffer, where: Asn1Location): { signedData: Asn1; contentType: string; signerInfos: Asn1[] } {
  const fail = (problem: string): never => {
    throw new InputError(`not a PKCS#7 SignedData: ${problem}`, where);
  };
  const contentInfo = parseAsn1(block, where, 'signature block');
  const [type, explicit] = childrenOf(contentInfo);
  const oid = type === undefined || !isUniversal(type, 0x06) ? undefined : (type as unknown as { getValue(): string }).getValue();
  if (oid !== SIGNED_DATA) fail(`content type ${oid ?? 'missing'} is not SignedData`);
  const signedData = childrenOf(explicit as Asn1)[0];
  if (explicit?.idBlock.tagClass !== TagClass.CONTEXT || signedData === undefined || !isUniversal(signedData, 0x10)) fail('no SignedData after the content type');
  const fields = childrenOf(signedData as Asn1);
  const encapsulated = fields[2];
  const contentType = encapsulated === undefined ? undefined : childrenOf(encapsulated)[0];
  if (contentType === undefined || !isUniversal(contentType, 0x06)) fail('no encapsulated content type');
  const signerInfos = fields.at(-1);
  if (signerInfos === undefined || !isUniversal(signerInfos, 0x11)) fail('no set of SignerInfos at its end');
  return { signedData: signedData as Asn1, contentType: (contentType as unknown as { getValue(): string }).getValue(), signerInfos: childrenOf(signerInfos as Asn1) };
}

function readSignerInfo(element: Asn1, where: Asn1Location): pkijs.SignerInfo {
  try {
    return new pkijs.SignerInfo({ schema: element });
  } catch (error) {
    throw new InputError(`a SignerInfo is malformed: ${(error as Error).message}`, { ...where, cause: error });
  }
}

/** The readable certificates of the block, in order; an unreadable one is reported, since it may not be a signer's. */
function readCertificateSet(signedData: Asn1, where: Asn1Location, report: (error: InputError) => void): SigningCertificate[] {
  const set = childrenOf(signedData).find((field) => field.idBlock.tagClass === TagClass.CONTEXT && field.idBlock.tagNumber === 0);
  if (set === undefined) return [];
  const choices = childrenOf(set);
  if (choices.length > MAX_ITEMS) throw new InputError(`${choices.length} certificates, more than ${MAX_ITEMS}`, where);
  const certificates: SigningCertificate[] = [];
  const unreadable = new CappedReport(report);
  choices.forEach((choice, index) => {
    // Only plain certificates (SEQUENCE); the obsolete extended and attribute certificate choices are tagged [0]..[3].
    if (choice.idBlock.tagClass !== TagClass.UNIVERSAL) return;
    try {
      certificates.push(readCertificate(Buffer.from(encodingOf(choice)), { ...where, format: `${where.format} › certificate ${index + 1}` }));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      unreadable.add(error);
    }
  });
  unreadable.finish((count) => new InputError(`${count} more unreadable certificates`, where));
  return certificates;
}

interface SignerInfoOutcome extends BlockVerification {
  /** Android stops at this failure instead of trying the next SignerInfo. */
  fatal: boolean;
}

function verifySignerInfo(
  signerInfo: pkijs.SignerInfo,
  encapsulatedContentType: string,
  certificates: readonly SigningCertificate[],
  signatureFile: Buffer,
  minSdk: number,
  where: Asn1Location,
): SignerInfoOutcome {
  const certificate = findCertificate(signerInfo, certificates, where);
  const fail = (failure: string, fatal = true): SignerInfoOutcome => ({ certificate, failure, fatal });
  const hash = DIGEST_OIDS.get(signerInfo.digestAlgorithm.algorithmId);
  const signatureOid = signerInfo.signatureAlgorithm.algorithmId;
  const keyType = JAR_SIGNATURE_KEY_TYPES.get(signatureOid);
  const supportedFrom = hash === undefined ? undefined : jarSignatureSupportedFrom(hash, signatureOid);
  if (hash === undefined || keyType === undefined || supportedFrom === undefined || supportedFrom > minSdk) {
    const levels = supportedFrom === undefined ? 'any Android version' : `Android versions before API level ${supportedFrom}`;
    return fail(`its signature uses digest ${signerInfo.digestAlgorithm.algorithmId} with ${signatureOid}, which ${levels} the app supports cannot verify`);
  }
  if (certificate === null) return fail('its SignerInfo names a certificate (issuer and serial number) that the signature block does not hold');
  if (certificate.jarSignatureProblem !== undefined) return fail(certificate.jarSignatureProblem);
  if ('problem' in certificate.publicKey) return fail(certificate.publicKey.problem);

  let signed: Buffer = signatureFile;
  const attributes = signerInfo.signedAttrs;
  if (attributes !== undefined) {
    if (minSdk < KITKAT) return fail('it uses signed attributes, which Android before 4.4 does not check (the APK would be unprotected there)');
    const values = (type: string) => attributes.attributes.filter((attribute) => attribute.type === type).flatMap((attribute) => attribute.values as unknown[]);
    const contentType = values(CONTENT_TYPE_ATTRIBUTE);
    if (contentType.length !== 1) return fail('its signed attributes do not state one content type');
    if ((contentType[0] as { getValue?: () => string }).getValue?.() !== encapsulatedContentType) return fail('its signed content type is not the block’s', false);
    const digest = values(MESSAGE_DIGEST_ATTRIBUTE);
    if (digest.length !== 1) return fail('its signed attributes do not state one digest of the .SF file');
    const expected = Buffer.from((digest[0] as { valueBlock: { valueHexView: Uint8Array } }).valueBlock.valueHexView);
    if (!createHash(hash).update(signatureFile).digest().equals(expected)) return fail('the .SF file’s digest differs from the one its signature covers: the .SF file was changed', false);
    // pkijs keeps the attributes' encoding with the [0] tag replaced by SET, exactly what Android verifies.
    signed = Buffer.from(attributes.encodedValue);
  }
  const signature = Buffer.from(signerInfo.signature.valueBlock.valueHexView);
  return verifySignature(hash, keyType, certificate.publicKey, signed, signature)
    ? { certificate, failure: null, fatal: false }
    : fail('its signature over the .SF file does not verify', false);
}

/** The certificate a SignerInfo names by issuer (compared in canonical form, as Android does) and serial number. */
function findCertificate(signerInfo: pkijs.SignerInfo, certificates: readonly SigningCertificate[], where: Asn1Location): SigningCertificate | null {
  const sid = signerInfo.sid as unknown;
  if (!(sid instanceof pkijs.IssuerAndSerialNumber)) return null;
  const issuer = canonicalName(parseAsn1(new Uint8Array(sid.issuer.valueBeforeDecode), where, 'signer issuer'), where);
  const serial = sid.serialNumber.toBigInt();
  return certificates.find((certificate) => certificate.serial === serial && certificate.issuerCanonical === issuer) ?? null;
}
