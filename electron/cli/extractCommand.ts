import { parseArgs } from 'node:util';
import type { Problem } from '../../shared/model.js';
import { InputError } from '../engine/errors.js';
import { extractPartition } from '../engine/extract/extractPartition.js';
import { extractTree, type ExtractCounts } from '../engine/extract/extractTree.js';
import { OutputFolder, SkippedEntry } from '../engine/extract/outputFolder.js';
import { withPackage, type PackageHandle } from '../engine/formats/registry.js';
import { terminalSafe, writeText } from './output.js';
import { UsageError } from './usage.js';

const EXTRACT_USAGE = 'usage: otalens extract PKG --partition NAME -o FILE, or otalens extract PKG PATH -o DIR';

/**
 * `otalens extract`: one partition image to a file, or a folder of the device tree to a folder.
 * Progress goes to stderr when it is a terminal. Entries that could not be written are listed on
 * stderr; when nothing at all could be written it is an input error (exit 2).
 */
export async function extractCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { partition: { type: 'string', short: 'p' }, output: { type: 'string', short: 'o' }, quiet: { type: 'boolean', short: 'q' } },
  });
  const [packagePath, devicePath, ...extra] = positionals;
  if (packagePath === undefined || extra.length > 0) throw new UsageError(EXTRACT_USAGE);
  if (values.output === undefined) throw new UsageError(`-o is needed: ${EXTRACT_USAGE}`);
  if ((values.partition === undefined) === (devicePath === undefined)) throw new UsageError(`give either --partition NAME or a PATH: ${EXTRACT_USAGE}`);
  const progress = !values.quiet && process.stderr.isTTY ? new TerminalProgress() : null;
  const output = values.output;
  await withPackage(packagePath, async (handle) => {
    if (values.partition !== undefined) await writePartition(handle, values.partition, output, progress);
    else await writeTree(handle, devicePath ?? '/', output, progress);
  });
}

async function writePartition(handle: PackageHandle, name: string, output: string, progress: TerminalProgress | null): Promise<void> {
  const packageName = handle.probe.name;
  const lookup = handle.opened.partitionImage;
  if (lookup === undefined) {
    throw new InputError('this package holds partitions as folders or zip members, not as images: extract a folder with otalens extract PKG PATH -o DIR', { file: packageName, format: handle.opened.format });
  }
  const image = lookup(name) ?? lookup(name.replace(/_[ab]$/, ''));
  if (image === null) {
    const known = handle.opened.partitions.filter((partition) => lookup(partition.name) !== null).map((partition) => partition.name);
    throw new InputError(`no partition image named ${name} (the package has: ${known.join(', ') || 'none'})`, { file: packageName, format: 'partitions' });
  }
  try {
    await extractPartition(image, output, (bytes) => progress?.show(`${name}: ${megabytes(bytes)} of ${megabytes(image.size)} MB (${Math.floor((bytes / Math.max(1, image.size)) * 100)}%)`));
  } catch (error) {
    if (error instanceof SkippedEntry) throw new UsageError(`refusing to write ${output}: ${error.message}`);
    throw error;
  } finally {
    progress?.clear();
  }
  await writeText(`wrote ${output}: partition ${name}, ${image.size} bytes\n`);
}

async function writeTree(handle: PackageHandle, devicePath: string, output: string, progress: TerminalProgress | null): Promise<void> {
  let folder: OutputFolder;
  try {
    folder = await OutputFolder.open(output);
  } catch (error) {
    throw new UsageError(`cannot write into ${output}: ${(error as Error).message}`);
  }
  let result;
  try {
    result = await extractTree(handle.opened.tree, devicePath, folder, handle.probe.name, (counts) => progress?.show(countsText(counts)));
  } finally {
    progress?.clear();
  }
  const { written, problems } = result;
  const total = written.files + written.folders + written.links;
  if (total === 0) {
    const first = problems[0];
    throw new InputError(`nothing could be written${first === undefined ? '' : `: ${first.path}: ${first.message}`}${problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : ''}`, { file: handle.probe.name, format: devicePath });
  }
  reportProblems(problems);
  await writeText(`wrote ${folder.root}: ${countsText(written)}${problems.length === 0 ? '' : `; ${problems.length} not written (listed above)`}\n`);
}

function reportProblems(problems: readonly Problem[]): void {
  for (const problem of problems) process.stderr.write(`otalens: ${terminalSafe(problem.path)}: ${terminalSafe(problem.message)}\n`);
}

function countsText(counts: ExtractCounts): string {
  return `${counts.files} files (${megabytes(counts.bytes)} MB), ${counts.folders} folders, ${counts.links} links`;
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** One status line on stderr, rewritten at most ten times a second. */
class TerminalProgress {
  private last = 0;

  show(text: string): void {
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    process.stderr.write(`\r\x1b[K${terminalSafe(text)}`);
  }

  clear(): void {
    process.stderr.write('\r\x1b[K');
  }
}
