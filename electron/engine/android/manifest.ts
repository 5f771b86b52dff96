/**
 * AndroidManifest.xml (decoded AXML) → the app model's manifest facts, read the way the package
 * manager reads them: android attributes by resource ID, defaults as Android applies them.
 */
import type { AppComponent, AppModel, ApplicationFlags, ComponentType, DeclaredPermission, IntentFilter, OverlayInfo, UsesPermission } from '../../../shared/app.js';
import { compareStrings, sortByKey } from '../../../shared/sort.js';
import { AndroidAttr, childElements, getAttribute, getAttributeByName, type AxmlDocument, type AxmlElement } from './axml/index.js';
import { withImpliedPermissions } from './impliedPermissions.js';
import { effectiveSdk } from './sdkVersions.js';
import { ValueType, type TypedValue } from './typedValue.js';
import { resolvedBoolean, resolvedInteger, resolvedText, type ValueResolver } from './valueResolver.js';

export type ManifestFacts = Omit<AppModel, 'preferences' | 'signers' | 'signing' | 'code' | 'problems'>;

const COMPONENT_ELEMENTS: Readonly<Record<string, ComponentType>> = {
  activity: 'activity',
  'activity-alias': 'activity',
  service: 'service',
  receiver: 'receiver',
  provider: 'provider',
};

/** Providers were exported by default before API 17 (Android 4.2). */
const PROVIDER_EXPORT_DEFAULT_CHANGED_SDK = 17;

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

export function readManifest(document: AxmlDocument, resolver: ValueResolver): ManifestFacts {
  const manifest = document.root;
  if (manifest === null || manifest.name !== 'manifest') {
    throw new ManifestError(`the root element is <${manifest?.name ?? 'nothing'}>, expected <manifest>`);
  }
  const text = (element: AxmlElement, id: number): string | null => resolvedText(resolver, getAttribute(element, id)?.value);
  const packageName = getAttributeByName(manifest, 'package')?.value.string ?? '';
  const usesSdk = childElements(manifest, 'uses-sdk')[0];
  const application = childElements(manifest, 'application')[0];
  const targetSdkVersion = usesSdk ? sdkVersion(resolver, getAttribute(usesSdk, AndroidAttr.targetSdkVersion)?.value) : null;
  const minSdkVersion = usesSdk ? sdkVersion(resolver, getAttribute(usesSdk, AndroidAttr.minSdkVersion)?.value) : null;
  // As the package parser: no target means the minimum; a codename means the development level.
  const effectiveTarget = effectiveSdk(targetSdkVersion ?? minSdkVersion, 1);

  return {
    package: packageName,
    versionCode: resolvedInteger(resolver, getAttribute(manifest, AndroidAttr.versionCode)?.value),
    versionName: text(manifest, AndroidAttr.versionName),
    minSdkVersion,
    targetSdkVersion,
    sharedUserId: text(manifest, AndroidAttr.sharedUserId),
    label: application ? text(application, AndroidAttr.label) : null,
    usesPermissions: sortByKey(withImpliedPermissions(readUsesPermissions(manifest, resolver), effectiveTarget), (permission) => permission.name),
    permissions: readDeclaredPermissions(manifest, resolver),
    application: readApplicationFlags(application, packageName, resolver),
    components: application ? readComponents(application, packageName, effectiveTarget, resolver) : [],
    overlay: readOverlay(manifest, resolver),
  };
}

/** An SDK level as the package parser reads it: a number, or a string kept as a codename. */
function sdkVersion(resolver: ValueResolver, value: TypedValue | undefined): number | string | null {
  const number = resolvedInteger(resolver, value);
  if (number !== null || value === undefined) return number;
  const resolved = resolver.resolve(value).value;
  return resolved.type === ValueType.STRING && resolved.string !== undefined && resolved.string !== '' ? resolved.string : null;
}

function readUsesPermissions(manifest: AxmlElement, resolver: ValueResolver): UsesPermission[] {
  const byName = new Map<string, UsesPermission>();
  for (const tag of ['uses-permission', 'uses-permission-sdk-23', 'uses-permission-sdk-m']) {
    for (const element of childElements(manifest, tag)) {
      const name = resolvedText(resolver, getAttribute(element, AndroidAttr.name)?.value);
      if (name === null) continue;
      const permission: UsesPermission = { name };
      const maxSdkVersion = resolvedInteger(resolver, getAttribute(element, AndroidAttr.maxSdkVersion)?.value);
      if (maxSdkVersion !== null) permission.maxSdkVersion = maxSdkVersion;
      byName.set(name, permission);
    }
  }
  return sortByKey(byName.values(), (permission) => permission.name);
}

function readDeclaredPermissions(manifest: AxmlElement, resolver: ValueResolver): DeclaredPermission[] {
  const permissions: DeclaredPermission[] = [];
  for (const element of childElements(manifest, 'permission')) {
    const name = resolvedText(resolver, getAttribute(element, AndroidAttr.name)?.value);
    if (name === null) continue;
    const level = resolvedInteger(resolver, getAttribute(element, AndroidAttr.protectionLevel)?.value) ?? 0;
    permissions.push({ name, protectionLevel: protectionLevelName(level) });
  }
  return sortByKey(permissions, (permission) => permission.name);
}

