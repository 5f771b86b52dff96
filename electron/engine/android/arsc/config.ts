/**
 * `ResTable_config` (AOSP ResourceTypes.h): the device configuration a set of resource values is
 * for, and its qualifier text as aapt prints it (`zh-rCN`, `land`, `sw600dp-v13`, `night`; the
 * default configuration is the empty string).
 */
import type { BinaryInput } from '../axml/chunks.js';

export interface ResourceConfig {
  mcc: number;
  mnc: number;
  /** Two or three letters, '' when any. */
  language: string;
  /** Two letters or three digits, '' when any. */
  region: string;
  orientation: number;
  touchscreen: number;
  density: number;
  keyboard: number;
  navigation: number;
  inputFlags: number;
  screenWidth: number;
  screenHeight: number;
  sdkVersion: number;
  minorVersion: number;
  screenLayout: number;
  uiMode: number;
  smallestScreenWidthDp: number;
  screenWidthDp: number;
  screenHeightDp: number;
  localeScript: string;
  /** The script was computed by the build tool rather than written by the developer (not printed). */
  localeScriptWasComputed: boolean;
  localeVariant: string;
  screenLayout2: number;
  colorMode: number;
  localeNumberingSystem: string;
  /** The qualifier string, e.g. `zh-rCN`, `land`, `v21`; '' for the default configuration. */
  qualifiers: string;
}

/**
 * Reads a config at `offset`. Older files have shorter configs (the first u32 is the size); fields
 * past that size are zero, as Android reads them.
 */
export function readConfig(input: BinaryInput, offset: number, limit: number, structure: string): ResourceConfig {
  input.need(offset, 4, structure, limit);
  const declared = input.u32(offset);
  if (declared < 4) input.fail(`configuration size ${declared} is too small`, structure, offset, 'at least 4 bytes');
  input.need(offset, declared, structure, limit);
  const size = Math.min(declared, 64);
  const u8 = (at: number): number => (at < size ? input.u8(offset + at) : 0);
  const u16 = (at: number): number => (at + 2 <= size ? input.u16(offset + at) : 0);
  const text = (at: number, length: number): string => {
    let out = '';
    for (let i = 0; i < length; i++) {
      const code = u8(at + i);
      if (code === 0) break;
      out += String.fromCharCode(code);
    }
    return out;
  };
  const config: ResourceConfig = {
    mcc: u16(4),
    mnc: u16(6),
    language: unpackLocalePart(u8(8), u8(9), 0x61),
    region: unpackLocalePart(u8(10), u8(11), 0x30),
    orientation: u8(12),
    touchscreen: u8(13),
    density: u16(14),
    keyboard: u8(16),
    navigation: u8(17),
    inputFlags: u8(18),
    screenWidth: u16(20),
    screenHeight: u16(22),
    sdkVersion: u16(24),
    minorVersion: u16(26),
    screenLayout: u8(28),
    uiMode: u8(29),
    smallestScreenWidthDp: u16(30),
    screenWidthDp: u16(32),
    screenHeightDp: u16(34),
    localeScript: text(36, 4),
    localeScriptWasComputed: u8(52) !== 0,
    localeVariant: text(40, 8),
    screenLayout2: u8(48),
    colorMode: u8(49),
    localeNumberingSystem: text(53, 8),
    qualifiers: '',
  };
  config.qualifiers = formatQualifiers(config);
  return config;
}

/**
 * Language and region are two chars, or three packed into 15 bits when the first byte's high bit
 * is set (`packLanguageOrRegion` in AOSP): `base` is 'a' for languages and '0' for regions.
 */
function unpackLocalePart(first: number, second: number, base: number): string {
  if (first & 0x80) {
    const a = second & 0x1f;
    const b = ((second & 0xe0) >> 5) | ((first & 0x03) << 3);
    const c = (first & 0x7c) >> 2;
    return String.fromCharCode(a + base, b + base, c + base);
  }
  if (first === 0) return '';
  return second === 0 ? String.fromCharCode(first) : String.fromCharCode(first, second);
}

