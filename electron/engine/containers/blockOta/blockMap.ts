import { partitionPoint } from '../../io/sortedSearch.js';
import type { BlockCommand } from './transferList.js';

/** Output blocks [start, end) hold new.dat blocks from `newDataBlock` on. Every other block reads as zeros. */
export interface DataRun {
  start: number;
  end: number;
  newDataBlock: number;
}

interface Write {
  start: number;
  end: number;
  /** Command order: a later write wins over an earlier one on the same block. */
  order: number;
  /** First new.dat block for a `new` write; -1 for `zero` and `erase`. */
  newDataBlock: number;
}

/**
 * Maps each block of the rebuilt partition to its source by replaying the commands: a `new`
 * command's ranges take the next blocks of new.dat in the order they are listed, `zero` and
 * `erase` leave zeros, and where commands overlap (a whole-partition `erase` first, then `new`)
 * the later one wins, as on the device. Sorted, merged runs; O(n log n) in the number of ranges.
 */
export function buildBlockMap(commands: readonly BlockCommand[]): DataRun[] {
  const writes: Write[] = [];
  let nextNewDataBlock = 0;
  commands.forEach((command, order) => {
    for (const range of command.ranges.ranges) {
      const isNew = command.name === 'new';
      writes.push({ start: range.start, end: range.end, order, newDataBlock: isNew ? nextNewDataBlock : -1 });
      if (isNew) nextNewDataBlock += range.end - range.start;
    }
  });
  writes.sort((a, b) => a.start - b.start);

  // Typed arrays sort numerically without a callback: much faster for lists with many ranges.
  const boundaries = new Float64Array(writes.length * 2);
  writes.forEach((write, index) => {
    boundaries[index * 2] = write.start;
    boundaries[index * 2 + 1] = write.end;
  });
  boundaries.sort();
  const active = new MaxHeap<Write>((a, b) => a.order - b.order);
  const runs: DataRun[] = [];
  let next = 0;
  for (let index = 0; index + 1 < boundaries.length; index++) {
    const start = boundaries[index] as number;
    const end = boundaries[index + 1] as number;
    if (start === end) continue;
    while (next < writes.length && (writes[next] as Write).start === start) active.push(writes[next++] as Write);
    while (active.peek() !== undefined && (active.peek() as Write).end <= start) active.pop();
    // The latest write still covering `start` covers the whole span: every end is a boundary.
    const winner = active.peek();
    if (winner === undefined || winner.newDataBlock < 0) continue;
    const newDataBlock = winner.newDataBlock + (start - winner.start);
    const last = runs[runs.length - 1];
    if (last !== undefined && last.end === start && last.newDataBlock + (last.end - last.start) === newDataBlock) {
      last.end = end;
    } else {
      runs.push({ start, end, newDataBlock });
    }
  }
  return runs;
}

/** Index of the first run ending after `block` (runs.length when none does). */
export function firstRunAfter(runs: readonly DataRun[], block: number): number {
  return partitionPoint(runs.length, (index) => (runs[index] as DataRun).end <= block);
}

/** A binary max-heap; expired entries are dropped lazily by the caller. */
class MaxHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let child = items.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (this.compare(items[parent] as T, items[child] as T) >= 0) break;
      [items[parent], items[child]] = [items[child] as T, items[parent] as T];
      child = parent;
    }
  }

  pop(): void {
    const items = this.items;
    const last = items.pop();
    if (last === undefined || items.length === 0) return;
    items[0] = last;
    let parent = 0;
    while (true) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let largest = parent;
      if (left < items.length && this.compare(items[left] as T, items[largest] as T) > 0) largest = left;
      if (right < items.length && this.compare(items[right] as T, items[largest] as T) > 0) largest = right;
      if (largest === parent) return;
      [items[parent], items[largest]] = [items[largest] as T, items[parent] as T];
      parent = largest;
    }
  }
}
