import type { LayeredProperty, PropertyDefinitionAt } from '../../../shared/inventory.js';
import { compareStrings } from '../../../shared/sort.js';
import { parsePropertyFile } from '../props/buildProp.js';

/**
 * Which property files Android's init loads at boot, in which order, and which value wins.
 * Checked against system/core/init `property_service.cpp` of several versions:
 *
 * - `modern` — Android 10 and later (`PropertyLoadBootDefaults` / `property_load_boot_defaults`):
 *   every file is read into one map before anything is set, so a later definition replaces an
 *   earlier one, `ro.` or not, within a file and across files. The later a partition loads, the
 *   more product-specific it is: system < system_ext < vendor < odm < product.
 * - `legacy` — Android 9 and earlier: each line is set as soon as it is read, and `ro.` properties
 *   are write-once, so the FIRST definition of a `ro.` name wins (even within one file) while other
 *   names take the last one. The order also differs (Android 9 loads /product/build.prop and the
 *   default.prop files before /system/build.prop). Android 4.x read /default.prop, then
 *   /system/build.prop and /system/default.prop; 5.0 added /vendor/build.prop, 8.0 the /odm and
 *   /vendor default.prop files.
 *
 * Version details kept in the lists below: `/system/etc/prop.default` → `/prop.default` →
 * `/default.prop` is "the first that exists" (Android 8.1–11; 12 and later build none and read the
 * ramdisk's `/system/etc/ramdisk/build.prop` instead); for system_ext, odm and product, Android 11+
 * reads `/<p>/etc/build.prop` and only when it is missing the legacy `/<p>/default.prop` and
 * `/<p>/build.prop`; `/product_services/build.prop` exists in Android 10 only; `/factory/factory.prop`
 * only contributes `ro.*` names.
 *
 * Not modelled: `import` lines (parsePropertyFile lists them but they are not followed), recovery
 * mode, SELinux property_contexts checks (Android 10+ refuses a definition its file's context may
 * not set), the value length limit (91 bytes for non-`ro.` names), and properties derived at boot
 * (ro.product.*, ro.build.fingerprint, ro.product.cpu.abilist*) when no file sets them.
 */
export type PropertyLoadModel = 'modern' | 'legacy';

interface LoadStep {
  /** The first alternative of which at least one file exists is loaded; the others are not. */
  alternatives: readonly (readonly string[])[];
  /** Only names starting with this prefix are taken from these files. */
  namePrefix?: string;
}

const RAMDISK_DEFAULTS: LoadStep = { alternatives: [['/system/etc/prop.default'], ['/prop.default'], ['/default.prop']] };
const FACTORY: LoadStep = { alternatives: [['/factory/factory.prop']], namePrefix: 'ro.' };
const single = (path: string): LoadStep => ({ alternatives: [[path]] });
const partition = (name: string): LoadStep => ({ alternatives: [[`/${name}/etc/build.prop`], [`/${name}/default.prop`, `/${name}/build.prop`]] });

const LOAD_STEPS: Readonly<Record<PropertyLoadModel, readonly LoadStep[]>> = {
  modern: [
    RAMDISK_DEFAULTS,
    single('/system/etc/ramdisk/build.prop'),
    single('/system/build.prop'),
    partition('system_ext'),
    single('/vendor/default.prop'),
    single('/vendor/build.prop'),
    single('/vendor_dlkm/etc/build.prop'),
    single('/odm_dlkm/etc/build.prop'),
    partition('odm'),
    partition('product'),
    single('/product_services/build.prop'),
    FACTORY,
  ],
  legacy: [
    RAMDISK_DEFAULTS,
    single('/product/build.prop'),
    single('/odm/default.prop'),
    single('/vendor/default.prop'),
    single('/system/build.prop'),
    single('/system/default.prop'),
    single('/odm/build.prop'),
    single('/vendor/build.prop'),
    FACTORY,
  ],
};

const pathsOf = (steps: readonly LoadStep[]): string[] => steps.flatMap((step) => step.alternatives.flat());

/** Device paths of the property files Android 10+ may load, in load order. */
export const PROPERTY_FILE_ORDER: readonly string[] = pathsOf(LOAD_STEPS.modern);
/** Device paths of the property files Android 9 and earlier may load, in load order. */
export const LEGACY_PROPERTY_FILE_ORDER: readonly string[] = pathsOf(LOAD_STEPS.legacy);

const PROPERTY_FILES = new Set([...PROPERTY_FILE_ORDER, ...LEGACY_PROPERTY_FILE_ORDER]);

