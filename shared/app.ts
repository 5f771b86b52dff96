/**
 * The model of one Android app (APK) as OTA Lens reads it: `otalens apk APK --json` prints it,
 * inventories list one per APK. Pure types.
 */
import type { Problem } from './model.js';

export interface UsesPermission {
  name: string;
  maxSdkVersion?: number;
  /**
   * Present when the manifest does not ask for the permission but Android's package parser adds
   * it: the reason in aapt's words (`targetSdkVersion < 16 and requested READ_CONTACTS`), and the
   * first Android version (API level) that adds it (inside a build, only those its version adds
   * are listed).
   */
  implied?: { reason: string; since: number };
}

export interface DeclaredPermission {
  name: string;
  /** Base level and flags as Android names them, e.g. `dangerous`, `signature|privileged`. */
  protectionLevel: string;
}

export interface ApplicationFlags {
  debuggable: boolean;
  allowBackup: boolean;
  persistent: boolean;
  /** null when the manifest does not say (the platform default then depends on targetSdkVersion). */
  usesCleartextTraffic: boolean | null;
  enabled: boolean;
  /** `android:name` of the Application class, fully qualified, when set. */
  className: string | null;
}

export type ComponentType = 'activity' | 'service' | 'receiver' | 'provider';

export interface IntentFilter {
  actions: string[];
  categories: string[];
  dataSchemes: string[];
}

export interface AppComponent {
  type: ComponentType;
  /** Fully qualified class name. */
  name: string;
  /** As declared; when absent, Android infers it from the intent filters (true when there are any). */
  exported: boolean;
  /** Whether `exported` was written in the manifest or inferred. */
  exportedSource: 'declared' | 'inferred';
  enabled: boolean;
  permission: string | null;
  intentFilters: IntentFilter[];
}

export interface OverlayInfo {
  targetPackage: string;
  priority: number | null;
  isStatic: boolean;
}

export type PreferenceDefaultSource = 'literal' | 'resource' | 'implicit';

export interface PreferenceDefault {
  /** Member path inside the APK, e.g. `res/xml/preferences.xml`. */
  file: string;
  key: string;
  /** Element name as written, e.g. `CheckBoxPreference`, `miui.preference.ValuePreference`. */
  type: string;
  title: string | null;
  summary: string | null;
  /** The default as text (`true`, `false`, `15`, `wifi`…), or null when there is none. */
  defaultValue: string | null;
  defaultSource: PreferenceDefaultSource;
  /** For `resource`: the resource named, e.g. `@bool/def_cloud_messaging`. */
  defaultResource?: string;
  /** 1-based line of the element in the decoded XML, for evidence links. */
  line: number;
}

export type SignatureScheme = 'v1' | 'v2' | 'v3' | 'v3.1';

export interface ApkSigner {
  scheme: SignatureScheme;
  /** SHA-256 of the signer's DER certificate, lowercase hex. */
  certificateSha256: string;
  /** Subject distinguished name, e.g. `CN=Example Vendor`. */
  subject: string;
  /**
   * Whether this signer's signature checks out as apksigner checks it: for v1 the digests of
   * MANIFEST.MF and its entries, the .SF file and the PKCS#7 signature over it; for v2, v3 and
   * v3.1 the content digests, the signature over the signed data, the public key against the
   * certificate, the SDK range and the proof-of-rotation lineage.
   */
  verified: boolean;
  /** Why not, when `verified` is false. */
  failure?: string;
  /** v3 and v3.1: the Android versions (API levels) this signer is for. */
  sdkRange?: { min: number; max: number };
  /** v3 and v3.1 key rotation: SHA-256 of the certificates this one took over from, oldest first. */
  rotatedFrom?: string[];
  /** The certificate is one of AOSP's public test keys (`testkey`, `platform`, `shared`, `media`…). */
  testKey?: string;
  /** True when the certificate is the build's platform certificate (framework-res.apk's); only set inside a build. */
  platformKey?: true;
}

/** What the signatures of an APK amount to, as Android sees them. */
export interface AppSigning {
  /**
   * The APK verifies the way Android (and `apksigner verify`) verifies it for the app's SDK range:
   * v3.1, v3, v2 and v1 as the platform versions from minSdkVersion on check them.
   */
  verified: boolean;
  /** Why it does not verify, when it does not. */
  failure?: string;
  /** AOSP public test keys among the certificates of its verified signers, by name, sorted. */
  testKeys: string[];
  /**
   * Signed (verified) with the build's platform certificate, the one framework-res.apk is signed
   * with; null outside a build or when the build has no readable framework-res.apk.
   */
  platformSigned: boolean | null;
}

