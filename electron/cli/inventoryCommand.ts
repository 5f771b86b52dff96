import { parseArgs } from 'node:util';
import { toCanonicalJson } from '../../shared/canonicalJson.js';
import { describeCode } from '../../shared/codeDiff.js';
import type { PackageInventory } from '../../shared/inventory.js';
import { formatLabel, partitionDisplayName } from '../../shared/labels.js';
import { buildInventory } from '../engine/inventory/buildInventory.js';
import { writeStdout, writeText } from './output.js';
import { UsageError } from './usage.js';

export async function inventoryCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [packagePath, ...extra] = positionals;
  if (packagePath === undefined || extra.length > 0) throw new UsageError('usage: otalens inventory PKG [--json]');
  const { inventory } = await buildInventory(packagePath);
  if (values.json) await writeStdout(toCanonicalJson(inventory));
  else await writeText(inventoryText(inventory));
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
    `  files           ${inventory.files.filter((entry) => entry.type === 'file').length}`,
  ];
  const special = inventory.files.filter((entry) => entry.type !== 'file' && entry.type !== 'directory' && entry.type !== 'symlink').length;
  if (special > 0) lines.push(`  special files   ${special} (device nodes, FIFOs, sockets)`);
  for (const entry of readable) lines.push(`    ${entry.app?.package}  ${entry.path}${entry.app?.code ? `  [${describeCode(entry.app.code)}]` : ''}`);
  for (const problem of inventory.problems) lines.push(`  ! ${problem.path}: ${problem.message}`);
  return `${lines.join('\n')}\n`;
}