/** True for a device path init reads as a boot property file in some Android version. */
export function isPropertyFile(devicePath: string): boolean {
  return PROPERTY_FILES.has(devicePath);
}

export interface PropertyFileText {
  /** Device path, e.g. `/vendor/build.prop`. */
  path: string;
  text: string;
}

export interface PlannedPropertyFile {
  path: string;
  /** Only names with this prefix are taken from the file. */
  namePrefix?: string;
}

export interface PropertyLoadPlan {
  /** Files init reads, in order. */
  loaded: PlannedPropertyFile[];
  /** Files present but not read, with the reason. */
  skipped: { path: string; reason: string }[];
}

/** Which of the present files init reads under `model`, in order, and which it passes over. */
export function planPropertyLoad(presentPaths: Iterable<string>, model: PropertyLoadModel): PropertyLoadPlan {
  const present = new Set(presentPaths);
  const plan: PropertyLoadPlan = { loaded: [], skipped: [] };
  const known = new Set<string>();
  for (const step of LOAD_STEPS[model]) {
    const chosen = step.alternatives.find((files) => files.some((path) => present.has(path)));
    for (const files of step.alternatives) {
      for (const path of files) {
        known.add(path);
        if (!present.has(path)) continue;
        if (files === chosen) plan.loaded.push(step.namePrefix === undefined ? { path } : { path, namePrefix: step.namePrefix });
        else plan.skipped.push({ path, reason: `not read because ${(chosen ?? [])[0] ?? 'an earlier file'} exists` });
      }
    }
  }
  for (const path of [...present].sort(compareStrings)) {
    if (!known.has(path)) plan.skipped.push({ path, reason: `not a boot property file of ${model === 'modern' ? 'Android 10 and later' : 'Android 9 and earlier'}` });
  }
  return plan;
}

/**
 * The load model a set of property files asks for: `legacy` when /system/build.prop says the SDK is
 * 28 (Android 9) or lower, `modern` otherwise (also when it cannot tell).
 */
export function propertyLoadModelFor(files: readonly PropertyFileText[]): PropertyLoadModel {
  const systemBuildProp = files.find((file) => file.path === '/system/build.prop');
  if (systemBuildProp === undefined) return 'modern';
  const values = parsePropertyFile(systemBuildProp.text).values;
  const sdk = Number.parseInt(values.get('ro.build.version.sdk') ?? values.get('ro.system.build.version.sdk') ?? '', 10);
  return Number.isInteger(sdk) && sdk <= 28 ? 'legacy' : 'modern';
}

/** Names init refuses to take from a property file (Android 10+; older versions had no such check). */
const SPECIAL_NAMES = new Set(['sys.powerctl', 'selinux.restorecon_recursive']);

/**
 * Every property the files define, sorted by name, each with all its definitions in load order and
 * the value Android ends up with under `model` (by default the one the files themselves ask for).
 */
export function layerProperties(files: readonly PropertyFileText[], model: PropertyLoadModel = propertyLoadModelFor(files)): LayeredProperty[] {
  const byPath = new Map<string, string>();
  for (const file of files) if (!byPath.has(file.path)) byPath.set(file.path, file.text);
  const definitions = new Map<string, PropertyDefinitionAt[]>();
  for (const { path, namePrefix } of planPropertyLoad(byPath.keys(), model).loaded) {
    for (const { name, value, line } of parsePropertyFile(byPath.get(path) ?? '').definitions) {
      if (!isLegalPropertyName(name) || (namePrefix !== undefined && !name.startsWith(namePrefix))) continue;
      if (model === 'modern' && (name.startsWith('ctl.') || SPECIAL_NAMES.has(name))) continue;
      const layers = definitions.get(name) ?? [];
      layers.push({ layer: path, value, line });
      definitions.set(name, layers);
    }
  }
  return [...definitions.keys()].sort(compareStrings).map((name) => {
    const layers = definitions.get(name) ?? [];
    const winner = (model === 'legacy' && name.startsWith('ro.') ? layers[0] : layers[layers.length - 1]) as PropertyDefinitionAt;
    return { name, value: winner.value, layer: winner.layer, layers };
  });
}

/** init's `IsLegalPropertyName`: letters, digits, `_ - @ : .`, no empty, leading, trailing or doubled dot. */
export function isLegalPropertyName(name: string): boolean {
  return /^[A-Za-z0-9_\-@:]+(\.[A-Za-z0-9_\-@:]+)*$/.test(name);
}
