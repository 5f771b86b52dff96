/**
 * The inventory of one package (`otalens inventory PKG --json`): what a reviewer would want to know
 * about a firmware's defaults before comparing two of them. Pure types.
 */
import type { AppModel } from './app.js';
import type { FeatureFlag } from './flags.js';
import type { FileEntry, PackageInfo, PartitionSummary, Problem, SCHEMA_VERSION } from './model.js';
import type { SecurityInventory } from './security.js';

export interface InventoryApp {
  /** Device path of the APK or APEX, e.g. `/system/app/Mms/Mms.apk`. */
  path: string;
  /** The partition it sits on (`system`, `product`, `apex`…). */
  partition: string;
  /** SHA-256 of the APK file. */
  sha256: string;
  /** The model; null when the APK could not be read at all (the reason is in `problems`). */
  app: AppModel | null;
}

/** One definition of a property in one property file. */
export interface PropertyDefinitionAt {
  /** Device path of the property file, e.g. `/vendor/build.prop`. */
  layer: string;
  value: string;
  /** 1-based line in that file. */
  line: number;
  /** The `import` line that loaded `layer`, when it was imported rather than loaded at boot by init itself. */
  importedBy?: { layer: string; line: number };
}

/** A property with every layer that sets it, in load order, and the value that wins. */
export interface LayeredProperty {
  name: string;
  /** The effective value: the last layer's (Android loads later partitions over earlier ones). */
  value: string;
  /** Device path of the layer the effective value comes from. */
  layer: string;
  layers: PropertyDefinitionAt[];
}

/** A SettingsProvider default (`def_*` resource), with the overlays that change it. */
export interface SettingDefault {
  /** Resource name, e.g. `def_location_providers_allowed`. */
  name: string;
  /** Resource type: `bool`, `integer`, `string`, `fraction`… */
  type: string;
  /** The effective default as text after overlays; null when unresolvable. */
  value: string | null;
  /** Device path of the APK that sets the effective value (SettingsProvider or an overlay). */
  source: string;
  /** The overlay that sets the effective value, when one does. */
  overlay?: { package: string; priority: number | null };
  /** SettingsProvider's own value, before overlays (null when only an overlay defines it). */
  base: string | null;
  /** Every value in order of application: SettingsProvider first, then overlays by priority. */
  layers: { source: string; value: string | null }[];
}

export type PermissionGrantKind = 'default-permission' | 'privapp-permission' | 'privapp-deny';

/** A permission granted (or denied) to a package by the platform's configuration files. */
export interface PermissionGrant {
  kind: PermissionGrantKind;
  package: string;
  permission: string;
  /** default-permissions: the user cannot revoke it (`fixed="true"`). */
  fixed?: boolean;
  /** Device path of the XML file that says so. */
  file: string;
  /** 1-based line of the element. */
  line: number;
}

/** One entry of `etc/sysconfig/*.xml` or `etc/permissions/*.xml` other than privapp permissions. */
export interface SysconfigEntry {
  /** Element name: `allow-in-power-save`, `allow-in-data-usage-save`, `system-user-whitelisted-app`, `feature`… */
  kind: string;
  /** The `package` attribute, when the element has one. */
  package?: string;
  /** The `name` (or other identifying) attribute, for elements without a package. */
  name?: string;
  file: string;
  line: number;
}

/** A `service` declared in an init `.rc` file. */
export interface InitService {
  name: string;
  /** The executable and arguments. */
  command: string;
  /** Options on the following lines: `class main`, `user system`, `disabled`, `oneshot`… */
  options: string[];
  file: string;
  line: number;
}

export interface PackageInventory {
  schemaVersion: typeof SCHEMA_VERSION;
  package: PackageInfo & { partitions: PartitionSummary[] };
  apps: InventoryApp[];
  properties: LayeredProperty[];
  settings: SettingDefault[];
  permissionGrants: PermissionGrant[];
  sysconfig: SysconfigEntry[];
  initServices: InitService[];
  /** aconfig flags of every partition and APEX, and the device-config defaults the property files set. */
  flags: FeatureFlag[];
  files: FileEntry[];
  problems: Problem[];
  /** The SELinux policy and AVB flags (absent from inventories written before schema version 3). */
  security?: SecurityInventory;
}

/**
 * A saved inventory (`otalens inventory PKG --json [-o FILE]`): the whole record of one build that
 * `compare` and `timeline` need, so each package is read once.
 */
export interface SavedInventory extends PackageInventory {
  /**
   * Text of text-like files by device path, and decoded XML of APK manifests and preference screens
   * by `apk!/member`: what line diffs and evidence views are made from.
   */
  texts: Record<string, string>;
  /**
   * Texts findings may cite but that are not diffed line by line (SELinux CIL files by device path,
   * a file OTA's updater-script by member name).
   */
  evidenceTexts: Record<string, string>;
}
