/**
 * The signature algorithms of APK Signature Scheme v2/v3 (apksig's SignatureAlgorithm) and of
 * JAR signing (PKCS#7 digest and signature OIDs), as Node's crypto.verify takes them.
 */
import { constants, verify, type KeyObject } from 'node:crypto';

export type ContentDigest = 'chunked-sha256' | 'chunked-sha512' | 'verity-sha256';

export interface BlockSignatureAlgorithm {
  id: number;
  name: string;
  hash: 'sha256' | 'sha512';
  keyType: 'rsa' | 'ec' | 'dsa';
  /** RSASSA-PSS salt length; PKCS#1 v1.5 when absent. */
  pssSaltLength?: number;
  content: ContentDigest;
  /** The first Android version (API level) that checks signatures of this algorithm. */
  minSdk: number;
}

const N = 24;
const P = 28;

export const BLOCK_SIGNATURE_ALGORITHMS: ReadonlyMap<number, BlockSignatureAlgorithm> = new Map(
  [
    { id: 0x0101, name: 'RSASSA-PSS with SHA2-256', hash: 'sha256', keyType: 'rsa', pssSaltLength: 32, content: 'chunked-sha256', minSdk: N },
    { id: 0x0102, name: 'RSASSA-PSS with SHA2-512', hash: 'sha512', keyType: 'rsa', pssSaltLength: 64, content: 'chunked-sha512', minSdk: N },
    { id: 0x0103, name: 'RSASSA-PKCS1-v1_5 with SHA2-256', hash: 'sha256', keyType: 'rsa', content: 'chunked-sha256', minSdk: N },
    { id: 0x0104, name: 'RSASSA-PKCS1-v1_5 with SHA2-512', hash: 'sha512', keyType: 'rsa', content: 'chunked-sha512', minSdk: N },
    { id: 0x0201, name: 'ECDSA with SHA2-256', hash: 'sha256', keyType: 'ec', content: 'chunked-sha256', minSdk: N },
    { id: 0x0202, name: 'ECDSA with SHA2-512', hash: 'sha512', keyType: 'ec', content: 'chunked-sha512', minSdk: N },
    { id: 0x0301, name: 'DSA with SHA2-256', hash: 'sha256', keyType: 'dsa', content: 'chunked-sha256', minSdk: N },
    { id: 0x0421, name: 'RSASSA-PKCS1-v1_5 with SHA2-256 (verity)', hash: 'sha256', keyType: 'rsa', content: 'verity-sha256', minSdk: P },
    { id: 0x0423, name: 'ECDSA with SHA2-256 (verity)', hash: 'sha256', keyType: 'ec', content: 'verity-sha256', minSdk: P },
    { id: 0x0425, name: 'DSA with SHA2-256 (verity)', hash: 'sha256', keyType: 'dsa', content: 'verity-sha256', minSdk: P },
  ].map((algorithm) => [algorithm.id, algorithm as BlockSignatureAlgorithm]),
);

/** apksig's preference: SHA-512 content digests over verity over SHA-256. */
const CONTENT_DIGEST_RANK: Record<ContentDigest, number> = { 'chunked-sha256': 0, 'verity-sha256': 1, 'chunked-sha512': 2 };

/**
 * The signatures Android checks among a signer's supported ones (apksig's getSignaturesToVerify):
 * for each first Android version that checks some of them, the one with the strongest content
 * digest; sorted by algorithm ID.
 */
export function signaturesToVerify<T extends { algorithm: BlockSignatureAlgorithm }>(signatures: readonly T[]): T[] {
  const best = new Map<number, T>();
  for (const signature of signatures) {
    const current = best.get(signature.algorithm.minSdk);
    if (current === undefined || CONTENT_DIGEST_RANK[signature.algorithm.content] > CONTENT_DIGEST_RANK[current.algorithm.content]) best.set(signature.algorithm.minSdk, signature);
  }
  return [...best.values()].sort((a, b) => a.algorithm.id - b.algorithm.id);
}

/** Checks `signature` over `data` with `key`; false for a wrong signature or a key of another type. */
export function verifyBlockSignature(algorithm: BlockSignatureAlgorithm, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  return verifySignature(algorithm.hash, algorithm.keyType, key, data, signature, algorithm.pssSaltLength);
}

