/**
 * What OTA Lens reports about one signing certificate: the SHA-256 of its encoding (as apksigner
 * prints it), its subject, and the issuer and serial number a PKCS#7 SignerInfo names it by.
 *
 * The certificate's structure is checked with our own bounded DER reader rather than Node's
 * X509Certificate: OpenSSL refuses whole certificates whose names hold GeneralString, VisibleString
 * or non-string values, which Java (apksigner, Android's apksig) accepts, and Node's subject text
 * loses the string types and quoting apksigner's output depends on.
 */
import { createHash } from 'node:crypto';
import { DerReader, TagClass, UniversalTag, type DerElement, type DerLocation } from './der.js';
import { formatDistinguishedName } from './distinguishedName.js';

const BIT_STRING = 0x03;

export interface CertificateSummary {
  /** SHA-256 of the encoding exactly as stored, lowercase hex. */
  sha256: string;
  subject: string;
  /** The issuer Name's DER encoding. */
  issuer: Buffer;
  /** The serial number's INTEGER content octets without leading zero octets. */
  serial: Buffer;
}

/** Reads an X.509 certificate's identity; throws an InputError at `location` when it is not one. */
export function readCertificate(encoding: Buffer, location: DerLocation): CertificateSummary {
  const reader: DerReader = new DerReader(encoding, location);
  const certificate = reader.elementAt(0);
  const [tbs, signatureAlgorithm, signature, extra] = reader.childrenOf(certificate, UniversalTag.SEQUENCE, 'Certificate');
  reader.expect(tbs, TagClass.UNIVERSAL, UniversalTag.SEQUENCE, 'TBSCertificate', certificate.contentStart);
  reader.expect(signatureAlgorithm, TagClass.UNIVERSAL, UniversalTag.SEQUENCE, 'signature algorithm', tbs.end);
  reader.expect(signature, TagClass.UNIVERSAL, BIT_STRING, 'signature', signatureAlgorithm.end);
  if (extra !== undefined) reader.fail('unexpected element after the certificate signature', extra.start);

  const fields = reader.children(tbs);
  const versionPresent = fields[0]?.tagClass === TagClass.CONTEXT && fields[0].tagNumber === 0;
  const [serial, algorithm, issuer, validity, subject, publicKey] = fields.slice(versionPresent ? 1 : 0) as (DerElement | undefined)[];
  const end = tbs.contentEnd;
  reader.expect(serial, TagClass.UNIVERSAL, UniversalTag.INTEGER, 'serial number', end);
  reader.expect(algorithm, TagClass.UNIVERSAL, UniversalTag.SEQUENCE, 'TBSCertificate signature algorithm', end);
  reader.expect(issuer, TagClass.UNIVERSAL, UniversalTag.SEQUENCE, 'issuer', end);
  reader.expect(validity, TagClass.UNIVERSAL, UniversalTag.SEQUENCE, 'validity', end);
  reader.expect(subject, TagClass.UNIVERSAL, UniversalTag.SEQUENCE, 'subject', end);
  reader.expect(publicKey, TagClass.UNIVERSAL, UniversalTag.SEQUENCE, 'subject public key info', end);
  return {
    sha256: createHash('sha256').update(encoding).digest('hex'),
    subject: formatDistinguishedName(reader, subject),
    issuer: reader.encoding(issuer),
    serial: withoutLeadingZeros(reader.content(serial)),
  };
}

export function withoutLeadingZeros(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}
