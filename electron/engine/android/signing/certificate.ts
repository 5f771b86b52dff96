/**
 * One signing certificate, read with pkijs: its SHA-256 (of the encoding exactly as stored, as
 * apksigner prints it), its subject as apksigner prints it, its issuer in the canonical form
 * Android compares, its serial number and its public key as a Node KeyObject.
 *
 * Node's X509Certificate (OpenSSL) is not used to read it: OpenSSL refuses whole certificates whose
 * names hold GeneralString, VisibleString or non-string values, which Java (apksigner, Android)
 * accepts.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import { InputError } from '../../errors.js';
import { parseAsn1, type Asn1Location } from './asn1.js';
import { canonicalName, displayName } from './names.js';

export interface SigningCertificate {
  /** SHA-256 of the encoding, lowercase hex. */
  sha256: string;
  subject: string;
  /** The issuer in X500Principal's canonical form. */
  issuerCanonical: string;
  serial: bigint;
  /** The public key, or why Node cannot use it. */
  publicKey: KeyObject | { problem: string };
  /** The public key as Java re-encodes it (canonical DER SubjectPublicKeyInfo), when readable. */
  publicKeyDer: Buffer | null;
  /** Why Android refuses this certificate for a JAR (v1) signature, when it does. */
  jarSignatureProblem?: string;
}

const KEY_USAGE = '2.5.29.15';
/** Extensions Java understands; a critical extension outside this list makes Android refuse a v1 signer. */
const KNOWN_EXTENSIONS = new Set([
  '2.5.29.9', '2.5.29.14', '2.5.29.15', '2.5.29.16', '2.5.29.17', '2.5.29.18', '2.5.29.19', '2.5.29.30', '2.5.29.31', '2.5.29.32',
  '2.5.29.33', '2.5.29.35', '2.5.29.36', '2.5.29.37', '2.5.29.46', '2.5.29.54', '1.3.6.1.5.5.7.1.1', '1.3.6.1.5.5.7.1.11',
  '2.16.840.1.113730.1.1',
]);

/**
 * Certificates already read in this thread, by SHA-256 of their encoding: a build's apps share a
 * handful of signing certificates, and reading one is the costly part of verifying an APK.
 */
const readCertificates = new Map<string, SigningCertificate>();
const MAX_REMEMBERED = 256;

/** Reads an X.509 certificate; an InputError at `where` when it is not one. */
export function readCertificate(encoding: Buffer, where: Asn1Location): SigningCertificate {
  const sha256 = createHash('sha256').update(encoding).digest('hex');
  const known = readCertificates.get(sha256);
  if (known !== undefined) return known;
  const certificate = parseCertificate(encoding, sha256, where);
  if (readCertificates.size >= MAX_REMEMBERED) readCertificates.delete(readCertificates.keys().next().value as string);
  readCertificates.set(sha256, certificate);
  return certificate;
}

function parseCertificate(encoding: Buffer, sha256: string, where: Asn1Location): SigningCertificate {
  const schema = parseAsn1(encoding, where, 'certificate');
  let certificate: pkijs.Certificate;
  try {
    certificate = new pkijs.Certificate({ schema });
  } catch (error) {
    throw new InputError(`not an X.509 certificate: ${(error as Error).message}`, { ...where, cause: error });
  }
  const nameOf = (names: pkijs.RelativeDistinguishedNames, what: string) => parseAsn1(new Uint8Array(names.valueBeforeDecode), { ...where, format: `${where.format} › ${what}` }, what);
  const subject = nameOf(certificate.subject, 'subject');
  const issuer = nameOf(certificate.issuer, 'issuer');
  const key = publicKeyOf(certificate);
  const summary: SigningCertificate = {
    sha256,
    subject: displayName(subject, where),
    issuerCanonical: canonicalName(issuer, where),
    serial: certificate.serialNumber.toBigInt(),
    publicKey: key,
    publicKeyDer: 'problem' in key ? null : key.export({ type: 'spki', format: 'der' }),
  };
  const jarProblem = jarSignatureProblem(certificate);
  if (jarProblem !== undefined) summary.jarSignatureProblem = jarProblem;
  return summary;
}

function publicKeyOf(certificate: pkijs.Certificate): KeyObject | { problem: string } {
  try {
    const spki = Buffer.from(certificate.subjectPublicKeyInfo.toSchema().toBER(false));
    return createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch (error) {
    return { problem: `the certificate's public key cannot be read: ${(error as Error).message}` };
  }
}

/** The checks Android makes before a certificate may back a v1 signature (V1SchemeVerifier). */
function jarSignatureProblem(certificate: pkijs.Certificate): string | undefined {
  const extensions = certificate.extensions ?? [];
  if (extensions.some((extension) => extension.critical && !KNOWN_EXTENSIONS.has(extension.extnID))) {
    return 'the signing certificate has critical extensions Android does not support';
  }
  const keyUsage = extensions.find((extension) => extension.extnID === KEY_USAGE)?.parsedValue;
  if (keyUsage !== undefined && 'valueBlock' in keyUsage) {
    const bits = (keyUsage.valueBlock as { valueHexView?: Uint8Array }).valueHexView ?? new Uint8Array();
    const first = bits[0] ?? 0;
    // digitalSignature is bit 0 (0x80 of the first byte), nonRepudiation bit 1 (0x40).
    if ((first & 0xc0) === 0) return 'the signing certificate’s key usage allows neither digital signatures nor non-repudiation';
  }
  return undefined;
}
