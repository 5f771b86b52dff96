import { parseOtaMetadata } from '../props/buildProp.js';
import type { ZipArchive } from '../zip/zipArchive.js';

export const OTA_METADATA = 'META-INF/com/android/metadata';
const METADATA_LIMIT = 4 << 20;

/** `META-INF/com/android/metadata` of an OTA zip, or null when it has none. */
export async function readZipOtaMetadata(zip: ZipArchive): Promise<Record<string, string> | null> {
  const member = zip.get(OTA_METADATA);
  if (member === undefined) return null;
  return parseOtaMetadata((await zip.readAll(member, METADATA_LIMIT)).toString('utf8'));
}
