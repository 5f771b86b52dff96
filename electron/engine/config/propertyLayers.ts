import { posix } from 'node:path';
import type { LayeredProperty, PropertyDefinitionAt } from '../../../shared/inventory.js';
import type { Problem } from '../../../shared/model.js';
import { compareStrings } from '../../../shared/sort.js';
import { parsePropertyFile, type PropertyImport } from '../props/buildProp.js';

/**
 * Which property files Android's init loads at boot, in which order, and which value wins.
 * Checked against system/core/init `property_service.cpp` of several versions:
 *
 * - `modern` — Android 10 and later (`PropertyLoadBootDefaults` / `property_load_boot_defaults`):
 *   every file is read into one map before anything is set, so a later definition replaces an
 *   earlier one, `ro.` or not, within a file and across files. The later a partition loads, the
 *   more product-specific it is: system < system_ext < system_dlkm (Android 13+) < vendor <
 *   vendor_dlkm < odm_dlkm (Android 12+) < odm < product.
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
 * `import FILE [FILTER]` lines (`LoadProperties`) load FILE right there, as if its lines stood in
 * place of the import: its definitions land between the lines before and after the import, in both
 * models, each keeping its own file and line (and the import that brought it). A FILTER keeps only
 * the names it allows (`ro.foo.*` or one name) and, in a filtered file, `import` lines are not
 * followed. FILE is expanded first (`ExpandProps`): `$$` is a `$`, `${name}` / `${name:-default}`
 * the property's value. Under `modern` the map being built is not yet set, so only what the kernel
 * and bootloader set (`ro.boot.*`…) is visible: such an import depends on the device and is reported,
 * not followed. Under `legacy` each line is set as it is read, so earlier definitions expand. A
 * missing file is skipped (init only logs it), and so is an import whose name cannot expand. init has
 * no recursion limit (a file that imports itself loops until init crashes); here a cycle, more than
 * MAX_IMPORT_DEPTH nested imports or MAX_IMPORTS in all are reported and not followed.
 *
 * Not modelled: recovery mode, SELinux property_contexts checks (Android 10+ refuses a definition
 * its file's context may not set), the value length limit (91 bytes for non-`ro.` names), and
 * properties derived at boot (ro.product.*, ro.build.fingerprint, ro.product.cpu.abilist*) when no
 * file sets them.
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
    single('/system_dlkm/etc/build.prop'),
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
const MAX_IMPORT_DEPTH = 8;
const MAX_IMPORTS = 256;
/** Properties init sets from the kernel command line, bootconfig and device tree before any file. */
const KERNEL_SET = /^ro\.(?:boot|kernel)\.|^ro\.(?:serialno|bootmode|baseband|bootloader|hardware|revision)$/;

export interface PropertyLayering {
  /** Every property, sorted by name, with all its definitions in load order and the winning value. */
  properties: LayeredProperty[];
  /** Imports that were not followed, by the file holding them. */
  problems: Problem[];
  /** Files imported (after expansion) that `files` did not hold: read them and layer again. */
  missing: string[];
}

/**
 * The layering of the given property files under `model` (by default the one the files themselves
 * ask for), following `import` lines into the other files given.
 */
