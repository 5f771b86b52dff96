/**
 * An APK's zip structure as Android's zip reader (libziparchive) judges it: data in front of the
 * first entry (the Janus pattern, CVE-2017-13156), and members whose local header disagrees with
 * the central directory or whose data runs into it. Each is a problem; the rest is still read.
 */
import type { AppSigning, ApkSigner } from '../../../shared/app.js';
import type { Problem } from '../../../shared/model.js';
import { InputError } from '../errors.js';
import type { ZipArchive } from '../zip/zipArchive.js';

const LOCAL_HEADER = Buffer.from('PK\x03\x04', 'latin1');
const DEX_MAGIC = Buffer.from('dex\n', 'latin1');

export async function apkStructureProblems(zip: ZipArchive, file: string, signers: readonly ApkSigner[], signing: Pick<AppSigning, 'verified'>): Promise<Problem[]> {
  const problems: Problem[] = [];
  const prefix = await prefixProblem(zip, file, signers, signing);
  if (prefix !== null) problems.push(prefix);
  for (const member of zip.members) {
    try {
      await zip.dataStart(member);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push({ path: `${file}!/${member.name}`, message: `Android refuses this member: ${error.message}` });
    }
  }
  return problems;
}

/** Bytes before the first entry: libziparchive (Android 8.1 and later) refuses such an APK; older versions ran a DEX hidden there. */
async function prefixProblem(zip: ZipArchive, file: string, signers: readonly ApkSigner[], signing: Pick<AppSigning, 'verified'>): Promise<Problem | null> {
  if (zip.members.length === 0 || zip.source.size < 4) return null;
  const first = Math.min(...zip.members.map((member) => member.localHeaderOffset));
  const head = await zip.source.read(0, 4);
  if (first === 0 && head.equals(LOCAL_HEADER)) return null;
  const what = head.equals(DEX_MAGIC) ? 'a DEX file' : 'data';
  const v1Only = signing.verified && signers.length > 0 && signers.every((signer) => signer.scheme === 'v1');
  const risk = v1Only
    ? 'This APK is signed with v1 only, so Android 5.0 to 8.0 accept it and may run the hidden code with the app’s identity.'
    : 'Its v2/v3 signature covers those bytes, so this is not a working Janus attack, but Android 8.1 and later refuse the APK.';
  return {
    path: file,
    message: `${file}: apk: security risk: ${first} bytes of ${what} come before the first zip entry, the Janus pattern (CVE-2017-13156). ${risk}`,
  };
}
