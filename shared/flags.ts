/**
 * Feature flags a build ships: aconfig flags (Android 14+, `etc/aconfig_flags.pb` and the flag
 * storage files `etc/aconfig/{package.map,flag.map,flag.val,flag.info}` of each partition) and the
 * device-config defaults its property files set (`persist.device_config.<namespace>.<flag>`), and how
 * two builds' flags differ. Pure types and logic.
 */
import { pairByKey } from './diff.js';
import { compareStrings } from './sort.js';

export type FlagState = 'enabled' | 'disabled';
export type FlagPermission = 'read-only' | 'read-write';
/**
 * `aconfig`: a `parsed_flag` of an `aconfig_flags.pb`; `aconfig-storage`: a flag only the storage
 * files list (they carry no namespace); `device-config`: a `persist.device_config.*` property.
 */
export type FlagSource = 'aconfig' | 'aconfig-storage' | 'device-config';

export interface FeatureFlag {
  /**
   * aconfig: `<package>.<name>` (`com.android.systemui.keyguard_bottom_area_refactor`), as Android
   * code names it; device-config: the flag name as the property writes it after the namespace.
   */
  name: string;
  /** aconfig namespace (which DeviceConfig namespace a read-write flag is served from), device-config namespace. */
  namespace: string | null;
  /** aconfig package; null for device-config defaults. */
  package: string | null;
  /** The default the build ships; null for a device-config value that is not a boolean. */
  state: FlagState | null;
  /** device-config: the value as written. */
  value?: string;
  /** aconfig: whether the value can change at run time (server-side, through DeviceConfig). */
  permission: FlagPermission | null;
  /** aconfig: the flag is fixed read-only (`is_fixed_read_only`, or `FixedReadOnlyBoolean` in storage). */
  fixedReadOnly?: true;
  /** aconfig: what the flag is for, as its declaration says. */
  description?: string;
  /** aconfig container (`system`, `vendor`, an APEX name); null where the file does not say. */
  container: string | null;
  source: FlagSource;
  /** Device path of the file that declares it. */
  file: string;
  /** 1-based line, for device-config defaults in a property file. */
  line?: number;
}

export interface FlagChange {
  name: string;
  old: FeatureFlag;
  new: FeatureFlag;
}

/** Flags added and removed, and those whose state, permission or value changed ("flags that flipped"). */
export interface FlagDiff {
  added: FeatureFlag[];
  removed: FeatureFlag[];
  changed: FlagChange[];
}

/** The property prefix under which DeviceConfig keeps (and builds ship defaults of) its flags. */
export const DEVICE_CONFIG_PREFIX = 'persist.device_config.';

/** How a flag is addressed in claims and rules: `package.name`, or `namespace/name` for a device-config default. */
export function flagAddress(flag: Pick<FeatureFlag, 'name' | 'namespace' | 'source'>): string {
  return flag.source === 'device-config' ? `${flag.namespace ?? ''}/${flag.name}` : flag.name;
}

/** `true`/`false` (any case, also 1/0) as a flag state; null for any other value. */
export function flagStateOfValue(value: string): FlagState | null {
  const normalised = value.trim().toLowerCase();
  if (normalised === 'true' || normalised === '1') return 'enabled';
  if (normalised === 'false' || normalised === '0') return 'disabled';
  return null;
}

/** A flag's value in a few words: `enabled (read-write)`, `disabled (fixed read-only)`, a device-config value. */
export function flagValueText(flag: FeatureFlag): string {
  const permission = flag.permission === null ? '' : ` (${flag.fixedReadOnly ? 'fixed read-only' : flag.permission})`;
  return `${flag.state ?? flag.value ?? 'no state'}${permission}`;
}

export function describeFlag(flag: FeatureFlag): string {
  if (flag.source === 'device-config') return `device-config default ${flagAddress(flag)}=${flag.value ?? ''}`;
  const permission = flag.permission === null ? '' : `, ${flag.fixedReadOnly ? 'fixed read-only' : flag.permission}`;
  return `aconfig flag ${flag.name} ${flag.state === null ? '(no state)' : flag.state.toUpperCase()}${permission}${flag.namespace === null ? '' : `, namespace ${flag.namespace}`}`;
}

function sameFlag(a: FeatureFlag, b: FeatureFlag): boolean {
  return a.state === b.state && a.permission === b.permission && (a.fixedReadOnly ?? false) === (b.fixedReadOnly ?? false) && a.value === b.value;
}

/** Flags paired by address (a flag that moved to another file is not a change). */
export function diffFlags(before: readonly FeatureFlag[], after: readonly FeatureFlag[]): FlagDiff {
  const { added, removed, both } = pairByKey(before, after, flagAddress);
  return {
    added,
    removed,
    changed: both.filter(([old, current]) => !sameFlag(old, current)).map(([old, current]) => ({ name: flagAddress(current), old, new: current })),
  };
}

/** Flags in the order inventories list them: by address, then file. */
export function sortFlags(flags: readonly FeatureFlag[]): FeatureFlag[] {
  return [...flags].sort((a, b) => compareStrings(flagAddress(a), flagAddress(b)) || compareStrings(a.file, b.file));
}