export function layerPropertyFiles(files: readonly PropertyFileText[], model: PropertyLoadModel = propertyLoadModelFor(files)): PropertyLayering {
  const byPath = new Map<string, string>();
  for (const file of files) if (!byPath.has(file.path)) byPath.set(file.path, file.text);
  const definitions = new Map<string, PropertyDefinitionAt[]>();
  const problems: Problem[] = [];
  const missing = new Set<string>();
  let imports = 0;

  const define = (name: string, at: PropertyDefinitionAt, namePrefix: string | undefined): void => {
    if (!isLegalPropertyName(name) || (namePrefix !== undefined && !name.startsWith(namePrefix))) return;
    if (model === 'modern' && (name.startsWith('ctl.') || SPECIAL_NAMES.has(name))) return;
    const layers = definitions.get(name) ?? [];
    layers.push(at);
    definitions.set(name, layers);
  };
  const load = (path: string, filter: string | null, namePrefix: string | undefined, chain: readonly string[], importedBy: PropertyDefinitionAt['importedBy']): void => {
    for (const entry of parsePropertyFile(byPath.get(path) ?? '', filter).entries) {
      if (entry.kind === 'definition') {
        define(entry.name, { layer: path, value: entry.value, line: entry.line, ...(importedBy === undefined ? {} : { importedBy }) }, namePrefix);
        continue;
      }
      const report = (message: string): void => {
        problems.push({ path, message: `line ${entry.line}: import ${entry.path} not followed: ${message}` });
      };
      const target = expandImportPath(entry, model, (name) => currentValue(definitions.get(name), name, model));
      if (typeof target !== 'string') {
        report(target.problem);
        continue;
      }
      if ([...chain, path].includes(target)) report(`${target} is already being loaded (init would load it again and again until it crashes)`);
      else if (chain.length + 1 > MAX_IMPORT_DEPTH) report(`imports nested more than ${MAX_IMPORT_DEPTH} deep`);
      else if (++imports > MAX_IMPORTS) report(`more than ${MAX_IMPORTS} imports in all`);
      else if (!byPath.has(target)) {
        missing.add(target);
        report(`${target} is not in the package (init skips a missing file)`);
      } else {
        load(target, entry.filter, namePrefix, [...chain, path], { layer: path, line: entry.line });
      }
    }
  };

  for (const { path, namePrefix } of planPropertyLoad(byPath.keys(), model).loaded) load(path, null, namePrefix, [], undefined);
  const properties = [...definitions.keys()].sort(compareStrings).map((name) => {
    const layers = definitions.get(name) ?? [];
    const winner = winning(layers, name, model) as PropertyDefinitionAt;
    return { name, value: winner.value, layer: winner.layer, layers };
  });
  return { properties, problems, missing: [...missing].sort(compareStrings) };
}

/**
 * Every property the files define, sorted by name, each with all its definitions in load order and
 * the value Android ends up with under `model` (by default the one the files themselves ask for).
 */
export function layerProperties(files: readonly PropertyFileText[], model: PropertyLoadModel = propertyLoadModelFor(files)): LayeredProperty[] {
  return layerPropertyFiles(files, model).properties;
}

/** Under `legacy`, `ro.` names are write-once: the first definition wins; otherwise the last. */
function winning(layers: readonly PropertyDefinitionAt[], name: string, model: PropertyLoadModel): PropertyDefinitionAt | undefined {
  return model === 'legacy' && name.startsWith('ro.') ? layers[0] : layers[layers.length - 1];
}

/** What init could read for `name` while loading files: under `modern` nothing is set yet. */
function currentValue(layers: readonly PropertyDefinitionAt[] | undefined, name: string, model: PropertyLoadModel): string | null {
  if (model === 'modern' || layers === undefined) return null;
  return winning(layers, name, model)?.value ?? null;
}

/**
 * An import's file after init's `ExpandProps`, as a normalised absolute device path, or why it
 * cannot be known here.
 */
function expandImportPath(entry: PropertyImport, model: PropertyLoadModel, valueOf: (name: string) => string | null): string | { problem: string } {
  let expanded = '';
  const source = entry.path;
  for (let at = 0; at < source.length; ) {
    const dollar = source.indexOf('$', at);
    if (dollar === -1) {
      expanded += source.slice(at);
      break;
    }
    expanded += source.slice(at, dollar);
    const next = source[dollar + 1];
    if (next === '$') {
      expanded += '$';
      at = dollar + 2;
      continue;
    }
    if (next !== '{') return { problem: 'a $name reference without braces, which init refuses since Android 11 and this tool does not expand' };
    const close = source.indexOf('}', dollar);
    if (close === -1) return { problem: 'a ${ without its }' };
    const [name = '', fallback] = source.slice(dollar + 2, close).split(':-', 2);
    if (name === '') return { problem: 'an empty ${} reference' };
    const value = valueOf(name);
    if (value !== null && value !== '') expanded += value;
    else if (KERNEL_SET.test(name)) return { problem: `the file name depends on ${name}, which the bootloader sets on the device` };
    else if (fallback !== undefined && fallback !== '') expanded += fallback;
    else return { problem: `${name} is not set when init reads this line${model === 'modern' ? ' (Android 10+ sets the files\' properties only after reading them all)' : ''}, so init skips it` };
    at = close + 1;
  }
  return posix.normalize(expanded.startsWith('/') ? expanded : `/${expanded}`);
}

/** init's `IsLegalPropertyName`: letters, digits, `_ - @ : .`, no empty, leading, trailing or doubled dot. */
export function isLegalPropertyName(name: string): boolean {
  return /^[A-Za-z0-9_\-@:]+(\.[A-Za-z0-9_\-@:]+)*$/.test(name);
}
