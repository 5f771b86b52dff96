import { AOSP_TEST_KEYS } from './aospTestKeys.js';

const BY_SHA256: ReadonlyMap<string, string> = new Map(AOSP_TEST_KEYS.map((key) => [key.sha256, key.name]));

/** The AOSP test key a certificate (by SHA-256) belongs to, e.g. `platform`; undefined for any other certificate. */
export function aospTestKeyName(certificateSha256: string): string | undefined {
  return BY_SHA256.get(certificateSha256);
}
