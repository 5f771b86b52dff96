/**
 * Who signed an APK: the certificates of its v1 (JAR), v2, v3 and v3.1 signers, read from the
 * META-INF signature block files and the APK Signing Block. Nothing is verified (digests and
 * signatures are not checked); this reports identities. A scheme that cannot be read becomes a
 * problem and the others are still reported.
 */
import type { ApkSigner, SignatureScheme } from '../../../../shared/app.js';
import type { Problem } from '../../../../shared/model.js';
import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byteSource.js';
import type { ZipArchive } from '../../zip/zipArchive.js';
import { locateCentralDirectory } from './centralDirectory.js';
import { readJarSigners } from './jarSigners.js';
import { readSchemeSigners, SCHEME_BLOCK_IDS } from './schemeSigners.js';
import { readSigningBlock } from './signingBlock.js';

const SCHEME_ORDER: readonly SignatureScheme[] = ['v1', 'v2', 'v3', 'v3.1'];

export interface ApkSigners {
  /** In scheme order (v1, v2, v3, v3.1), then by certificate digest; one entry per scheme and certificate. */
  signers: ApkSigner[];
  problems: Problem[];
}

/** `zip` is the archive opened on `apk`; `where.file` names the APK in messages (a device path). */
export async function readApkSigners(apk: ByteSource, zip: ZipArchive, where: { file: string }): Promise<ApkSigners> {
  const problems: Problem[] = [];
  const report = (error: InputError): void => {
    problems.push({ path: where.file, message: error.message });
  };
  const signers = [...(await readJarSigners(zip, where.file, report)), ...(await readBlockSigners(apk, where.file, report))];
  if (signers.length === 0) {
    const message =
      problems.length === 0
        ? 'no signature found: no META-INF/*.RSA, *.DSA or *.EC file and no v2, v3 or v3.1 block in an APK Signing Block'
        : 'no signer could be read';
    problems.push({ path: where.file, message: `${where.file}: apk: ${message}` });
  }
  return { signers: orderAndDeduplicate(signers), problems };
}

async function readBlockSigners(apk: ByteSource, file: string, report: (error: InputError) => void): Promise<ApkSigner[]> {
  try {
    const centralDirectory = await locateCentralDirectory(apk, file);
    const block = await readSigningBlock(apk, file, centralDirectory.offset, report);
    if (block === undefined) return [];
    const signers: ApkSigner[] = [];
    const seen = new Set<number>();
    for (const pair of block.pairs) {
      const scheme = SCHEME_BLOCK_IDS.get(pair.id);
      // Android reads the first block of each ID; so do we.
      if (scheme === undefined || seen.has(pair.id)) continue;
      seen.add(pair.id);
      signers.push(...readSchemeSigners(pair, scheme, file, report));
    }
    return signers;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    report(error);
    return [];
  }
}

function orderAndDeduplicate(signers: ApkSigner[]): ApkSigner[] {
  const unique = new Map<string, ApkSigner>();
  for (const signer of signers) unique.set(`${signer.scheme} ${signer.certificateSha256}`, signer);
  return [...unique.values()].sort(
    (a, b) => SCHEME_ORDER.indexOf(a.scheme) - SCHEME_ORDER.indexOf(b.scheme) || compare(a.certificateSha256, b.certificateSha256),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
