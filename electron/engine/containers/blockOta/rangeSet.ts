/** The block size of every block OTA (bootable/recovery `BLOCKSIZE`). */
export const BLOCK_SIZE = 4096;

/** The updater parses block numbers with an upper bound of INT_MAX; so do we. */
export const MAX_BLOCK = 0x7fff_ffff;

/** One half-open run of blocks [start, end). */
export interface BlockRange {
  start: number;
  end: number;
}

/**
 * A transfer list range set (`N,a,b,c,d…`): pairs in the order they are listed, which is the order
 * a `new` command fills them from new.dat.
 */
export interface RangeSet {
  ranges: BlockRange[];
  /** Blocks covered, the sum of `end - start`. */
  blocks: number;
}

/** A problem with a range set, phrased for an InputError (the caller names the file and line). */
export class RangeSetSyntaxError extends Error {
  constructor(
    message: string,
    readonly expected: string,
  ) {
    super(message);
  }
}

const DIGITS = /^\d+$/;

/**
 * Parses `N,a,b,…` as the updater does (N numbers follow, N even and non-zero, each pair
 * non-empty, block numbers at most INT_MAX), and also refuses pairs that overlap each other, which
 * no OTA generator writes and which would make a `new` command's data ambiguous.
 */
export function parseRangeSet(text: string): RangeSet {
  const pieces = text.split(',');
  const count = parseNumber(pieces[0] ?? '', 'the count of numbers that follow');
  if (count === 0 || count % 2 !== 0) {
    throw new RangeSetSyntaxError(`range set "${abbreviate(text)}" announces ${count} numbers`, 'a non-zero even count');
  }
  if (count !== pieces.length - 1) {
    throw new RangeSetSyntaxError(`range set "${abbreviate(text)}" announces ${count} numbers but has ${pieces.length - 1}`, `${count} numbers`);
  }
  const ranges: BlockRange[] = [];
  let blocks = 0;
  for (let index = 1; index < pieces.length; index += 2) {
    const start = parseNumber(pieces[index] ?? '', 'a block number');
    const end = parseNumber(pieces[index + 1] ?? '', 'a block number');
    if (start >= end) {
      throw new RangeSetSyntaxError(`empty or reversed block range ${start}–${end}`, 'start < end');
    }
    ranges.push({ start, end });
    blocks += end - start;
  }
  const overlap = firstOverlap(ranges);
  if (overlap !== null) {
    throw new RangeSetSyntaxError(
      `block ranges ${overlap[0].start}–${overlap[0].end} and ${overlap[1].start}–${overlap[1].end} of one range set overlap`,
      'disjoint ranges',
    );
  }
  return { ranges, blocks };
}

function parseNumber(piece: string, what: string): number {
  if (!DIGITS.test(piece)) throw new RangeSetSyntaxError(`"${abbreviate(piece)}" is not a number`, what);
  const value = Number(piece);
  if (value > MAX_BLOCK) {
    throw new RangeSetSyntaxError(`${piece} is out of bounds`, `at most ${MAX_BLOCK} (INT_MAX, the updater's limit)`);
  }
  return value;
}

function firstOverlap(ranges: readonly BlockRange[]): [BlockRange, BlockRange] | null {
  if (ranges.length < 2) return null;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1] as BlockRange;
    const current = sorted[index] as BlockRange;
    if (current.start < previous.end) return [previous, current];
  }
  return null;
}

function abbreviate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
