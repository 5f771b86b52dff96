/**
 * The v3 proof-of-rotation attribute (apksig's V3SigningCertificateLineage): a version, then
 * nodes oldest first, each `signed data (certificate · algorithm ID) · flags · algorithm ID ·
 * signature`, where every node's signed data is signed by the previous node's key with the
 * algorithm the previous node names. A lineage that does not verify is a reason, not an error.
 */
import { InputError } from '../../errors.js';
import { BLOCK_SIGNATURE_ALGORITHMS, verifyBlockSignature } from './algorithms.js';
import { readCertificate, type SigningCertificate } from './certificate.js';
import type { LengthPrefixed } from './lengthPrefixed.js';

const LINEAGE_VERSION = 1;
/** Real lineages hold a handful of certificates. */
const MAX_NODES = 100;

export type Lineage = { certificates: SigningCertificate[] } | { failure: string };

export function readLineage(value: LengthPrefixed): Lineage {
  try {
    return { certificates: readNodes(value) };
  } catch (error) {
    if (error instanceof LineageFailure) return { failure: error.message };
    if (error instanceof InputError) return { failure: `its proof-of-rotation lineage is malformed: ${error.problem}` };
    throw error;
  }
}

class LineageFailure extends Error {}

function readNodes(value: LengthPrefixed): SigningCertificate[] {
  const version = value.readU32('lineage version');
  if (version !== LINEAGE_VERSION) throw new LineageFailure(`its proof-of-rotation lineage has version ${version}, not ${LINEAGE_VERSION}`);
  const certificates: SigningCertificate[] = [];
  let previousAlgorithmId = 0;
  for (let index = 1; !value.atEnd; index++) {
    if (index > MAX_NODES) throw new LineageFailure(`its proof-of-rotation lineage has more than ${MAX_NODES} certificates`);
    const node = value.readPrefixed(`lineage node ${index}`);
    const signedData = node.readPrefixed('lineage node signed data');
    node.readU32('lineage node flags');
    const algorithmId = node.readU32('lineage node algorithm');
    const signature = node.readBytes('lineage node signature');
    const previous = certificates.at(-1);
    if (previous !== undefined) {
      const algorithm = BLOCK_SIGNATURE_ALGORITHMS.get(previousAlgorithmId);
      if (algorithm === undefined) throw new LineageFailure(`certificate ${index} of its proof-of-rotation lineage is signed with an unknown algorithm (0x${previousAlgorithmId.toString(16)})`);
      if ('problem' in previous.publicKey || !verifyBlockSignature(algorithm, previous.publicKey, signedData.whole(), signature)) {
        throw new LineageFailure(`certificate ${index} of its proof-of-rotation lineage is not signed by certificate ${index - 1} (the rotation does not verify)`);
      }
    }
    const certificateAt = signedData.offset + 4;
    const encoding = signedData.readBytes('lineage certificate');
    const signedAlgorithmId = signedData.readU32('lineage signed algorithm');
    if (previous !== undefined && signedAlgorithmId !== previousAlgorithmId) {
      throw new LineageFailure(`certificate ${index} of its proof-of-rotation lineage names another signature algorithm than the one that signed it`);
    }
    const certificate = readCertificate(Buffer.from(encoding), { file: value.file, format: `${value.format} › lineage certificate ${index}`, offset: certificateAt });
    if (certificates.some((earlier) => earlier.sha256 === certificate.sha256)) throw new LineageFailure(`its proof-of-rotation lineage lists certificate ${index} twice`);
    certificates.push(certificate);
    previousAlgorithmId = algorithmId;
  }
  return certificates;
}
