import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { toCanonicalJson } from '../../shared/canonicalJson.js';
import { capabilitiesText, modeString, ownerText } from '../../shared/fileModes.js';
import { fileTypeLetter, formatDevice } from '../../shared/fileTypes.js';
import type { TreeEntry } from '../../shared/model.js';
import { decodeBinaryXmlFile } from '../engine/android/decodeMember.js';
import { InputError } from '../engine/errors.js';
import { withPackage } from '../engine/formats/registry.js';
import type { DeviceTree } from '../engine/vfs/deviceTree.js';
import { terminalSafe, writeStdout, writeText } from './output.js';
import { UsageError } from './usage.js';

function withTree<T>(packagePath: string, use: (tree: DeviceTree, packageName: string) => Promise<T>): Promise<T> {
  return withPackage(packagePath, (handle) => use(handle.opened.tree, handle.probe.name));
}

export async function lsCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, recursive: { type: 'boolean', short: 'R' }, long: { type: 'boolean', short: 'l' } },
  });
  const [packagePath, devicePath = '/', ...extra] = positionals;
  if (packagePath === undefined || extra.length > 0) throw new UsageError('usage: otalens ls PKG [PATH] [--recursive] [--long] [--json]');
  const { entries, unreadable } = await withTree(packagePath, async (tree, packageName) => {
    const target = await tree.stat(devicePath);
    if (target === null) throw new InputError('no such file or folder in the package', { file: packageName, format: devicePath });
    // The root lists the partitions that were read; say which were not, rather than leave them out silently.
    const unreadable = target.path === '/' ? tree.unreadableMounts : [];
    if (target.type !== 'directory') return { entries: [target], unreadable };
    if (!values.recursive) return { entries: (await tree.list(devicePath)) ?? [], unreadable };
    const all: TreeEntry[] = [];
    for await (const entry of tree.walk(devicePath)) all.push(entry);
    return { entries: all, unreadable };
  });
  for (const problem of unreadable) process.stderr.write(`otalens: ${terminalSafe(`${problem.path}: partition not read: ${problem.message}`)}\n`);
  if (values.json) await writeStdout(toCanonicalJson(entries));
  else await writeText(entries.map(values.long ? formatLongEntry : formatEntry).join(''));
}

/** One `ls -l`-like line: type letter, size (or `major, minor` for a device), path, link target. */
function formatEntry(entry: TreeEntry): string {
  const size = entry.device === undefined ? String(entry.size) : formatDevice(entry.device).replace(':', ', ');
  const link = entry.target === undefined ? '' : ` -> ${entry.target}`;
  return `${fileTypeLetter(entry.type)} ${size.padStart(12)}  ${entry.path}${link}\n`;
}

/**
 * One `ls -l`-like line with metadata: mode letters, owner and group ids, size, path and link
 * target, then the SELinux label and the file capabilities as getcap words; `?` where the package
 * does not record a value (a folder on disk, a file OTA entry no line sets), `-` for no label.
 */
function formatLongEntry(entry: TreeEntry): string {
  const metadata = entry.metadata;
  const size = entry.device === undefined ? String(entry.size) : formatDevice(entry.device).replace(':', ', ');
  const link = entry.target === undefined ? '' : ` -> ${entry.target}`;
  const owner = metadata === undefined ? '?:?' : ownerText(metadata);
  const label = metadata === undefined ? '?' : (metadata.selinuxLabel ?? '-');
  const capabilities = metadata?.capabilities === null || metadata?.capabilities === undefined ? '' : `  ${capabilitiesText(metadata.capabilities)}`;
  return `${modeString(entry.type, metadata?.mode ?? null)} ${owner.padStart(11)} ${size.padStart(12)}  ${label}  ${entry.path}${link}${capabilities}\n`;
}

export async function catCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { decode: { type: 'boolean' } } });
  const [packagePath, devicePath, ...extra] = positionals;
  if (packagePath === undefined || devicePath === undefined || extra.length > 0) throw new UsageError('usage: otalens cat PKG PATH [--decode]');
  await withTree(packagePath, async (tree, packageName) => {
    const decoded = values.decode ? await decodeBinaryXmlFile(tree, devicePath, packageName) : null;
    if (decoded !== null) await writeStdout(decoded);
    else await pipeline(await tree.openStream(devicePath), process.stdout, { end: false });
  });
}
