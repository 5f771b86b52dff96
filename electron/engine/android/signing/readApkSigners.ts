/**
 * Who signed an APK and whether the signatures hold, as apksigner (Android's apksig) decides it:
 * the v1 (JAR), v2, v3 and v3.1 signers, each verified with the reason when it fails, and the
 * verdict Android reaches for the app's SDK range. A scheme that cannot be read becomes a problem
 * and the others are still verified.
 */
import type { ApkSigner, AppSigning, SignatureScheme } from '../../../../shared/app.js';
import type { Problem } from '../../../../shared/model.js';
import { compareStrings } from '../../../../shared/sort.js';
import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byteSource.js';
import { locateCentralDirectory } from '../../zip/endOfCentralDirectory.js';
import type { ZipArchive } from '../../zip/zipArchive.js';
import { androidVerdict, type SchemeOutcome } from './androidVerdict.js';
import { ContentDigests } from './contentDigests.js';
import { verifyJarSignature } from './jarSigners.js';
import { SCHEME_BLOCK_IDS, SCHEME_NUMBERS, verifySchemeBlock, type SchemeBlock } from './schemeSigners.js';
import { readSigningBlock } from './signingBlock.js';
import { aospTestKeyName } from './testKeys.js';

const SCHEME_ORDER: readonly SignatureScheme[] = ['v1', 'v2', 'v3', 'v3.1'];

export interface ApkSigners {
  /** In scheme order (v1, v2, v3, v3.1), then by certificate digest; one entry per scheme and certificate. */
  signers: ApkSigner[];
  /** The verdict, without `platformSigned`, which only a build can tell. */
  signing: Omit<AppSigning, 'platformSigned'>;
  problems: Problem[];
}

export interface SignerContext {
  /** Names the APK in messages (a device path). */
  file: string;
  /** The app's minSdkVersion as a number (codenames mapped as apksig maps them), 1 when absent. */
  minSdk: number;
}

/** `zip` is the archive opened on `apk`. */
export async function readApkSigners(apk: ByteSource, zip: ZipArchive, context: SignerContext): Promise<ApkSigners> {
  const { file, minSdk } = context;
  const problems: Problem[] = [];
  const report = (error: InputError): void => {
    problems.push({ path: file, message: error.message });
  };
  const blocks = await readSchemeBlocks(apk, file, report);
  const found = new Set(blocks.map((block) => SCHEME_NUMBERS[block.scheme]));
  const jar = await verifyJarSignature(zip, file, minSdk, found, report);
  const outcomes: SchemeOutcome[] = [
    ...(jar === null ? [] : [{ scheme: 'v1' as const, signers: jar.signers.map((signer) => ({ ...signer, scheme: 'v1' as const })), failures: jar.failures }]),
    ...blocks,
  ];
  const verdict = androidVerdict(outcomes, minSdk);
  const signers = orderAndDeduplicate(
    outcomes.flatMap((outcome) =>
      outcome.signers.map((signer): ApkSigner => {
        const described: ApkSigner = { scheme: outcome.scheme, certificateSha256: signer.certificate.sha256, subject: signer.certificate.subject, verified: signer.failure === null };
        if (signer.failure !== null) described.failure = signer.failure;
        if ('sdkRange' in signer && signer.sdkRange !== undefined) described.sdkRange = signer.sdkRange;
        if ('lineage' in signer && signer.lineage !== undefined && signer.lineage.length > 1) described.rotatedFrom = signer.lineage.slice(0, -1).map((certificate) => certificate.sha256);
        const testKey = aospTestKeyName(signer.certificate.sha256);
        if (testKey !== undefined) described.testKey = testKey;
        return described;
      }),
    ),
  );
  if (outcomes.length === 0) {
    const message =
      problems.length === 0
        ? 'no signature found: no META-INF/*.RSA, *.DSA or *.EC file and no v2, v3 or v3.1 block in an APK Signing Block'
        : 'no signer could be read';
    problems.push({ path: file, message: `${file}: apk: ${message}` });
  } else if (!verdict.verified) {
    problems.push({ path: file, message: `${file}: apk: the signatures do not verify as Android checks them: ${verdict.failure}` });
  }
  const testKeys = [...new Set(signers.filter((signer) => signer.verified && signer.testKey !== undefined).map((signer) => signer.testKey as string))].sort(compareStrings);
  const signing: ApkSigners['signing'] = { verified: verdict.verified, testKeys };
  if (verdict.failure !== undefined) signing.failure = verdict.failure;
  return { signers, signing, problems };
}

/** The v2, v3 and v3.1 blocks of the APK Signing Block, verified; Android reads the first block of each ID. */
async function readSchemeBlocks(apk: ByteSource, file: string, report: (error: InputError) => void): Promise<SchemeBlock[]> {
  try {
    const location = await locateCentralDirectory(apk, file);
    const block = await readSigningBlock(apk, file, location.offset, report);
    if (block === undefined) return [];
    const digests = new ContentDigests(apk, { signingBlockOffset: block.offset, centralDirectoryOffset: location.offset, endRecordOffset: location.endRecordOffset });
    const results: SchemeBlock[] = [];
    const seen = new Set<number>();
    for (const pair of block.pairs) {
      const scheme = SCHEME_BLOCK_IDS.get(pair.id);
      if (scheme === undefined || seen.has(pair.id)) continue;
      seen.add(pair.id);
      results.push(await verifySchemeBlock(pair, scheme, digests, file, report));
    }
    return results;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    report(error);
    return [];
  }
}

/** One entry per scheme and certificate (a verified one wins), in scheme order, then by digest. */
function orderAndDeduplicate(signers: ApkSigner[]): ApkSigner[] {
  const unique = new Map<string, ApkSigner>();
  for (const signer of signers) {
    const key = `${signer.scheme} ${signer.certificateSha256}`;
    const current = unique.get(key);
    if (current === undefined || (!current.verified && signer.verified)) unique.set(key, signer);
  }
  return [...unique.values()].sort(
    (a, b) => SCHEME_ORDER.indexOf(a.scheme) - SCHEME_ORDER.indexOf(b.scheme) || compareStrings(a.certificateSha256, b.certificateSha256),
  );
}
