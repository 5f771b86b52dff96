/** Differences between the apps, settings and platform configuration of two builds. Pure types. */
import type { AppCode, AppComponent, ApkSigner, AppSigning, ApplicationFlags, CodeStatus, DeclaredPermission, HostFound, PreferenceDefault, SdkFound, UsesPermission } from './app.js';
import type { InitService, PermissionGrant, SysconfigEntry } from './inventory.js';

export interface ValueChange<T> {
  old: T;
  new: T;
}

/** An app as listed among added or removed apps. */
export interface AppRef {
  package: string;
  label: string | null;
  path: string;
  partition: string;
  versionCode: number | null;
  versionName: string | null;
}

export interface ComponentChange {
  type: AppComponent['type'];
  name: string;
  old: Pick<AppComponent, 'exported' | 'enabled' | 'permission'>;
  new: Pick<AppComponent, 'exported' | 'enabled' | 'permission'>;
}

export interface PreferenceChange {
  file: string;
  key: string;
  title: string | null;
  old: Pick<PreferenceDefault, 'defaultValue' | 'defaultSource' | 'defaultResource' | 'line'>;
  new: Pick<PreferenceDefault, 'defaultValue' | 'defaultSource' | 'defaultResource' | 'line'>;
}

export interface AppChange {
  package: string;
  label: string | null;
  path: ValueChange<string>;
  partition: ValueChange<string>;
  sha256: ValueChange<string>;
  versionCode?: ValueChange<number | null>;
  versionName?: ValueChange<string | null>;
  targetSdkVersion?: ValueChange<number | string | null>;
  usesPermissions: { added: string[]; removed: string[] };
  permissions: { added: DeclaredPermission[]; removed: DeclaredPermission[]; changed: { name: string; old: string; new: string }[] };
  components: { added: AppComponent[]; removed: AppComponent[]; changed: ComponentChange[] };
  /** Present when the set of signer certificates changed. */
  signers?: ValueChange<ApkSigner[]>;
  /** Present when the verdict on its signatures, its test keys or its platform key changed. */
  signing?: ValueChange<AppSigning>;
  preferences: { added: PreferenceDefault[]; removed: PreferenceDefault[]; changed: PreferenceChange[] };
  /** Present when the app's code layer changed: SDKs or servers added or removed, or whether it could be read. */
  code?: CodeChange;
}

/**
 * How an app's code layer changed. SDKs and servers are compared only when the code of both
 * builds was read (`read`, `partial` or `no-code`); otherwise `notCompared` says why and the lists
 * are empty. Non-endpoints are not compared.
 */
export interface CodeChange {
  sdks: { added: SdkFound[]; removed: SdkFound[] };
  hosts: { added: HostFound[]; removed: HostFound[] };
  /** Present when the code status differs between the builds. */
  status?: ValueChange<CodeStatus>;
  /** Why SDKs and servers were not compared, e.g. the old build's code is not in its files. */
  notCompared?: string;
}

/**
 * An app that gained trackers, other SDKs or servers in the new build: `changed`, an app both
 * builds have; `added`, an app only the new build has (everything it carries is new to the device).
 */
export interface CodeFinding {
  package: string;
  label: string | null;
  /** Device path of the APK in the new build. */
  path: string;
  app: 'changed' | 'added';
  /** SDKs of the tracker categories (analytics, advertising, crash reporting, location, vendor telemetry) that are new. */
  trackersAdded: SdkFound[];
  /** Other SDKs that are new (push, social, payments). */
  otherSdksAdded: SdkFound[];
  hostsAdded: HostFound[];
  /** One plain sentence. */
  summary: string;
}

/** A component as the app detail view lists it: intent filters are left out to keep reports small. */
export type ComponentFacts = Omit<AppComponent, 'intentFilters' | 'exportedSource'>;

/**
 * One app on one side, whole, for the app detail view: what it asks for and declares, its
 * components, signers and preference defaults, not only what changed.
 */
