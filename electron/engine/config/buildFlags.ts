/**
 * A build's feature flags from its files: every partition's and APEX's `etc/aconfig_flags.pb`, the
 * flag storage files (`etc/aconfig/*.map|val|info`), and the device-config defaults its property
 * files set. Where a protobuf and the storage files both list a flag, the protobuf's record is kept
 * (it has the namespace) and a disagreement is reported; a flag only the storage lists is added.
 */
import { DEVICE_CONFIG_PREFIX, flagStateOfValue, sortFlags, type FeatureFlag } from '../../../shared/flags.js';
import type { LayeredProperty } from '../../../shared/inventory.js';
import type { Problem } from '../../../shared/model.js';
import { InputError } from '../errors.js';
import { parseAconfigFlagsPb } from './aconfigFlags.js';
import { parseAconfigStorage, type StorageFileName, type StorageFiles } from './aconfigStorage.js';

const PARTITION = '(?!apex/)[A-Za-z0-9_][A-Za-z0-9_.-]*';
const FLAGS_PB = new RegExp(`^/(?:${PARTITION}|apex/[^/]+)/etc/aconfig_flags\\.pb$`);
const STORAGE_FILE = new RegExp(`^(/${PARTITION}/etc/aconfig|/apex/[^/]+/etc)/(package\\.map|flag\\.map|flag\\.val|flag\\.info)$`);

/** Whether a device path is a flag file a build's flags are read from. */
export function isFlagFile(devicePath: string): boolean {
  return FLAGS_PB.test(devicePath) || STORAGE_FILE.test(devicePath);
}

/** `/system/etc/aconfig_flags.pb` → `system`, `/apex/com.android.wifi/etc/aconfig_flags.pb` → `com.android.wifi`. */
function containerOfPath(devicePath: string): string {
  const [, first = '', second = ''] = devicePath.split('/');
  return first === 'apex' ? second : first;
}

/**
 * Each flag once. Between two protobufs listing the same flag, the one in its own container's file
 * is kept (else the first by path); a disagreement between them is a problem.
 */
function oncePerName(flags: readonly FeatureFlag[], problems: Problem[]): Map<string, FeatureFlag> {
  const byName = new Map<string, FeatureFlag>();
  for (const flag of [...flags].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    const kept = byName.get(flag.name);
    if (kept === undefined) {
      byName.set(flag.name, flag);
      continue;
    }
    if (kept.state !== flag.state || kept.permission !== flag.permission) {
      problems.push({ path: flag.file, message: `flag ${flag.name}: ${flag.state ?? 'no state'}, ${flag.permission ?? 'no permission'} here, but ${kept.state ?? 'no state'}, ${kept.permission ?? 'no permission'} in ${kept.file}` });
    }
    const own = (candidate: FeatureFlag) => (candidate.container ?? containerOfPath(candidate.file)) === containerOfPath(candidate.file);
    if (own(flag) && !own(kept)) byName.set(flag.name, flag);
  }
  return byName;
}

/** Device-config defaults: `persist.device_config.<namespace>.<flag>=<value>` in a property file. */
export function deviceConfigDefaults(properties: readonly LayeredProperty[]): FeatureFlag[] {
  const flags: FeatureFlag[] = [];
  for (const property of properties) {
    if (!property.name.startsWith(DEVICE_CONFIG_PREFIX)) continue;
    const rest = property.name.slice(DEVICE_CONFIG_PREFIX.length);
    const dot = rest.indexOf('.');
    if (dot <= 0 || dot === rest.length - 1) continue;
    const line = property.layers.filter((layer) => layer.layer === property.layer).at(-1)?.line;
    const flag: FeatureFlag = {
      name: rest.slice(dot + 1),
      namespace: rest.slice(0, dot),
      package: null,
      state: flagStateOfValue(property.value),
      value: property.value,
      permission: null,
      container: null,
      source: 'device-config',
      file: property.layer,
    };
    if (line !== undefined) flag.line = line;
    flags.push(flag);
  }
  return flags;
}

/**
 * The flags of a build from its flag files (by device path) and its effective properties. A flag
 * file that cannot be read is a problem and the others still count.
 */
export function readBuildFlags(files: ReadonlyMap<string, Buffer>, properties: readonly LayeredProperty[], problems: Problem[]): FeatureFlag[] {
  const declared: FeatureFlag[] = [];
  const storage = new Map<string, StorageFiles>();
  const notRead = (path: string, error: unknown): void => {
    if (!(error instanceof InputError)) throw error;
    problems.push({ path, message: `flags not read: ${error.message}` });
  };
  for (const [path, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (FLAGS_PB.test(path)) {
      try {
        const parsed = parseAconfigFlagsPb(bytes, path);
        declared.push(...parsed.flags);
        problems.push(...parsed.problems);
      } catch (error) {
        notRead(path, error);
      }
      continue;
    }
    const match = STORAGE_FILE.exec(path);
    if (match === null) continue;
    const [, folder = '', name = ''] = match;
    const entry = storage.get(folder) ?? { folder, files: {} };
    entry.files[name as StorageFileName] = bytes;
    storage.set(folder, entry);
  }
  const flags = oncePerName(declared, problems);
  for (const folder of storage.values()) {
    let stored: FeatureFlag[];
    try {
      const parsed = parseAconfigStorage(folder);
      stored = parsed.flags;
      problems.push(...parsed.problems);
    } catch (error) {
      notRead(folder.folder, error);
      continue;
    }
    for (const flag of stored) {
      const declaredFlag = flags.get(flag.name);
      if (declaredFlag === undefined) {
        flags.set(flag.name, flag);
      } else if (declaredFlag.state !== flag.state || declaredFlag.permission !== flag.permission) {
        problems.push({ path: flag.file, message: `flag ${flag.name}: ${flag.state}, ${flag.permission} in the flag storage, but ${declaredFlag.state ?? 'no state'}, ${declaredFlag.permission ?? 'no permission'} in ${declaredFlag.file}` });
      }
    }
  }
  return sortFlags([...flags.values(), ...deviceConfigDefaults(properties)]);
}
