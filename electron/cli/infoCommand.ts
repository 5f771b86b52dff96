import { parseArgs } from 'node:util';
import { toCanonicalJson } from '../../shared/canonicalJson.js';
import { formatLabel } from '../../shared/labels.js';
import type { PackageDescription } from '../../shared/model.js';
import { describePackage } from '../engine/describe.js';
import { writeStdout, writeText } from './output.js';
import { UsageError } from './usage.js';

export async function infoCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [packagePath, ...extra] = positionals;
  if (packagePath === undefined || extra.length > 0) throw new UsageError('usage: otalens info PKG [--json]');
  const description = await describePackage(packagePath);
  if (values.json) await writeStdout(toCanonicalJson(description));
  else await writeText(describeText(description));
}

function describeText(description: PackageDescription): string {
  const lines = [
    `${description.file}: ${formatLabel(description.format)}`,
    `  fingerprint     ${description.fingerprint ?? '(none found)'}`,
    `  Android         ${description.androidVersion ?? '(unknown)'}`,
    `  security patch  ${description.securityPatch ?? '(unknown)'}`,
  ];
  const metadata = description.otaMetadata;
  if (metadata !== null && metadata['ota-type'] !== undefined) lines.push(`  OTA type        ${metadata['ota-type']}`);
  lines.push(`  partitions (${description.partitions.length}):`);
  for (const partition of description.partitions) {
    const size = partition.size === null ? '' : `, ${partition.size} bytes`;
    lines.push(`    /${partition.name}  ${partition.fileSystem}${size}  (from ${partition.origin})`);
  }
  for (const problem of description.problems) lines.push(`  ! ${problem.path}: ${problem.message}`);
  return `${lines.join('\n')}\n`;
}