const BASE_PROTECTION_LEVELS = ['normal', 'dangerous', 'signature', 'signatureOrSystem', 'internal'];
/** PermissionInfo.PROTECTION_FLAG_* (AOSP core/java/android/content/pm/PermissionInfo.java). */
const PROTECTION_FLAGS: readonly [number, string][] = [
  [0x10, 'privileged'],
  [0x20, 'development'],
  [0x40, 'appop'],
  [0x80, 'pre23'],
  [0x100, 'installer'],
  [0x200, 'verifier'],
  [0x400, 'preinstalled'],
  [0x800, 'setup'],
  [0x1000, 'instant'],
  [0x2000, 'runtime'],
  [0x4000, 'oem'],
  [0x8000, 'vendorPrivileged'],
  [0x10000, 'textClassifier'],
  [0x80000, 'configurator'],
  [0x100000, 'incidentReportApprover'],
  [0x200000, 'appPredictor'],
  [0x400000, 'module'],
  [0x800000, 'companion'],
  [0x1000000, 'retailDemo'],
  [0x2000000, 'recents'],
  [0x4000000, 'role'],
  [0x8000000, 'knownSigner'],
];

/** `0x12` → `signature|privileged`, as `PermissionInfo.protectionToString` names it. */
export function protectionLevelName(level: number): string {
  const base = BASE_PROTECTION_LEVELS[level & 0xf] ?? `base${level & 0xf}`;
  const flags = PROTECTION_FLAGS.filter(([bit]) => (level & bit) !== 0).map(([, name]) => name);
  const known = PROTECTION_FLAGS.reduce((mask, [bit]) => mask | bit, 0xf);
  const unknown = level & ~known;
  if (unknown !== 0) flags.push(`0x${(unknown >>> 0).toString(16)}`);
  return [base, ...flags].join('|');
}

function readApplicationFlags(application: AxmlElement | undefined, packageName: string, resolver: ValueResolver): ApplicationFlags {
  const flag = (id: number, fallback: boolean): boolean => (application ? resolvedBoolean(resolver, getAttribute(application, id)?.value, fallback) : fallback);
  const cleartext = application ? getAttribute(application, AndroidAttr.usesCleartextTraffic) : undefined;
  const className = application ? resolvedText(resolver, getAttribute(application, AndroidAttr.name)?.value) : null;
  return {
    debuggable: flag(AndroidAttr.debuggable, false),
    allowBackup: flag(AndroidAttr.allowBackup, true),
    persistent: flag(AndroidAttr.persistent, false),
    usesCleartextTraffic: cleartext === undefined ? null : resolvedBoolean(resolver, cleartext.value, true),
    enabled: flag(AndroidAttr.enabled, true),
    className: className === null ? null : qualifyClassName(packageName, className),
  };
}

function readComponents(application: AxmlElement, packageName: string, targetSdk: number, resolver: ValueResolver): AppComponent[] {
  const components: AppComponent[] = [];
  for (const element of application.children) {
    if (element.kind !== 'element') continue;
    const type = COMPONENT_ELEMENTS[element.name];
    if (type === undefined) continue;
    const name = resolvedText(resolver, getAttribute(element, AndroidAttr.name)?.value);
    if (name === null) continue;
    const intentFilters = childElements(element, 'intent-filter').map((filter) => readIntentFilter(filter, resolver));
    const declared = getAttribute(element, AndroidAttr.exported);
    const inferred = type === 'provider' ? targetSdk < PROVIDER_EXPORT_DEFAULT_CHANGED_SDK : intentFilters.length > 0;
    components.push({
      type,
      name: qualifyClassName(packageName, name),
      exported: declared === undefined ? inferred : resolvedBoolean(resolver, declared.value, inferred),
      exportedSource: declared === undefined ? 'inferred' : 'declared',
      enabled: resolvedBoolean(resolver, getAttribute(element, AndroidAttr.enabled)?.value, true),
      permission: resolvedText(resolver, getAttribute(element, AndroidAttr.permission)?.value),
      intentFilters,
    });
  }
  return components.sort((a, b) => compareStrings(a.type, b.type) || compareStrings(a.name, b.name));
}

function readIntentFilter(filter: AxmlElement, resolver: ValueResolver): IntentFilter {
  const names = (tag: string, id: number): string[] =>
    [...new Set(childElements(filter, tag).flatMap((element) => resolvedText(resolver, getAttribute(element, id)?.value) ?? []))].sort(compareStrings);
  return {
    actions: names('action', AndroidAttr.name),
    categories: names('category', AndroidAttr.name),
    dataSchemes: names('data', AndroidAttr.scheme),
  };
}

function readOverlay(manifest: AxmlElement, resolver: ValueResolver): OverlayInfo | null {
  const overlay = childElements(manifest, 'overlay')[0];
  if (overlay === undefined) return null;
  return {
    targetPackage: resolvedText(resolver, getAttribute(overlay, AndroidAttr.targetPackage)?.value) ?? '',
    priority: resolvedInteger(resolver, getAttribute(overlay, AndroidAttr.priority)?.value),
    isStatic: resolvedBoolean(resolver, getAttribute(overlay, AndroidAttr.isStatic)?.value, false),
  };
}

/** `.ui.Main` → `com.android.mms.ui.Main`; `Main` → `com.android.mms.Main` (PackageParser.buildClassName). */
export function qualifyClassName(packageName: string, name: string): string {
  if (name.startsWith('.')) return packageName + name;
  if (!name.includes('.')) return `${packageName}.${name}`;
  return name;
}