export interface AppProfile extends AppRef {
  minSdkVersion: number | string | null;
  targetSdkVersion: number | string | null;
  sharedUserId: string | null;
  usesPermissions: UsesPermission[];
  permissions: DeclaredPermission[];
  application: ApplicationFlags;
  components: ComponentFacts[];
  signers: ApkSigner[];
  signing: AppSigning;
  preferences: PreferenceDefault[];
  /** Its code layer (SDKs, servers); null when code analysis was turned off, absent in results written before it existed. */
  code?: AppCode | null;
}

/**
 * What a reviewer must know about who signs the apps: `test-key`, an app signed with one of AOSP's
 * public test keys (anyone can sign an update to it); `not-verified`, an app whose signatures do
 * not verify; `platform-signed`, an app that gained or lost the build's platform key;
 * `signer-changed`, an app signed with other certificates than in the old build.
 */
export type SigningFindingKind = 'test-key' | 'not-verified' | 'platform-signed' | 'signer-changed';

export interface SigningFinding {
  kind: SigningFindingKind;
  package: string;
  label: string | null;
  /** Device path of the APK in the new build (in the old one for an app the new build lacks). */
  path: string;
  /**
   * `new`: so in the new build only (an added app, or one that became so); `both`: so in both
   * builds; `old`: so in the old build only (no longer so).
   */
  builds: 'new' | 'both' | 'old';
  /** For `test-key`: the AOSP test keys, e.g. `platform`. */
  testKeys?: string[];
  /** One plain sentence. */
  summary: string;
}

/** A permission as the build itself declares it (in framework-res.apk for platform permissions, or in an app). */
export interface PermissionDeclaration {
  name: string;
  /** Base level and flags, e.g. `dangerous`, `signature|privileged`. */
  protectionLevel: string;
  /** The package that declares it, `android` for the platform. */
  declaredBy: string;
}

export interface AppDiff {
  added: AppRef[];
  removed: AppRef[];
  changed: AppChange[];
  /**
   * The whole app on each side for every app listed above (removed and changed apps on the old
   * side, added and changed apps on the new side), sorted by package.
   */
  profiles: { old: AppProfile[]; new: AppProfile[] };
  /**
   * How each build declares the permissions the listed apps ask for, sorted by name; a permission
   * no app of the build declares is not listed (the platform's own list then tells dangerous ones).
   */
  permissionDeclarations: { old: PermissionDeclaration[]; new: PermissionDeclaration[] };
  /** Test keys, signatures that do not verify, platform key and signer changes, test keys first. */
  signingFindings: SigningFinding[];
  /**
   * Apps that gained trackers, SDKs or servers: changed apps first, then added ones, each by
   * package. Absent in results written before the code layer existed.
   */
  codeFindings?: CodeFinding[];
}

export interface SettingChange {
  name: string;
  type: string;
  old: string | null;
  new: string | null;
  /** The APK (SettingsProvider or an overlay) that sets the value on each side. */
  oldSource: string | null;
  newSource: string | null;
}

export interface SettingDiff {
  added: SettingChange[];
  removed: SettingChange[];
  changed: SettingChange[];
}

export interface GrantDiff {
  added: PermissionGrant[];
  removed: PermissionGrant[];
}

export interface SysconfigDiff {
  added: SysconfigEntry[];
  removed: SysconfigEntry[];
}

export interface InitServiceDiff {
  added: InitService[];
  removed: InitService[];
  changed: ValueChange<InitService>[];
}

/** A unified line diff of a text-like file, or of a binary XML file decoded to XML. */
export interface TextDiff {
  /** Device path; for decoded binary XML inside an APK, e.g. `/system/app/Mms/Mms.apk!/AndroidManifest.xml`. */
  path: string;
  /** Unified diff (`diff` package), with `--- old` / `+++ new` headers. */
  patch: string;
}
