/** The compression algorithms of EROFS, in the order of their on-disk numbers (0 to 3). */
export const ALGORITHMS = ['lz4', 'lzma', 'deflate', 'zstd'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** How the bytes of one extent of a file are stored. */
export type ExtentKind =
  /** Stored as is at `physical`. */
  | 'raw'
  /** A hole: zeros, nothing stored. */
  | 'zero'
  /** An uncompressed pcluster: the extent's bytes are its first bytes ("shifted" layout). */
  | 'plain'
  /** An uncompressed pcluster rotated by the extent's offset in its block ("interlaced" layout). */
  | 'interlaced'
  /** Stored in the packed inode (mkfs.erofs -Efragments), from byte `physical` of it on. */
  | 'fragment'
  /** Compressed in the pcluster [physical, physical+physicalLength) with this algorithm. */
  | Algorithm;

const KINDS: readonly ExtentKind[] = ['raw', 'zero', 'plain', 'interlaced', 'fragment', ...ALGORITHMS];
const KIND_MASK = 15;
const FLAG_INLINE = 16;
const FLAG_PARTIAL = 32;

export interface Extent {
  index: number;
  /** File offset of the extent's first byte. */
  start: number;
  /** File offset just past the extent. */
  end: number;
  kind: ExtentKind;
  /** Image offset of the stored bytes (unused for holes). */
  physical: number;
  /** Stored bytes: the pcluster size for compressed extents, the extent length otherwise (fragments too). */
  physicalLength: number;
  /** Stored in the metadata area, next to the inode (tail packing): read through the metadata cache. */
  inline: boolean;
  /** The pcluster may decode to more than this extent (EROFS "partial reference"). */
  partial: boolean;
}

export interface ExtentOptions {
  inline?: boolean;
  partial?: boolean;
}

/**
 * The extents of one file, contiguous and in file order: extent i covers [start(i), start(i+1)).
 * Kept as typed arrays because a large compressed file has hundreds of thousands of them.
 */
export class ExtentMap {
  private starts = new Float64Array(8);
  private physicals = new Float64Array(8);
  private physicalLengths = new Float64Array(8);
  private flags = new Uint8Array(8);
  private used = 0;

  constructor(readonly size: number) {}

  get count(): number {
    return this.used;
  }

  /** Appends an extent starting at `start`; the previous one ends there. Starts must increase. */
  push(start: number, kind: ExtentKind, physical: number, physicalLength: number, options: ExtentOptions = {}): void {
    if (this.used === this.starts.length) this.grow();
    const at = this.used++;
    this.starts[at] = start;
    this.physicals[at] = physical;
    this.physicalLengths[at] = physicalLength;
    this.flags[at] = KINDS.indexOf(kind) | (options.inline === true ? FLAG_INLINE : 0) | (options.partial === true ? FLAG_PARTIAL : 0);
  }

  /** Extends the last extent instead of adding one when `physical` continues it (adjacent raw runs). */
  pushOrMerge(start: number, kind: 'raw' | 'zero', physical: number, length: number): void {
    const last = this.used - 1;
    if (last >= 0) {
      const lastKind = KINDS[this.flags[last]! & KIND_MASK];
      const lastLength = start - this.starts[last]!;
      if (lastKind === kind && (kind === 'zero' || this.physicals[last]! + lastLength === physical)) {
        this.physicalLengths[last] = lastLength + length;
        return;
      }
    }
    this.push(start, kind, physical, length);
  }

  get(index: number): Extent {
    const flags = this.flags[index]!;
    return {
      index,
      start: this.starts[index]!,
      end: index + 1 < this.used ? this.starts[index + 1]! : this.size,
      kind: KINDS[flags & KIND_MASK]!,
      physical: this.physicals[index]!,
      physicalLength: this.physicalLengths[index]!,
      inline: (flags & FLAG_INLINE) !== 0,
      partial: (flags & FLAG_PARTIAL) !== 0,
    };
  }

  /** The index of the extent holding file offset `offset` (0 <= offset < size). */
  find(offset: number): number {
    let low = 0;
    let high = this.used - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** Image bytes [min, max) that hold this file's non-inline data, for read-ahead while streaming. */
  physicalSpan(): { start: number; end: number } {
    let start = Infinity;
    let end = 0;
    for (let i = 0; i < this.used; i++) {
      const flags = this.flags[i]!;
      const kind = KINDS[flags & KIND_MASK];
      if ((flags & FLAG_INLINE) !== 0 || kind === 'zero' || kind === 'fragment') continue;
      start = Math.min(start, this.physicals[i]!);
      end = Math.max(end, this.physicals[i]! + this.physicalLengths[i]!);
    }
    return start === Infinity ? { start: 0, end: 0 } : { start, end };
  }

  private grow(): void {
    const capacity = this.starts.length * 2;
    const grown = <T extends Float64Array | Uint8Array>(array: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(array);
      return next;
    };
    this.starts = grown(this.starts, (n) => new Float64Array(n));
    this.physicals = grown(this.physicals, (n) => new Float64Array(n));
    this.physicalLengths = grown(this.physicalLengths, (n) => new Float64Array(n));
    this.flags = grown(this.flags, (n) => new Uint8Array(n));
  }
}
