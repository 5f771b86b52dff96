import { parseArgs } from 'node:util';
import { describeCode } from '../../shared/codeDiff.js';
import type { PackageInventory } from '../../shared/inventory.js';
import { grantsPrivilege } from '../../shared/fileModes.js';
import { formatLabel, partitionDisplayName } from '../../shared/labels.js';
import { describeVbmeta } from '../../shared/securitySummary.js';
import { encodeSavedInventory, encodingForName, loadBuild, savedInventoryJson } from '../engine/inventory/savedInventory.js';
import { writeOutputFile, writeStdout, writeText } from './output.js';
import { UsageError } from './usage.js';

/**
 * `otalens inventory PKG [--json] [-o FILE]`: everything read from one package. `--json` prints the
 * saved-inventory record, `-o FILE` writes it (gzip for `.gz`, zstd for `.zst`) for compare and
 * timeline to read instead of the package. PKG may itself be a saved inventory.
 */
export async function inventoryCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, output: { type: 'string', short: 'o' }, quiet: { type: 'boolean', short: 'q' } } });
  const [packagePath, ...extra] = positionals;
  if (packagePath === undefined || extra.length > 0) throw new UsageError('usage: otalens inventory PKG [--json] [-o FILE]');
  if (values.output === '-' || values.output === '') throw new UsageError('-o needs a file name (use --json alone to print the inventory)');
  const result = await loadBuild(packagePath);
  if (values.output === undefined) {
    if (values.json) await writeStdout(savedInventoryJson(result));
    else await writeText(inventoryText(result.inventory));
    return;
  }
  await writeOutputFile(values.output, encodeSavedInventory(savedInventoryJson(result), encodingForName(values.output)), [packagePath]);
  if (!values.json && !values.quiet) await writeText(inventoryText(result.inventory));
}

/** Privileged files, the SELinux policy and AVB flags in one line each. */
function securityLines(inventory: PackageInventory): string[] {
  const privileged = inventory.files.filter((entry) => entry.type === 'file' && grantsPrivilege(entry.metadata)).length;
  const withMetadata = inventory.files.filter((entry) => entry.metadata !== undefined).length;
  const lines = [`  file metadata   ${withMetadata} entries with mode and owner${withMetadata === 0 ? '' : `, ${privileged} setuid, setgid or with capabilities`}`];
  const selinux = inventory.security?.selinux ?? null;
  if (selinux !== null) {
    const permissive = selinux.domains.filter((domain) => domain.permissive !== null).map((domain) => domain.name);
    lines.push(
      selinux.files.length === 0
        ? `  SELinux         only the precompiled policy ${selinux.precompiledOnly ?? ''} (not read)`
        : `  SELinux         ${selinux.domains.length} domains from ${selinux.files.length} CIL files${permissive.length === 0 ? '' : `, permissive: ${permissive.join(', ')}`}`,
    );
  }
  for (const image of inventory.security?.vbmeta ?? []) lines.push(`  AVB             ${image.partition}: ${describeVbmeta(image)}`);
  return lines;
}

function inventoryText(inventory: PackageInventory): string {
  const { package: info } = inventory;
  const readable = inventory.apps.filter((entry) => entry.app !== null);
  const lines = [
    `${info.file}: ${formatLabel(info.format)}`,
    `  fingerprint     ${info.fingerprint ?? '(none found)'}`,
    ...(info.boot === null ? [] : [`  boot            patch ${info.boot.securityPatch ?? '(not stated)'}, kernel ${info.boot.kernelVersion ?? '(not found)'}`]),
    `  partitions      ${info.partitions.map((partition) => `${partitionDisplayName(partition)} (${partition.fileSystem})`).join(', ') || '(none)'}`,
    `  apps            ${readable.length} read${inventory.apps.length > readable.length ? `, ${inventory.apps.length - readable.length} unreadable` : ''}`,
    `  properties      ${inventory.properties.length} over ${new Set(inventory.properties.flatMap((property) => property.layers.map((layer) => layer.layer))).size} files`,
    `  settings        ${inventory.settings.length} SettingsProvider defaults (${inventory.settings.filter((setting) => setting.overlay !== undefined).length} changed by overlays)`,
    `  grants          ${inventory.permissionGrants.length} permission grants`,
    `  sysconfig       ${inventory.sysconfig.length} entries`,
    `  init services   ${inventory.initServices.length}`,
    `  flags           ${flagCounts(inventory)}`,
    `  files           ${inventory.files.filter((entry) => entry.type === 'file').length}`,
  ];
  const special = inventory.files.filter((entry) => entry.type !== 'file' && entry.type !== 'directory' && entry.type !== 'symlink').length;
  if (special > 0) lines.push(`  special files   ${special} (device nodes, FIFOs, sockets)`);
  lines.push(...securityLines(inventory));
  for (const entry of readable) lines.push(`    ${entry.app?.package}  ${entry.path}${entry.app?.code ? `  [${describeCode(entry.app.code)}]` : ''}`);
  for (const problem of inventory.problems) lines.push(`  ! ${problem.path}: ${problem.message}`);
  return `${lines.join('\n')}\n`;
}

function flagCounts(inventory: PackageInventory): string {
  const aconfig = inventory.flags.filter((flag) => flag.source !== 'device-config');
  const enabled = aconfig.filter((flag) => flag.state === 'enabled').length;
  const deviceConfig = inventory.flags.length - aconfig.length;
  return `${aconfig.length} aconfig (${enabled} enabled), ${deviceConfig} device-config defaults`;
}
