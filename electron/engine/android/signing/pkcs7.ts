/**
 * The signer certificates of a PKCS#7 / CMS SignedData (a JAR signature block, `META-INF/*.RSA`):
 * the certificates set, and for each SignerInfo the certificate its issuer and serial number name.
 */
import { InputError } from '../../errors.js';
import { CappedReport } from './cappedReport.js';
import { readCertificate, withoutLeadingZeros, type CertificateSummary } from './certificate.js';
import { decodeObjectIdentifier, DerReader, TagClass, UniversalTag, type DerElement, type DerLocation } from './der.js';

const SIGNED_DATA_OID = '1.2.840.113549.1.7.2';
/** A signature block names one signer and a short chain; more is a hostile file. */
const MAX_ITEMS = 1000;

/**
 * The certificates of the signers, one per SignerInfo that names a certificate present in the
 * block. A SignerInfo that names none is reported and skipped; a malformed structure throws.
 */
export function readPkcs7SignerCertificates(bytes: Buffer, location: DerLocation, report: (error: InputError) => void): CertificateSummary[] {
  const reader: DerReader = new DerReader(bytes, location);
  const contentInfo = reader.elementAt(0);
  const [contentType, explicitContent] = reader.childrenOf(contentInfo, UniversalTag.SEQUENCE, 'ContentInfo');
  reader.expect(contentType, TagClass.UNIVERSAL, UniversalTag.OBJECT_IDENTIFIER, 'content type', contentInfo.contentStart);
  const oid = decodeObjectIdentifier(reader.content(contentType));
  if (oid !== SIGNED_DATA_OID) reader.fail(`content type ${oid ?? 'malformed'} is not SignedData`, contentType.start, SIGNED_DATA_OID);
  reader.expect(explicitContent, TagClass.CONTEXT, 0, 'SignedData content', contentType.end);
  const [signedData] = reader.children(explicitContent);
  reader.expect(signedData, TagClass.UNIVERSAL, UniversalTag.SEQUENCE, 'SignedData', explicitContent.contentStart);
  const fields = reader.children(signedData);

  const certificateSet = fields.find((field) => field.tagClass === TagClass.CONTEXT && field.tagNumber === 0);
  const signerInfoSet = fields[fields.length - 1];
  reader.expect(signerInfoSet, TagClass.UNIVERSAL, UniversalTag.SET, 'signerInfos', signedData.contentEnd);
  const certificates = certificateSet === undefined ? [] : readCertificateSet(reader, certificateSet, location, report);

  const byIssuerAndSerial = new Map(certificates.map((certificate) => [issuerAndSerialKey(certificate.issuer, certificate.serial), certificate]));
  const signers = new Set<CertificateSummary>();
  const unreadable = new CappedReport(report);
  firstFew(reader, reader.children(signerInfoSet), 'SignerInfos', signerInfoSet, report).forEach((signerInfo, index) => {
    try {
      signers.add(findSignerCertificate(reader, signerInfo, byIssuerAndSerial));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      unreadable.add(prefixed(`SignerInfo ${index + 1}`, error));
    }
  });
  unreadable.finish((count) => reader.error(`${count} more unreadable SignerInfos`, signerInfoSet.start));
  return [...signers];
}

function issuerAndSerialKey(issuer: Buffer, serial: Buffer): string {
  return `${issuer.toString('hex')}/${serial.toString('hex')}`;
}

/** The readable certificates of the set; an unreadable one is reported, since it may not be a signer's. */
function readCertificateSet(reader: DerReader, set: DerElement, location: DerLocation, report: (error: InputError) => void): CertificateSummary[] {
  const certificates: CertificateSummary[] = [];
  const unreadable = new CappedReport(report);
  firstFew(reader, reader.children(set), 'certificates', set, report).forEach((choice, index) => {
    // Only plain certificates (SEQUENCE); the obsolete extended and attribute certificate choices are tagged [0]..[3].
    if (choice.tagClass !== TagClass.UNIVERSAL || choice.tagNumber !== UniversalTag.SEQUENCE) return;
    try {
      certificates.push(readCertificate(reader.encoding(choice), { ...location, baseOffset: location.baseOffset + choice.start }));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      unreadable.add(prefixed(`certificate ${index + 1}`, error));
    }
  });
  unreadable.finish((count) => reader.error(`${count} more unreadable certificates`, set.start));
  return certificates;
}

function findSignerCertificate(reader: DerReader, signerInfo: DerElement, certificates: Map<string, CertificateSummary>): CertificateSummary {
  const [, sid] = reader.childrenOf(signerInfo, UniversalTag.SEQUENCE, 'SignerInfo');
  if (sid?.tagClass === TagClass.CONTEXT && sid.tagNumber === 0) {
    // JAR signing tools name the signer by issuer and serial number; this rarer form is not read here.
    reader.fail('signer identified by subject key identifier, not issuer and serial number', sid.start, 'IssuerAndSerialNumber');
  }
  reader.expect(sid, TagClass.UNIVERSAL, UniversalTag.SEQUENCE, 'IssuerAndSerialNumber', signerInfo.contentEnd);
  const [issuer, serial] = reader.children(sid);
  reader.expect(issuer, TagClass.UNIVERSAL, UniversalTag.SEQUENCE, 'issuer', sid.contentEnd);
  reader.expect(serial, TagClass.UNIVERSAL, UniversalTag.INTEGER, 'serial number', issuer.end);
  const match = certificates.get(issuerAndSerialKey(reader.encoding(issuer), withoutLeadingZeros(reader.content(serial))));
  if (match === undefined) reader.fail('no certificate in the block matches the signer’s issuer and serial number', sid.start);
  return match;
}

function prefixed(what: string, error: InputError): InputError {
  return new InputError(`${what}: ${error.problem}`, { file: error.file, format: error.format, offset: error.offset, expected: error.expected });
}

function firstFew(reader: DerReader, items: DerElement[], what: string, parent: DerElement, report: (error: InputError) => void): DerElement[] {
  if (items.length <= MAX_ITEMS) return items;
  report(reader.error(`${items.length} ${what}, more than ${MAX_ITEMS}; the rest are not read`, parent.start));
  return items.slice(0, MAX_ITEMS);
}