const ORIENTATIONS: Record<number, string> = { 1: 'port', 2: 'land', 3: 'square' };
const TOUCHSCREENS: Record<number, string> = { 1: 'notouch', 2: 'stylus', 3: 'finger' };
const KEYBOARDS: Record<number, string> = { 1: 'nokeys', 2: 'qwerty', 3: '12key' };
const NAVIGATIONS: Record<number, string> = { 1: 'nonav', 2: 'dpad', 3: 'trackball', 4: 'wheel' };
const KEYS_HIDDEN: Record<number, string> = { 1: 'keysexposed', 2: 'keyshidden', 3: 'keyssoft' };
const NAV_HIDDEN: Record<number, string> = { 1: 'navexposed', 2: 'navhidden' };
const SCREEN_SIZES: Record<number, string> = { 1: 'small', 2: 'normal', 3: 'large', 4: 'xlarge' };
const SCREEN_LONG: Record<number, string> = { 1: 'notlong', 2: 'long' };
const LAYOUT_DIRECTIONS: Record<number, string> = { 1: 'ldltr', 2: 'ldrtl' };
const SCREEN_ROUND: Record<number, string> = { 1: 'notround', 2: 'round' };
const WIDE_GAMUT: Record<number, string> = { 1: 'nowidecg', 2: 'widecg' };
const HDR: Record<number, string> = { 1: 'lowdr', 2: 'highdr' };
const UI_MODE_TYPES: Record<number, string> = { 2: 'desk', 3: 'car', 4: 'television', 5: 'appliance', 6: 'watch', 7: 'vrheadset' };
const UI_MODE_NIGHT: Record<number, string> = { 1: 'notnight', 2: 'night' };
const DENSITIES: Record<number, string> = { 120: 'ldpi', 160: 'mdpi', 213: 'tvdpi', 240: 'hdpi', 320: 'xhdpi', 480: 'xxhdpi', 640: 'xxxhdpi', 0xfffe: 'anydpi', 0xffff: 'nodpi' };

/** Qualifiers in aapt's order (`ResTable_config::toString`), joined by `-`. */
export function formatQualifiers(config: ResourceConfig): string {
  const parts: string[] = [];
  const add = (table: Record<number, string>, value: number): void => {
    if (value === 0) return;
    parts.push(table[value] ?? String(value));
  };
  if (config.mcc !== 0) parts.push(`mcc${config.mcc}`);
  if (config.mnc !== 0) parts.push(`mnc${config.mnc}`);
  const locale = formatLocale(config);
  if (locale !== '') parts.push(locale);
  add(LAYOUT_DIRECTIONS, (config.screenLayout & 0xc0) >> 6);
  if (config.smallestScreenWidthDp !== 0) parts.push(`sw${config.smallestScreenWidthDp}dp`);
  if (config.screenWidthDp !== 0) parts.push(`w${config.screenWidthDp}dp`);
  if (config.screenHeightDp !== 0) parts.push(`h${config.screenHeightDp}dp`);
  add(SCREEN_SIZES, config.screenLayout & 0x0f);
  add(SCREEN_LONG, (config.screenLayout & 0x30) >> 4);
  add(SCREEN_ROUND, config.screenLayout2 & 0x03);
  add(WIDE_GAMUT, config.colorMode & 0x03);
  add(HDR, (config.colorMode & 0x0c) >> 2);
  add(ORIENTATIONS, config.orientation);
  const uiType = config.uiMode & 0x0f;
  if (uiType !== 0 && uiType !== 1) parts.push(UI_MODE_TYPES[uiType] ?? `uiMode=${uiType}`);
  add(UI_MODE_NIGHT, (config.uiMode & 0x30) >> 4);
  if (config.density !== 0) parts.push(DENSITIES[config.density] ?? `${config.density}dpi`);
  add(TOUCHSCREENS, config.touchscreen);
  add(KEYS_HIDDEN, config.inputFlags & 0x03);
  add(KEYBOARDS, config.keyboard);
  add(NAV_HIDDEN, (config.inputFlags & 0x0c) >> 2);
  add(NAVIGATIONS, config.navigation);
  if (config.screenWidth !== 0 || config.screenHeight !== 0) parts.push(`${config.screenWidth}x${config.screenHeight}`);
  if (config.sdkVersion !== 0 || config.minorVersion !== 0) {
    parts.push(config.minorVersion !== 0 ? `v${config.sdkVersion}.${config.minorVersion}` : `v${config.sdkVersion}`);
  }
  return parts.join('-');
}

/** `zh-rCN` for language + region; the `b+sr+Latn` form when there is a script, variant or numbering. */
function formatLocale(config: ResourceConfig): string {
  if (config.language === '' && config.region === '') return '';
  const script = config.localeScriptWasComputed ? '' : config.localeScript;
  if (script === '' && config.localeVariant === '' && config.localeNumberingSystem === '') {
    if (config.language === '') return `r${config.region}`;
    return config.region === '' ? config.language : `${config.language}-r${config.region}`;
  }
  const parts = ['b', config.language === '' ? 'und' : config.language];
  if (script !== '') parts.push(script);
  if (config.region !== '') parts.push(config.region);
  if (config.localeVariant !== '') parts.push(config.localeVariant);
  if (config.localeNumberingSystem !== '') parts.push('u', 'nu', config.localeNumberingSystem);
  return parts.join('+');
}