/**
 * What an SDK is for, as the SDK knowledge base (shared/sdks.ts) files it. Analytics,
 * advertising, crash reporting, location and vendor telemetry count as trackers.
 */
export type SdkCategory = 'analytics' | 'advertising' | 'crash-reporting' | 'push-messaging' | 'location' | 'social' | 'payments' | 'vendor-telemetry';

/** An SDK found in an app's code, by the classes it defines. */
export interface SdkFound {
  /** The knowledge base's id, e.g. `umeng-analytics`. */
  id: string;
  name: string;
  category: SdkCategory;
  /**
   * One class that identifies it (the first by name) and the DEX file that defines it: a member of
   * the APK (`classes2.dex`), or a device path for DEX read beside it
   * (`/system/app/X/oat/arm64/X.vdex!/classes.dex`, `/system/framework/services.jar!/classes.dex`).
   */
  evidence: { className: string; dexFile: string };
  /** How many of the app's classes fall under the SDK's package prefixes. */
  classCount: number;
}

/** A server an app names: a host name or IP address from a URL or a bare host string. */
export interface HostFound {
  /** Lower case, without port or trailing dot; an IPv6 address without brackets. */
  host: string;
  /** One string that names it (the first in `foundIn`), cut to 200 characters. */
  sample: string;
  /**
   * Where that string is: a DEX file (as in `SdkFound.evidence.dexFile`), `resources.arsc`, or an
   * XML member (`AndroidManifest.xml`, `res/xml/network_security_config.xml`).
   */
  foundIn: string;
  /** The other places that name it, sorted; absent when there are none. */
  alsoIn?: string[];
}

/** A host that is no server the app talks to: an XML namespace, a schema or documentation URI, an example or local address. */
export interface NonEndpointFound extends HostFound {
  /** Why it is kept apart, e.g. `XML namespace or schema URI`. */
  reason: string;
}

/**
 * Whether the app's code could be read: `read` (every DEX), `partial` (some DEX files could not be
 * read: see the app's problems), `unreadable` (none could), `no-code` (the manifest says
 * `android:hasCode="false"` and there is no DEX), `not-in-files` (the app has code, but its DEX is
 * not in this build's files: a preopted build whose VDEX holds none, or none beside the APK).
 */
export type CodeStatus = 'read' | 'partial' | 'unreadable' | 'no-code' | 'not-in-files';

/** The code layer of an app: SDKs found in its DEX, servers named in its DEX, resources and XML. */
export interface AppCode {
  status: CodeStatus;
  /** Why the status is not `read`, in words. */
  reason?: string;
  /** The DEX files read, in load order (names as in `SdkFound.evidence.dexFile`). */
  dexFiles: string[];
  /** Classes the DEX files define. */
  classCount: number;
  /** Sorted by id. */
  sdks: SdkFound[];
  /** Sorted by host. Hosts from resources and XML are listed even when the DEX could not be read. */
  hosts: HostFound[];
  /** Kept apart from `hosts`; sorted by host. */
  nonEndpoints: NonEndpointFound[];
}

export interface AppModel {
  package: string;
  versionCode: number | null;
  versionName: string | null;
  /** An API level, or the codename of an unreleased platform (`VanillaIceCream`) as the manifest names it. */
  minSdkVersion: number | string | null;
  /** An API level or a codename, as the manifest names it; null when it says nothing. */
  targetSdkVersion: number | string | null;
  sharedUserId: string | null;
  /**
   * The application label resolved to text in the default configuration, or, when the label
   * has no default value, in the configuration a default device (en-US) would use.
   */
  label: string | null;
  usesPermissions: UsesPermission[];
  permissions: DeclaredPermission[];
  application: ApplicationFlags;
  components: AppComponent[];
  overlay: OverlayInfo | null;
  preferences: PreferenceDefault[];
  signers: ApkSigner[];
  signing: AppSigning;
  /** SDKs and servers in the app's code, resources and XML; null when code analysis was turned off. */
  code: AppCode | null;
  /** Parts that could not be read; the model is partial when this is not empty. */
  problems: Problem[];
}