/** Node's crypto.verify, false (not an exception) for a key of another type or a malformed signature; RSASSA-PSS with a salt length. */
export function verifySignature(hash: string, keyType: string, key: KeyObject, data: Uint8Array, signature: Uint8Array, pssSaltLength?: number): boolean {
  if (key.asymmetricKeyType !== keyType) return false;
  const options = pssSaltLength === undefined ? { key } : { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pssSaltLength };
  try {
    return verify(hash, data, options, signature);
  } catch {
    return false;
  }
}

/** Digest algorithm OIDs of PKCS#7 SignerInfos → Node hash names. */
export const DIGEST_OIDS: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.2.5', 'md5'],
  ['1.3.14.3.2.26', 'sha1'],
  ['2.16.840.1.101.3.4.2.4', 'sha224'],
  ['2.16.840.1.101.3.4.2.1', 'sha256'],
  ['2.16.840.1.101.3.4.2.2', 'sha384'],
  ['2.16.840.1.101.3.4.2.3', 'sha512'],
]);

const RSA = '1.2.840.113549.1.1.1';
const DSA = '1.2.840.10040.4.1';
const EC = '1.2.840.10045.2.1';

/** Signature algorithm OIDs of PKCS#7 SignerInfos → the key type they need. */
export const JAR_SIGNATURE_KEY_TYPES: ReadonlyMap<string, 'rsa' | 'ec' | 'dsa'> = new Map([
  [RSA, 'rsa'],
  ['1.2.840.113549.1.1.4', 'rsa'],
  ['1.2.840.113549.1.1.5', 'rsa'],
  ['1.2.840.113549.1.1.14', 'rsa'],
  ['1.2.840.113549.1.1.11', 'rsa'],
  ['1.2.840.113549.1.1.12', 'rsa'],
  ['1.2.840.113549.1.1.13', 'rsa'],
  [DSA, 'dsa'],
  ['1.2.840.10040.4.3', 'dsa'],
  ['2.16.840.1.101.3.4.3.1', 'dsa'],
  ['2.16.840.1.101.3.4.3.2', 'dsa'],
  [EC, 'ec'],
  ['1.2.840.10045.4.1', 'ec'],
  ['1.2.840.10045.4.3.1', 'ec'],
  ['1.2.840.10045.4.3.2', 'ec'],
  ['1.2.840.10045.4.3.3', 'ec'],
  ['1.2.840.10045.4.3.4', 'ec'],
]);

/**
 * The first API level from which Android verifies a JAR signature of this digest and signature
 * algorithm on every later version (apksig's OidConstants): a combination missing here, or whose
 * level is above the app's minSdkVersion, fails on some version the app supports.
 */
const JAR_SIGNATURE_SUPPORTED_FROM: ReadonlyMap<string, number> = new Map([
  ['md5 ' + RSA, 0],
  ['md5 1.2.840.113549.1.1.4', 21],
  ['sha1 ' + RSA, 0],
  ['sha1 1.2.840.113549.1.1.5', 0],
  ['sha224 ' + RSA, 21],
  ['sha224 1.2.840.113549.1.1.14', 21],
  ['sha256 ' + RSA, 18],
  ['sha256 1.2.840.113549.1.1.11', 18],
  ['sha384 ' + RSA, 18],
  ['sha384 1.2.840.113549.1.1.12', 21],
  ['sha512 ' + RSA, 18],
  ['sha512 1.2.840.113549.1.1.13', 21],
  ['sha1 ' + DSA, 0],
  ['sha1 1.2.840.10040.4.3', 9],
  ['sha224 ' + DSA, 22],
  ['sha224 2.16.840.1.101.3.4.3.1', 21],
  ['sha256 ' + DSA, 22],
  ['sha256 2.16.840.1.101.3.4.3.2', 21],
  ['sha1 ' + EC, 18],
  ['sha224 ' + EC, 21],
  ['sha256 ' + EC, 18],
  ['sha384 ' + EC, 18],
  ['sha512 ' + EC, 18],
  ['sha1 1.2.840.10045.4.1', 18],
  ['sha224 1.2.840.10045.4.3.1', 21],
  ['sha256 1.2.840.10045.4.3.2', 21],
  ['sha384 1.2.840.10045.4.3.3', 21],
  ['sha512 1.2.840.10045.4.3.4', 21],
]);

export function jarSignatureSupportedFrom(hash: string, signatureOid: string): number | undefined {
  return JAR_SIGNATURE_SUPPORTED_FROM.get(`${hash} ${signatureOid}`);
}
