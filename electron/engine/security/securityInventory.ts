import type { FileEntry, Problem } from '../../../shared/model.js';
import type { SecurityInventory, VbmetaFacts } from '../../../shared/security.js';
import { compareStrings } from '../../../shared/sort.js';
import { readVbmetaHeader } from '../boot/vbmeta.js';
import { InputError } from '../errors.js';
import type { OpenedPackage } from '../formats/types.js';
import { summarizeCilPolicy } from '../selinux/cilPolicy.js';

/** The partitions whose `etc/selinux/*.cil` init compiles into the policy, in its order (system/core/init/selinux.cpp). */
const POLICY_PARTITIONS = ['system', 'system_ext', 'product', 'vendor', 'odm'];
const POLICY_FILE = new RegExp(`^/(${POLICY_PARTITIONS.join('|')})/etc/selinux/(mapping/)?[^/]+\\.cil$`);
/** A CIL file is at most a few MiB (AOSP's platform policy is about 1.5 MiB). */
export const POLICY_TEXT_LIMIT = 32 << 20;
/** Binary policies init loads when the CIL is not compiled on the device (Treble's precompiled policy, the old ramdisk /sepolicy). */
const PRECOMPILED = ['/vendor/etc/selinux/precompiled_sepolicy', '/odm/etc/selinux/precompiled_sepolicy', '/sepolicy', '/system/etc/selinux/precompiled_sepolicy'];

/** Whether the inventory should keep this file's text for the SELinux summary. */
export function isSelinuxPolicyFile(devicePath: string): boolean {
  return POLICY_FILE.test(devicePath);
}

/**
 * The order init compiles the files in: platform, its mapping files, then system_ext, product,
 * vendor and odm, each partition's own files before its mappings; `plat_sepolicy.cil` first.
 */
function loadOrder(paths: readonly string[]): string[] {
  const rank = (path: string): [number, number, string] => {
    const match = POLICY_FILE.exec(path);
    const partition = POLICY_PARTITIONS.indexOf(match?.[1] ?? '');
    const mapping = match?.[2] === undefined ? (path.endsWith('/plat_sepolicy.cil') ? 0 : 1) : 2;
    return [partition, mapping, path];
  };
  return [...paths].sort((a, b) => {
    const [pa, ma, na] = rank(a);
    const [pb, mb, nb] = rank(b);
    return pa - pb || ma - mb || compareStrings(na, nb);
  });
}

/**
 * The security facts of a package beyond its files: the SELinux policy from the CIL texts read
 * during the walk (`policyTexts`, by device path), and the flags of every vbmeta partition.
 */
export async function readSecurityInventory(opened: OpenedPackage, files: readonly FileEntry[], policyTexts: ReadonlyMap<string, string>, problems: Problem[]): Promise<SecurityInventory> {
  const listed = new Set(files.map((entry) => entry.path));
  const cil = loadOrder([...policyTexts.keys()]).map((path) => ({ path, text: policyTexts.get(path) as string }));
  const precompiled = PRECOMPILED.find((path) => listed.has(path)) ?? null;
  const selinux = cil.length === 0 && precompiled === null ? null : summarizeCilPolicy(cil, precompiled, problems);
  if (selinux !== null && selinux.precompiledOnly !== null) {
    problems.push({ path: selinux.precompiledOnly, message: 'the only SELinux policy is this precompiled binary one, which OTA Lens does not read: no domains or rules are compared' });
  }
  const vbmeta: VbmetaFacts[] = [];
  for (const partition of opened.partitions.filter((candidate) => candidate.kind === 'vbmeta')) {
    const source = opened.partitionImage?.(partition.name) ?? null;
    if (source === null) continue;
    try {
      vbmeta.push(await readVbmetaHeader(source, partition.name));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push({ path: `/${partition.name}`, message: `vbmeta not read: ${error.message}` });
    }
  }
  return { selinux, vbmeta: vbmeta.sort((a, b) => compareStrings(a.partition, b.partition)) };
}
