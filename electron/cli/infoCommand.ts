import { parseArgs } from 'node:util';
import { toCanonicalJson } from '../../shared/canonicalJson.js';
import { formatLabel, partitionDisplayName } from '../../shared/labels.js';
import type { BootInfo, PackageDescription } from '../../shared/model.js';
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
  if (description.format === 'apk') {
    const problems = description.problems.map((problem) => `  ! ${problem.path}: ${problem.message}`);
    const app = [`${description.file}: ${formatLabel(description.format)}, not firmware`, `  its facts:   otalens apk ${description.file}`, `  its members: otalens ls ${description.file} /`];
    return `${[...app, ...problems].join('\n')}\n`;
  }
  const lines = [
    `${description.file}: ${formatLabel(description.format)}`,
    `  fingerprint     ${description.fingerprint ?? '(none found)'}`,
    `  Android         ${description.androidVersion ?? '(unknown)'}`,
    `  security patch  ${description.securityPatch ?? '(unknown)'}`,
  ];
  if (description.boot !== null) lines.push(...bootLines(description.boot));
  const metadata = description.otaMetadata;
  if (metadata !== null && metadata['ota-type'] !== undefined) lines.push(`  OTA type        ${metadata['ota-type']}`);
  lines.push(`  partitions (${description.partitions.length}):`);
  for (const partition of description.partitions) {
    const size = partition.size === null ? '' : `, ${partition.size} bytes`;
    lines.push(`    ${partitionDisplayName(partition)}  ${partition.fileSystem}${size}  (from ${partition.origin})`);
  }
  for (const problem of description.problems) lines.push(`  ! ${problem.path}: ${problem.message}`);
  return `${lines.join('\n')}\n`;
}

/** The boot images' facts: the patch level and kernel first, then each image's header. */
function bootLines(boot: BootInfo): string[] {
  const lines = [`  boot patch      ${boot.securityPatch ?? '(not stated)'}`, `  kernel          ${boot.kernelVersion ?? '(not found)'}`];
  for (const image of boot.images) {
    const facts = [`header v${image.headerVersion}`, image.osVersion === null ? null : `Android ${image.osVersion}`, image.securityPatch === null ? null : `patch ${image.securityPatch}`];
    if (image.kernelEncoding !== 'none') facts.push(`kernel ${image.kernelVersion ?? 'version not found'} (${image.kernelEncoding})`);
    lines.push(`    ${image.partition}: ${facts.filter((fact) => fact !== null).join(', ')}`);
  }
  return lines;
}
