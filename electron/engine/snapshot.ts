import { createReadStream } from 'node:fs';
import type { FileEntry, PackageInfo, Problem } from '../../shared/model.js';
import { sortByKey } from '../../shared/sort.js';
import { InputError, throwIfAborted } from './errors.js';
import { closePackage, openPackage, type PackageHandle } from './formats/registry.js';
import { hashStream, inventoryFiles, type InventoryProgress } from './inventory.js';
import { parsePropertyFile } from './props/buildProp.js';
import type { DeviceTree } from './vfs/deviceTree.js';

export const SYSTEM_BUILD_PROP = '/system/build.prop';
const BUILD_PROP_LIMIT = 16 << 20;
const FINGERPRINT_PROPERTIES = ['ro.build.fingerprint', 'ro.system.build.fingerprint'];
import { OTA_METADATA as OTA_METADATA_SOURCE } from './formats/zipMetadata.js';

/** Everything one side of a comparison needs, read from one package. */
export interface PackageSnapshot {
  info: PackageInfo;
  /** Effective properties of /system/build.prop. */
  properties: Record<string, string>;
  files: FileEntry[];
  problems: Problem[];
}

export interface SnapshotOptions {
  signal?: AbortSignal | undefined;
  onOpened?: (() => void) | undefined;
  onInventoryProgress?: ((progress: InventoryProgress) => void) | undefined;
}

/** Opens a package, reads its properties and inventories its files, then closes it. */
export async function snapshotPackage(path: string, options: SnapshotOptions = {}): Promise<PackageSnapshot> {
  const handle = await openPackage(path);
  try {
    throwIfAborted(options.signal);
    options.onOpened?.();
    const problems: Problem[] = [...handle.opened.problems];
    const [packageSha256, properties, inventory] = await Promise.all([
      hashPackageFile(handle),
      readProperties(handle.opened.tree, problems),
      inventoryFiles(handle.opened.tree, { signal: options.signal, onProgress: options.onInventoryProgress }),
    ]);
    problems.push(...inventory.problems);
    return {
      info: {
        file: handle.probe.name,
        sha256: packageSha256,
        format: handle.opened.format,
        ...buildFacts(properties, handle.opened.otaMetadata),
      },
      properties,
      files: inventory.files,
      problems: sortByKey(problems, (problem) => problem.path),
    };
  } finally {
    await closePackage(handle);
  }
}

async function hashPackageFile(handle: PackageHandle): Promise<string | null> {
  if (handle.probe.isDirectory) return null;
  return hashStream(createReadStream(handle.probe.path));
}

export async function readProperties(tree: DeviceTree, problems: Problem[]): Promise<Record<string, string>> {
  const entry = await tree.stat(SYSTEM_BUILD_PROP);
  if (entry?.type !== 'file') {
    problems.push({ path: SYSTEM_BUILD_PROP, message: 'no build.prop: the package has no system properties to compare' });
    return {};
  }
  if (entry.size > BUILD_PROP_LIMIT) {
    problems.push({ path: SYSTEM_BUILD_PROP, message: `not read: ${entry.size} bytes is more than the ${BUILD_PROP_LIMIT} a property file may have` });
    return {};
  }
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of await tree.openStream(SYSTEM_BUILD_PROP)) chunks.push(chunk as Buffer);
    return Object.fromEntries(parsePropertyFile(Buffer.concat(chunks).toString('utf8')).values);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push({ path: SYSTEM_BUILD_PROP, message: `not read: ${error.message}` });
    return {};
  }
}

/** Fingerprint, Android version and security patch, from build.prop, else the OTA metadata. */
export function buildFacts(
  properties: Record<string, string>,
  otaMetadata: Record<string, string> | null,
): Pick<PackageInfo, 'fingerprint' | 'fingerprintSource' | 'androidVersion' | 'securityPatch'> {
  return {
    ...fingerprintOf(properties, otaMetadata),
    androidVersion: properties['ro.build.version.release'] || null,
    securityPatch: properties['ro.build.version.security_patch'] || otaMetadata?.['post-security-patch-level'] || null,
  };
}

function fingerprintOf(
  properties: Record<string, string>,
  otaMetadata: Record<string, string> | null,
): Pick<PackageInfo, 'fingerprint' | 'fingerprintSource'> {
  for (const name of FINGERPRINT_PROPERTIES) {
    const value = properties[name];
    if (value) return { fingerprint: value, fingerprintSource: `${SYSTEM_BUILD_PROP} ${name}` };
  }
  const postBuild = otaMetadata?.['post-build'];
  if (postBuild) return { fingerprint: postBuild, fingerprintSource: `${OTA_METADATA_SOURCE} post-build` };
  return { fingerprint: null, fingerprintSource: null };
}
