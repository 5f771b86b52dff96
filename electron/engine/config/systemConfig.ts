import type { PermissionGrant, SysconfigEntry } from '../../../shared/inventory.js';
import { InputError } from '../errors.js';
import { parseXml, type XmlElement } from './xml.js';

/**
 * `etc/permissions/*.xml` and `etc/sysconfig/*.xml` of every partition, read the way
 * frameworks/base `core/java/com/android/server/SystemConfig.java` (`readPermissionsFromXml`) reads
 * them — both folders go through that one parser:
 * - the root element must be `<permissions>` or `<config>`, otherwise Android ignores the file;
 * - each child of the root is looked up by name; unknown ones are skipped with everything inside;
 * - an element missing the attribute Android requires is skipped (Android logs a warning);
 * - `<privapp-permissions package>` lists `<permission name>` / `<deny-permission name>` children;
 * - quirk kept on purpose: `<privapp-permissions>`, `<oem-permissions>` and `<install-in-user-type>`
 *   without a package return before consuming their children, so Android then reads those children
 *   as if they stood at the top level (a `<permission>` there declares a platform permission).
 * Not modelled: which kinds a partition may declare (vendor/odm/oem/product get a subset, depending
 * on the device's first API level) — every entry is reported with its file so the reader can judge.
 */
export interface SystemConfig {
  grants: PermissionGrant[];
  entries: SysconfigEntry[];
}

interface EntryKind {
  /** Attribute reported as the entry's package. */
  package?: string;
  /** Attribute reported as the entry's name (the second identifier when there is also a package). */
  name?: string;
  /** Attributes without which Android ignores the element. */
  required: string[];
  /** Android only accepts the element when these attributes are non-empty (`TextUtils.isEmpty`). */
  nonEmpty?: boolean;
}

const byPackage: EntryKind = { package: 'package', required: ['package'] };
const byName: EntryKind = { name: 'name', required: ['name'] };

/**
 * Element names SystemConfig acts on. Checked against AOSP SystemConfig.java of Android 7–9 (the
 * if/else chain) and of Android 12–14 (the switch): kinds that exist only in some versions are kept,
 * since a firmware of any age may carry them.
 */
const ENTRY_KINDS: ReadonlyMap<string, EntryKind> = new Map<string, EntryKind>([
  // Platform permissions, uids and libraries.
  ['group', { name: 'gid', required: ['gid'] }],
  ['permission', byName],
  ['assign-permission', { name: 'name', required: ['name', 'uid'] }],
  ['split-permission', byName],
  ['library', { name: 'name', required: ['name', 'file'] }],
  ['apex-library', { name: 'name', required: ['name', 'file'] }],
  ['feature', byName],
  ['unavailable-feature', byName],
  // Exemptions from power, data and location restrictions.
  ['allow-in-power-save-except-idle', byPackage],
  ['allow-in-power-save', byPackage],
  ['allow-in-data-usage-save', byPackage],
  ['allow-unthrottled-location', byPackage],
  ['allow-adas-location-settings', byPackage],
  ['allow-ignore-location-settings', byPackage],
  ['bg-restriction-exemption', byPackage],
  ['allow-implicit-broadcast', { name: 'action', required: ['action'] }],
  // App configuration.
  ['app-link', byPackage],
  ['system-user-whitelisted-app', byPackage],
  ['system-user-blacklisted-app', byPackage],
  ['default-enabled-vr-app', { package: 'package', name: 'class', required: ['package', 'class'] }],
  ['component-override', byPackage],
  ['backup-transport-whitelisted-service', { name: 'service', required: ['service'] }],
  ['disabled-until-used-preinstalled-carrier-associated-app', { package: 'package', name: 'carrierAppPackage', required: ['package', 'carrierAppPackage'] }],
  ['disabled-until-used-preinstalled-carrier-app', byPackage],
  ['oem-permissions', { ...byPackage, nonEmpty: true }],
  ['hidden-api-whitelisted-app', byPackage],
  ['allow-association', { package: 'target', name: 'allowed', required: ['target', 'allowed'] }],
  ['app-data-isolation-whitelisted-app', byPackage],
  ['bugreport-whitelisted', byPackage],
  ['install-in-user-type', { ...byPackage, nonEmpty: true }],
  ['named-actor', { package: 'package', name: 'name', required: ['namespace', 'name', 'package'], nonEmpty: true }],
  ['overlay-config-signature', byPackage],
  ['rollback-whitelisted-app', byPackage],
  ['whitelisted-staged-installer', byPackage],
  ['allowed-vendor-apex', { package: 'package', name: 'installerPackage', required: ['package', 'installerPackage'] }],
  ['install-constraints-allowed', byPackage],
]);

/** Elements whose children Android reads as top-level elements when their package is missing. */
const CHILDREN_LEAK_WITHOUT_PACKAGE = new Set(['privapp-permissions', 'oem-permissions', 'install-in-user-type']);

const ROOT_NAMES = new Set(['permissions', 'config']);

/** Reads one SystemConfig XML; `file` is its device path, e.g. `/system/etc/permissions/platform.xml`. */
export function parseSystemConfigXml(text: string, file: string): SystemConfig {
  const root = parseXml(text, file);
  if (!ROOT_NAMES.has(root.name)) {
    throw new InputError(`root element is <${root.name}>, so Android ignores this file`, {
      file,
      format: 'xml',
      offset: 0,
      expected: 'root element <permissions> or <config>',
    });
  }
  const result: SystemConfig = { grants: [], entries: [] };
  readTopLevel(root.children, file, result);
  return result;
}

function readTopLevel(elements: readonly XmlElement[], file: string, out: SystemConfig): void {
  for (const element of elements) {
    const packageName = element.attributes.get('package');
    if (CHILDREN_LEAK_WITHOUT_PACKAGE.has(element.name) && (packageName === undefined || packageName === '')) {
      readTopLevel(element.children, file, out);
      continue;
    }
    if (element.name === 'privapp-permissions' && packageName !== undefined) {
      out.grants.push(...privappGrants(element, packageName, file));
      continue;
    }
    const entry = sysconfigEntry(element, file);
    if (entry !== undefined) out.entries.push(entry);
  }
}

function privappGrants(element: XmlElement, packageName: string, file: string): PermissionGrant[] {
  const grants: PermissionGrant[] = [];
  for (const child of element.children) {
    const kind = child.name === 'permission' ? 'privapp-permission' : child.name === 'deny-permission' ? 'privapp-deny' : undefined;
    const permission = child.attributes.get('name');
    if (kind === undefined || permission === undefined || permission === '') continue;
    grants.push({ kind, package: packageName, permission, file, line: child.line });
  }
  return grants;
}

function sysconfigEntry(element: XmlElement, file: string): SysconfigEntry | undefined {
  const kind = ENTRY_KINDS.get(element.name);
  if (kind === undefined) return undefined;
  for (const required of kind.required) {
    const value = element.attributes.get(required);
    if (value === undefined || (kind.nonEmpty === true && value === '')) return undefined;
  }
  const packageName = kind.package === undefined ? undefined : element.attributes.get(kind.package);
  const name = kind.name === undefined ? undefined : element.attributes.get(kind.name);
  return {
    kind: element.name,
    ...(packageName === undefined ? {} : { package: packageName }),
    ...(name === undefined ? {} : { name }),
    file,
    line: element.line,
  };
}
