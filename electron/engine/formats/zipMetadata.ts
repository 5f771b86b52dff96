import { parseOtaMetadata } from '../props/buildProp.js';
import { parseOtaMetadataPb } from './otaMetadataPb.js';
import type { ZipArchive } from '../zip/zipArchive.js';

export const OTA_METADATA = 'META-INF/com/android/metadata';
export const OTA_METADATA_PB = 'META-INF/com/android/metadata.pb';
const METADATA_LIMIT = 4 << 20;

/**
 * The OTA metadata of a zip: `META-INF/com/android/metadata`, or, in packages that only carry the
 * newer protobuf form, `metadata.pb`; null when it has neither.
 */
export async function readZipOtaMetadata(zip: ZipArchive): Promise<Record<string, string> | null> {
  const text = zip.get(OTA_METADATA);
  if (text !== undefined) return parseOtaMetadata((await zip.readAll(text, METADATA_LIMIT)).toString('utf8'));
  const protobuf = zip.get(OTA_METADATA_PB);
  if (protobuf !== undefined) return parseOtaMetadataPb(await zip.readAll(protobuf, METADATA_LIMIT), `${zip.source.name} › ${OTA_METADATA_PB}`);
  return null;
}
