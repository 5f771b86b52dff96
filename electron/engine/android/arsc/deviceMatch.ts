/**
 * Which configuration's value a default device sees when a resource has no default value:
 * `ResTable_config::match` and `isBetterThan` (AOSP ResourceTypes.cpp) for the device aapt's
 * `dump badging` assumes: portrait, mdpi, a normal 320×480 dp screen, SDK 10000, no locale
 * preference (any language serves; among otherwise equal ones the first in the table wins, as in
 * aapt), and nothing else set (no touchscreen, keyboard, navigation, UI mode, mcc/mnc or layout
 * direction).
 */
import type { ResourceConfig } from './config.js';

const DEVICE = {
  orientation: 1,
  sdkVersion: 10000,
  screenWidthDp: 320,
  screenHeightDp: 480,
  smallestScreenWidthDp: 320,
  screenSize: 2,
} as const;

const MASK_SCREENSIZE = 0x0f;
const MASK_SCREENLONG = 0x30;
const MASK_LAYOUTDIR = 0xc0;
const DENSITY_ANY = 0xfffe;
const DENSITY_MEDIUM = 160;

/** Whether the default device can use values of this configuration (ResTable_config::match). */
export function matchesDevice(config: ResourceConfig): boolean {
  if (config.mcc !== 0 || config.mnc !== 0) return false;
  if ((config.screenLayout & MASK_LAYOUTDIR) !== 0 || (config.screenLayout & MASK_SCREENLONG) !== 0) return false;
  if ((config.screenLayout & MASK_SCREENSIZE) > DEVICE.screenSize) return false;
  if (config.uiMode !== 0 || config.screenLayout2 !== 0 || config.colorMode !== 0) return false;
  if (config.smallestScreenWidthDp > DEVICE.smallestScreenWidthDp) return false;
  if (config.screenWidthDp > DEVICE.screenWidthDp || config.screenHeightDp > DEVICE.screenHeightDp) return false;
  if (config.orientation !== 0 && config.orientation !== DEVICE.orientation) return false;
  if (config.touchscreen !== 0 || config.inputFlags !== 0 || config.keyboard !== 0 || config.navigation !== 0) return false;
  if (config.screenWidth !== 0 || config.screenHeight !== 0) return false;
  if (config.sdkVersion > DEVICE.sdkVersion || config.minorVersion !== 0) return false;
  return true;
}

/** Whether `a` serves the default device better than `b`, both matching it (ResTable_config::isBetterThan). */
export function betterForDevice(a: ResourceConfig, b: ResourceConfig): boolean {
  if (a.smallestScreenWidthDp !== b.smallestScreenWidthDp) return a.smallestScreenWidthDp > b.smallestScreenWidthDp;
  const delta = (config: ResourceConfig): number => DEVICE.screenWidthDp - config.screenWidthDp + (DEVICE.screenHeightDp - config.screenHeightDp);
  if (delta(a) !== delta(b)) return delta(a) < delta(b);
  const sizeA = a.screenLayout & MASK_SCREENSIZE;
  const sizeB = b.screenLayout & MASK_SCREENSIZE;
  if (sizeA !== sizeB) {
    // An unspecified size counts as normal for a normal-sized device.
    const fixedA = sizeA === 0 ? DEVICE.screenSize : sizeA;
    const fixedB = sizeB === 0 ? DEVICE.screenSize : sizeB;
    if (fixedA === fixedB) return sizeA !== 0;
    return fixedA > fixedB;
  }
  if (a.orientation !== b.orientation) return a.orientation !== 0;
  if (a.density !== b.density) return betterDensity(a.density, b.density);
  if (a.sdkVersion !== b.sdkVersion) return a.sdkVersion > b.sdkVersion;
  return false;
}

/** Android prefers `anydpi`, then the bucket it scales best from, scaling down counting twice as good as up. */
function betterDensity(aDensity: number, bDensity: number): boolean {
  const a = aDensity === 0 ? DENSITY_MEDIUM : aDensity;
  const b = bDensity === 0 ? DENSITY_MEDIUM : bDensity;
  if (a === DENSITY_ANY) return true;
  if (b === DENSITY_ANY) return false;
  const requested = DENSITY_MEDIUM;
  const high = Math.max(a, b);
  const low = Math.min(a, b);
  const aIsHigh = a >= b;
  if (requested >= high) return aIsHigh;
  if (low >= requested) return !aIsHigh;
  return (2 * low - requested) * high > requested * requested ? !aIsHigh : aIsHigh;
}
