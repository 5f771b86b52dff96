import type { PackageInfo, Problem } from '../../shared/model.js';
import { InputError } from './errors.js';
import { OTA_METADATA as OTA_METADATA_SOURCE } from './formats/zipMetadata.js';
import { parsePropertyFile } from './props/buildProp.js';
import type { DeviceTree } from './vfs/deviceTree.js';

export const SYSTEM_BUILD_PROP = '/system/build.prop';
const BUILD_PROP_LIMIT = 16 << 20;
const FINGERPRINT_PROPERTIES = ['ro.build.fingerprint', 'ro.system.build.fingerprint'];

/** The effective properties of /system/build.prop alone, for a quick look (`otalens info`). */
export async function readProperties(tree: DeviceTree, problems: Problem[]): Promise<Record<string, string>> {
  const read = await readPropertyText(tree, SYSTEM_BUILD_PROP, problems);
  if (read.absent) problems.push({ path: SYSTEM_BUILD_PROP, message: 'no build.prop: the package has no system properties to compare' });
  return read.text === null ? {} : Object.fromEntries(parsePropertyFile(read.text).values);
}

/**
 * The text of a property file of the device tree: `absent` when there is no such file; text null
 * when there is none or it could not be read (the reason is then added to `problems`).
 */
export async function readPropertyText(tree: DeviceTree, path: string, problems: Problem[]): Promise<{ text: string | null; absent: boolean }> {
  try {
    const entry = await tree.stat(path);
    if (entry?.type !== 'file') return { text: null, absent: true };
    if (entry.size > BUILD_PROP_LIMIT) {
      problems.push({ path, message: `not read: ${entry.size} bytes is more than the ${BUILD_PROP_LIMIT} a property file may have` });
      return { text: null, absent: false };
    }
    const chunks: Buffer[] = [];
    for await (const chunk of await tree.openStream(path)) chunks.push(chunk as Buffer);
    return { text: Buffer.concat(chunks).toString('utf8'), absent: false };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push({ path, message: `not read: ${error.message}` });
    return { text: null, absent: false };
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
