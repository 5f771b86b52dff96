/**
 * For a predicate that holds for a prefix of indexes [0, length) and fails for the rest, the first
 * index where it fails (length when it never does): a binary search over sorted maps.
 */
export function partitionPoint(length: number, holds: (index: number) => boolean): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (holds(middle)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the last of the sorted `starts` at or before `value` (0 when none is). */
export function lastStartAtOrBefore(starts: ArrayLike<number>, value: number): number {
  return Math.max(0, partitionPoint(starts.length, (index) => (starts[index] as number) <= value) - 1);
}
