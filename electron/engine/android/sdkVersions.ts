/**
 * SDK versions as a manifest states them: an API level, or the codename of an unreleased platform
 * (`minSdkVersion="VanillaIceCream"`), which Android keeps as text.
 */

/** What Android's package parser uses for a codename target: the development level. */
export const CUR_DEVELOPMENT = 10000;

/** First letters of platform codenames and their API levels (apksig's ApkUtils table). */
const CODENAME_LEVELS: readonly [string, number][] = [
  ['C', 2], ['D', 3], ['E', 4], ['F', 7], ['G', 8], ['H', 10], ['I', 13], ['J', 15], ['K', 18], ['L', 20], ['M', 22], ['N', 23], ['O', 25],
];

/**
 * The lowest API level an app declaring this minSdkVersion runs on, as apksigner counts it: 1 when
 * absent; for a codename, the level its first letter stands for (later letters count up from O).
 */
export function minimumPlatformLevel(minSdkVersion: number | string | null): number {
  if (minSdkVersion === null) return 1;
  if (typeof minSdkVersion === 'number') return minSdkVersion;
  const first = minSdkVersion.charAt(0);
  if (first < 'A' || first > 'Z') return 1;
  let level = 1;
  for (const [letter, api] of CODENAME_LEVELS) {
    if (letter === first) return api;
    if (letter < first) level = api + (first.charCodeAt(0) - letter.charCodeAt(0));
  }
  return level;
}

/** An SDK version as a number for comparisons: a codename counts as the development level. */
export function effectiveSdk(version: number | string | null, fallback: number): number {
  if (version === null) return fallback;
  return typeof version === 'number' ? version : CUR_DEVELOPMENT;
}
