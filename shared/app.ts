/**
 * The model of one Android app (APK) as OTA Lens reads it: `otalens apk APK --json` prints it,
 * inventories list one per APK. Pure types.
 */
import type { Problem } from './model.js';

export interface UsesPermission {
  name: string;
  maxSdkVersion?: number;
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
}

export interface AppModel {
  package: string;
  versionCode: number | null;
  versionName: string | null;
  minSdkVersion: number | null;
  targetSdkVersion: number | null;
  sharedUserId: string | null;
  /** The application label resolved to text in the default configuration. */
  label: string | null;
  usesPermissions: UsesPermission[];
  permissions: DeclaredPermission[];
  application: ApplicationFlags;
  components: AppComponent[];
  overlay: OverlayInfo | null;
  preferences: PreferenceDefault[];
  signers: ApkSigner[];
  /** Parts that could not be read; the model is partial when this is not empty. */
  problems: Problem[];
}
