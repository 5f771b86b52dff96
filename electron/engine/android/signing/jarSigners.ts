/**
 * Signers of the v1 scheme (JAR signing): the PKCS#7 signature block files directly in META-INF/.
 */
import type { ApkSigner } from '../../../../shared/app.js';
import { InputError } from '../../errors.js';
import type { ZipArchive } from '../../zip/zipArchive.js';
import { readPkcs7SignerCertificates } from './pkcs7.js';

const SIGNATURE_BLOCK_FILE = /^META-INF\/[^/]+\.(?:RSA|DSA|EC)$/;
/** A signature block holds a few certificates; real ones are a few KiB. */
export const MAX_SIGNATURE_BLOCK_FILE_SIZE = 1 << 20;

export async function readJarSigners(zip: ZipArchive, file: string, report: (error: InputError) => void): Promise<ApkSigner[]> {
  const signers: ApkSigner[] = [];
  const blockFiles = zip.members.filter((member) => !member.isDirectory && SIGNATURE_BLOCK_FILE.test(member.name));
  for (const member of blockFiles) {
    try {
      const bytes = await zip.readAll(member, MAX_SIGNATURE_BLOCK_FILE_SIZE);
      const location = { file, format: `apk › ${member.name}`, baseOffset: 0 };
      for (const certificate of readPkcs7SignerCertificates(bytes, location, report)) {
        signers.push({ scheme: 'v1', certificateSha256: certificate.sha256, subject: certificate.subject });
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      report(error);
    }
  }
  return signers;
}
