/** A stretch of a file's blocks: stored contiguously at `physical`, or zeros (a hole, an unwritten extent). */
export interface BlockRun {
  fileBlock: number;
  count: number;
  physical: number | null;
  /** The extent it came from, for error messages (block-mapped files have none). */
  extent?: number;
}

/** Maps a file's logical blocks to image blocks. */
export interface BlockMapper {
  /** Highest number of logical blocks this mapping can address. */
  readonly addressableBlocks: number;
  /** Runs covering exactly [fileBlock, fileBlock + count), in order, neighbours merged where contiguous. */
  map(fileBlock: number, count: number): Promise<BlockRun[]>;
}

/** Appends a run, merging it into the previous one when they continue each other. */
export function appendRun(runs: BlockRun[], run: BlockRun): void {
  if (run.count <= 0) return;
  const last = runs[runs.length - 1];
  if (last !== undefined && last.fileBlock + last.count === run.fileBlock) {
    const bothHoles = last.physical === null && run.physical === null;
    const contiguous = last.physical !== null && run.physical !== null && last.physical + last.count === run.physical;
    if (bothHoles || contiguous) {
      last.count += run.count;
      return;
    }
  }
  runs.push({ ...run });
}
