import { InputError } from '../../errors.js';
import { MAX_BLOCK, parseRangeSet, RangeSetSyntaxError, type RangeSet } from './rangeSet.js';

/** Commands a full block OTA uses: fill from new.dat, write zeros, discard. */
export type FullCommandName = 'new' | 'zero' | 'erase';

/** Commands that read the partition's previous content: only incremental packages have them. */
const INCREMENTAL_COMMANDS = new Set(['move', 'bsdiff', 'imgdiff', 'stash', 'free']);

export interface BlockCommand {
  name: FullCommandName;
  /** 1-based line in the transfer list. */
  line: number;
  ranges: RangeSet;
}

export interface TransferList {
  version: 1 | 2 | 3 | 4;
  /**
   * Line 2: how many blocks the update writes (new, zero and patch targets, not erase); the
   * updater uses it for progress only, so it is not the partition size.
   */
  totalBlocks: number;
  /** Blocks the `new` and `zero` commands write: what line 2 should say. */
  writtenBlocks: number;
  /**
   * What Android's updater would only log or work around, in words, for the caller to report: line
   * 2 disagreeing with the commands (empty when they agree, and for incremental lists).
   */
  notes: string[];
  /** Lines 3 and 4 (version 2 and later). */
  stashEntries: number | null;
  maxStashBlocks: number | null;
  /** `new`, `zero` and `erase` commands in order. */
  commands: BlockCommand[];
  /**
   * `compute_hash_tree` (Android 9+): the device computes the dm-verity hash tree into these
   * blocks, so they are not in new.dat and read as zeros here (they hold no files).
   */
  hashTree: { line: number; ranges: RangeSet } | null;
  isIncremental: boolean;
  /** The first command that needs the previous build's partition, for the error message. */
  firstIncremental: { command: string; line: number } | null;
  /** Blocks filled from new.dat; new.dat decodes to exactly this many blocks. */
  newBlocks: number;
  /** One past the highest block any command touches: the partition as the device sees it. */
  imageBlocks: number;
}

interface Line {
  text: string;
  number: number;
  offset: number;
}

const FORMAT = 'transfer list';

/**
 * Parses `<partition>.transfer.list` (bootable/recovery blockimg, versions 1 to 4). `file` names
 * it in errors, e.g. `pkg.zip › system.transfer.list`. Malformed lines are InputErrors naming the
 * line; incremental commands are recognised, not parsed, and reported through `isIncremental`.
 */
export function parseTransferList(text: string, file: string): TransferList {
  const lines = splitLines(text);
  const fail = (line: Line | undefined, problem: string, expected?: string): never => {
    const where = line ?? { number: lines.length + 1, offset: Buffer.byteLength(text) };
    throw new InputError(problem, { file, format: `${FORMAT} › line ${where.number}`, offset: where.offset, expected });
  };
  const header = (index: number, what: string, expected: string): number => {
    const line = lines[index];
    if (line === undefined) return fail(line, `the transfer list ends before its ${what}`, expected);
    const value = line.text.trim();
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) return fail(line, `"${value}" is not a valid ${what}`, expected);
    return Number(value);
  };

  const version = header(0, 'version', 'a version from 1 to 4');
  if (version < 1 || version > 4) fail(lines[0], `unsupported transfer list version ${version}`, 'a version from 1 to 4');
  const totalBlocks = header(1, 'block count', 'the number of blocks written');
  const stashEntries = version >= 2 ? header(2, 'stash entry count', 'a number') : null;
  const maxStashBlocks = version >= 2 ? header(3, 'maximum stash size', 'a number of blocks') : null;

  const commands: BlockCommand[] = [];
  let hashTree: TransferList['hashTree'] = null;
  let firstIncremental: TransferList['firstIncremental'] = null;
  let newBlocks = 0;
  let writtenBlocks = 0;
  let imageBlocks = 0;
  const ranges = (line: Line, token: string | undefined): RangeSet => {
    if (token === undefined) return fail(line, 'missing range set', 'N,start,end,…');
    try {
      const set = parseRangeSet(token);
      for (const range of set.ranges) imageBlocks = Math.max(imageBlocks, range.end);
      return set;
    } catch (error) {
      if (error instanceof RangeSetSyntaxError) return fail(line, error.message, error.expected);
      throw error;
    }
  };

  for (let index = version >= 2 ? 4 : 2; index < lines.length; index++) {
    const line = lines[index] as Line;
    const tokens = line.text.split(/[ \t]+/).filter((token) => token !== '');
    const name = tokens[0];
    if (name === undefined) continue;
    if (name === 'new' || name === 'zero' || name === 'erase') {
      if (tokens.length !== 2) fail(line, `"${name}" takes one range set, found ${tokens.length - 1} arguments`, `${name} N,start,end,…`);
      const set = ranges(line, tokens[1]);
      commands.push({ name, line: line.number, ranges: set });
      if (name === 'new') newBlocks += set.blocks;
      if (name !== 'erase') writtenBlocks += set.blocks;
    } else if (name === 'compute_hash_tree') {
      if (tokens.length !== 6) fail(line, `"compute_hash_tree" takes 5 arguments, found ${tokens.length - 1}`, 'hash tree ranges, source ranges, algorithm, salt, root hash');
      hashTree = { line: line.number, ranges: ranges(line, tokens[1]) };
      ranges(line, tokens[2]);
    } else if (INCREMENTAL_COMMANDS.has(name)) {
      firstIncremental ??= { command: name, line: line.number };
    } else {
      fail(line, `unknown command "${name.slice(0, 40)}"`, 'new, zero, erase, compute_hash_tree, move, bsdiff, imgdiff, stash or free');
    }
  }

  if (newBlocks > MAX_BLOCK) {
    // Only overlapping `new` ranges can add up to this; it would also overflow byte offsets.
    fail(lines[1], `the new commands fill ${newBlocks} blocks, more than a partition can hold`, `at most ${MAX_BLOCK}`);
  }
  const notes = firstIncremental === null ? lineTwoNotes(totalBlocks, writtenBlocks) : [];
  return {
    version: version as TransferList['version'],
    totalBlocks,
    writtenBlocks,
    notes,
    stashEntries,
    maxStashBlocks,
    commands,
    hashTree,
    isIncremental: firstIncremental !== null,
    firstIncremental,
    newBlocks,
    imageBlocks,
  };
}

/**
 * Line 2 is a progress hint: the updater (bootable/recovery blockimg) divides by it for the
 * progress bar and logs "wrote N blocks; expected M", nothing more, so a wrong count is reported
 * and the commands are read all the same. Zero is the exception: Android 6 and later return at
 * once, writing nothing (Android 5 went on).
 */
function lineTwoNotes(totalBlocks: number, writtenBlocks: number): string[] {
  if (totalBlocks === writtenBlocks) return [];
  if (totalBlocks === 0 && writtenBlocks > 0) {
    return [
      `line 2 says 0 blocks are written, but the new and zero commands write ${writtenBlocks}: Android 6 and later updaters then write nothing to this partition (only Android 5 runs the commands); OTA Lens shows the partition the commands describe`,
    ];
  }
  return [`line 2 says ${totalBlocks} blocks are written, but the new and zero commands write ${writtenBlocks}; Android's updater only uses that number for its progress bar, so the partition is read from the commands`];
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  let number = 1;
  for (const raw of text.split('\n')) {
    lines.push({ text: raw.endsWith('\r') ? raw.slice(0, -1) : raw, number, offset });
    offset += Buffer.byteLength(raw) + 1;
    number++;
  }
  return lines;
}
