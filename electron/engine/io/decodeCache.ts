import { createHash } from 'node:crypto';

/**
 * Decoded units (a payload's operations, an LZ4 frame's blocks) kept for reuse in one
 * SharedArrayBuffer, bounded in bytes whatever the package, and shared by every thread that reads
 * the same package (the inventory's file readers open it each on their own): a unit is decoded once
 * by whichever thread needs it first, and the others wait for it and read it in place. The memory
 * is allocated once and reused, so decoding leaves no garbage behind.
 *
 * A unit is named by a namespace (the identity of the source it is decoded from, see
 * ByteSource.identity) and an index. A unit larger than the cache, or one for which no room can be
 * made (every stored unit in use), is not shared: the thread that decoded it keeps the last such
 * unit for itself, so reading a large unit piece by piece still decodes it once.
 *
 * Layout of the buffer (Int32 words, then the pages): a header, a liveness word per thread, hash
 * buckets, unit entries chained from the buckets, the owner of each page, then the pages. Entries
 * and pages change only under the lock word; a stored unit is pinned while a thread reads it (a
 * synchronous call, never across an await) and only unpinned ones are evicted, least recently used
 * first. A thread waiting for another's decode sleeps on the events word; a decode whose thread
 * ended (a worker that died) is taken over.
 */

const PAGE_BYTES = 64 << 10;
const MAX_THREADS = 256;
/** Room for units being decoded beyond one per page. */
const EXTRA_ENTRIES = 256;
/** How long a waiting thread sleeps before it checks that the decoding thread is still alive. */
const WAIT_SLICE_MS = 500;

// Header words.
const LOCK = 0;
const EVENTS = 1;
const CLOCK = 2;
const THREADS = 3;
const FREE_ENTRY = 4;
const STAT_DECODED = 5;
const STAT_HITS = 6;
const STAT_WAITS = 7;
const STAT_UNCACHED = 8;
const STAT_EVICTED = 9;
const PAGE_COUNT = 10;
const HEADER_WORDS = 16;

// Entry words.
const STATE = 0;
const NS_HI = 1;
const NS_LO = 2;
const INDEX = 3;
const SIZE = 4;
const FIRST_PAGE = 5;
const PAGES = 6;
const PINS = 7;
const STAMP = 8;
const OWNER = 9;
const NEXT = 10;
const ENTRY_WORDS = 11;

const FREE = 0;
const DECODING = 1;
const READY = 2;

/** Where the pages start, for a cache of `pages` pages: after the words, 8-byte aligned. */
function dataOffset(pages: number): number {
  const entries = pages + EXTRA_ENTRIES;
  const words = HEADER_WORDS + MAX_THREADS + entries * 2 + entries * ENTRY_WORDS + pages;
  return Math.ceil((words * 4) / 8) * 8;
}

/** Hands decoded bytes to a sink, synchronously; the bytes are valid only during the call. */
export type UnitProducer = (sink: (bytes: Uint8Array) => void) => void;
/** Reads what a unit needs (asynchronously), then returns the step that decodes it. */
export type UnitDecoder = () => Promise<UnitProducer>;

/** A source's namespace in the cache: 64 bits of the SHA-256 of its identity. */
export interface UnitNamespace {
  readonly hi: number;
  readonly lo: number;
}

export function unitNamespace(identity: string): UnitNamespace {
  const digest = createHash('sha256').update(identity).digest();
  return { hi: digest.readInt32LE(0), lo: digest.readInt32LE(4) };
}

/** What a worker needs to use its parent's cache. */
export interface DecodeCacheHandle {
  buffer: SharedArrayBuffer;
  thread: number;
}

export interface DecodeCacheStats {
  /** Units decoded (by any thread). */
  decoded: number;
  /** Reads served from a unit another read had decoded. */
  hits: number;
  /** Times a thread waited for another's decode. */
  waits: number;
  /** Units decoded but not shared: too large, or no room. */
  uncached: number;
  evicted: number;
}

interface AtomicsWithWaitAsync {
  waitAsync(array: Int32Array, index: number, value: number, timeout?: number): { async: boolean; value: Promise<string> | string };
}

let sharedCache: DecodeCache | null = null;

/** The process's default budget for decoded units, in bytes. */
export const DECODE_CACHE_BYTES = 96 << 20;

export class DecodeCache {
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly pageCount: number;
  private readonly entryCount: number;
  private readonly bucketCount: number;
  private readonly aliveAt: number;
  private readonly bucketsAt: number;
  private readonly entriesAt: number;
  private readonly pageOwnerAt: number;
  /** The last unit this thread decoded but could not share. */
  private kept: { hi: number; lo: number; index: number; bytes: Buffer } | null = null;

  private constructor(
    readonly buffer: SharedArrayBuffer,
    /** This thread's slot, for the liveness of its decodes. */
    private readonly thread: number,
  ) {
    const header = new Int32Array(buffer, 0, HEADER_WORDS);
    this.pageCount = header[PAGE_COUNT]!;
    this.entryCount = this.pageCount + EXTRA_ENTRIES;
    this.bucketCount = this.entryCount * 2;
    this.aliveAt = HEADER_WORDS;
    this.bucketsAt = this.aliveAt + MAX_THREADS;
    this.entriesAt = this.bucketsAt + this.bucketCount;
    this.pageOwnerAt = this.entriesAt + this.entryCount * ENTRY_WORDS;
    this.words = new Int32Array(buffer, 0, this.pageOwnerAt + this.pageCount);
    this.bytes = new Uint8Array(buffer, dataOffset(this.pageCount), this.pageCount * PAGE_BYTES);
  }

  /** A cache of about `bytes` for this thread and the workers it hands it to. */
  static create(bytes: number): DecodeCache {
    const pages = Math.max(1, Math.floor(bytes / PAGE_BYTES));
    const buffer = new SharedArrayBuffer(dataOffset(pages) + pages * PAGE_BYTES);
    new Int32Array(buffer, 0, HEADER_WORDS)[PAGE_COUNT] = pages;
    const cache = new DecodeCache(buffer, 0);
    cache.initialise();
    return cache;
  }

  /** The cache this thread shares with its workers (the parent's, in a worker that adopted it). */
  static shared(): DecodeCache {
    sharedCache ??= DecodeCache.create(DECODE_CACHE_BYTES);
    return sharedCache;
  }

  /** In a worker: use the parent's cache as this thread's shared one. */
  static adopt(handle: DecodeCacheHandle): DecodeCache {
    sharedCache = new DecodeCache(handle.buffer, handle.thread);
    return sharedCache;
  }

  /** A slot for a new worker thread; call threadEnded with it when the worker exits. */
  handleForWorker(): DecodeCacheHandle {
    const thread = Atomics.add(this.words, THREADS, 1) % MAX_THREADS;
    Atomics.store(this.words, this.aliveAt + thread, 1);
    return { buffer: this.buffer, thread };
  }

  /** A worker ended: decodes it left unfinished are taken over by the threads waiting for them. */
  threadEnded(thread: number): void {
    Atomics.store(this.words, this.aliveAt + thread, 0);
    this.signal();
  }

  get capacity(): number {
    return this.pageCount * PAGE_BYTES;
  }

  stats(): DecodeCacheStats {
    const w = this.words;
    return { decoded: w[STAT_DECODED]!, hits: w[STAT_HITS]!, waits: w[STAT_WAITS]!, uncached: w[STAT_UNCACHED]!, evicted: w[STAT_EVICTED]! };
  }

  /** Whether the unit is stored or being decoded. */
  has(namespace: UnitNamespace, index: number): boolean {
    this.lock();
    try {
      return this.find(namespace, index) !== -1;
    } finally {
      this.unlock();
    }
  }

  /** Whether a unit of `size` bytes could be stored without filling more than a quarter of the cache. */
  roomy(size: number): boolean {
    return size * 4 <= this.capacity;
  }

  /**
   * Calls `use` with the bytes of unit `index` of `namespace` (`size` bytes), decoding them with
   * `decode` unless this or another thread already did or is doing it. The bytes are valid only
   * during the call.
   */
  async withUnit<T>(namespace: UnitNamespace, index: number, size: number, decode: UnitDecoder, use: (bytes: Uint8Array) => T): Promise<T> {
    const kept = this.kept;
    if (kept !== null && kept.hi === namespace.hi && kept.lo === namespace.lo && kept.index === index) return use(kept.bytes);
    for (;;) {
      const seen = Atomics.load(this.words, EVENTS);
      const claim = this.lookupOrClaim(namespace, index, size);
      if (claim.kind === 'ready') {
        try {
          Atomics.add(this.words, STAT_HITS, 1);
          return use(this.view(claim.entry));
        } finally {
          Atomics.sub(this.words, this.entryAt(claim.entry) + PINS, 1);
        }
      }
      if (claim.kind === 'decode') return this.decodeClaimed(claim.entry, namespace, index, size, decode, use);
      if (claim.kind === 'private') return this.decodePrivately(namespace, index, decode, use);
      Atomics.add(this.words, STAT_WAITS, 1);
      await this.waitForEvents(seen);
      this.takeOverIfOrphaned(claim.entry);
    }
  }

  /** Starts decoding a unit in the background if nobody has (a read-ahead); its errors surface when it is read. */
  prefetch(namespace: UnitNamespace, index: number, size: number, decode: UnitDecoder): void {
    if (size > this.capacity) return;
    const claim = this.lookupOrClaim(namespace, index, size, false);
    if (claim.kind !== 'decode') return;
    this.decodeClaimed(claim.entry, namespace, index, size, decode, () => undefined).catch(() => undefined);
  }

  private async decodeClaimed<T>(entry: number, namespace: UnitNamespace, index: number, size: number, decode: UnitDecoder, use: (bytes: Uint8Array) => T): Promise<T> {
    let produce: UnitProducer;
    try {
      produce = await decode();
    } catch (error) {
      this.abandon(entry);
      throw error;
    }
    let result: { value: T } | null = null;
    try {
      produce((bytes) => {
        this.store(entry, bytes, size);
        result = { value: use(bytes) };
      });
    } catch (error) {
      // store() settles the entry before `use` runs; only a failing producer leaves it unsettled.
      if (this.entryWord(entry, STATE) === DECODING && this.ownedByMe(entry)) this.abandon(entry);
      throw error;
    }
    if (result === null) {
      this.abandon(entry);
      throw new Error('a unit decoder produced nothing');
    }
    return (result as { value: T }).value;
  }

  private async decodePrivately<T>(namespace: UnitNamespace, index: number, decode: UnitDecoder, use: (bytes: Uint8Array) => T): Promise<T> {
    const produce = await decode();
    let result: { value: T } | null = null;
    produce((bytes) => {
      Atomics.add(this.words, STAT_DECODED, 1);
      Atomics.add(this.words, STAT_UNCACHED, 1);
      this.kept = { hi: namespace.hi, lo: namespace.lo, index, bytes: Buffer.from(bytes) };
      result = { value: use(bytes) };
    });
    if (result === null) throw new Error('a unit decoder produced nothing');
    return (result as { value: T }).value;
  }

  private lookupOrClaim(namespace: UnitNamespace, index: number, size: number, pin = true): { kind: 'ready' | 'decode' | 'wait'; entry: number } | { kind: 'private' } {
    this.lock();
    try {
      const found = this.find(namespace, index);
      if (found !== -1) {
        if (this.entryWord(found, STATE) === READY) {
          if (pin) {
            this.words[this.entryAt(found) + PINS]! += 1;
            this.words[this.entryAt(found) + STAMP] = Atomics.add(this.words, CLOCK, 1);
          }
          return { kind: 'ready', entry: pin ? found : -1 };
        }
        return { kind: 'wait', entry: found };
      }
      if (size > this.capacity) return { kind: 'private' };
      const entry = this.words[FREE_ENTRY]!;
      if (entry === -1) return { kind: 'private' };
      const at = this.entryAt(entry);
      this.words[FREE_ENTRY] = this.words[at + NEXT]!;
      this.words[at + STATE] = DECODING;
      this.words[at + NS_HI] = namespace.hi;
      this.words[at + NS_LO] = namespace.lo;
      this.words[at + INDEX] = index;
      this.words[at + SIZE] = size;
      this.words[at + FIRST_PAGE] = -1;
      this.words[at + PAGES] = 0;
      this.words[at + PINS] = 0;
      this.words[at + OWNER] = this.thread;
      const bucket = this.bucketsAt + this.bucketOf(namespace, index);
      this.words[at + NEXT] = this.words[bucket]!;
      this.words[bucket] = entry;
      return { kind: 'decode', entry };
    } finally {
      this.unlock();
    }
  }

  /** Copies a decoded unit into pages (evicting the least recently used units to make room) and publishes it. */
  private store(entry: number, bytes: Uint8Array, size: number): void {
    Atomics.add(this.words, STAT_DECODED, 1);
    const pages = Math.max(1, Math.ceil(bytes.length / PAGE_BYTES));
    let first = -1;
    this.lock();
    try {
      if (bytes.length <= size) first = this.allocate(entry, pages);
      if (first === -1) {
        this.unlink(entry);
      } else {
        const at = this.entryAt(entry);
        this.words[at + FIRST_PAGE] = first;
        this.words[at + PAGES] = pages;
        this.words[at + SIZE] = bytes.length;
      }
    } finally {
      this.unlock();
    }
    if (first === -1) {
      Atomics.add(this.words, STAT_UNCACHED, 1);
      this.signal();
      return;
    }
    this.bytes.set(bytes, first * PAGE_BYTES);
    const at = this.entryAt(entry);
    Atomics.store(this.words, at + STAMP, Atomics.add(this.words, CLOCK, 1));
    Atomics.store(this.words, at + STATE, READY);
    this.signal();
  }

  private abandon(entry: number): void {
    this.lock();
    try {
      if (this.entryWord(entry, STATE) === DECODING && this.ownedByMe(entry)) this.unlink(entry);
    } finally {
      this.unlock();
    }
    this.signal();
  }

  /** A decode whose thread ended is taken over by this one (it becomes the decoder on the next lookup). */
  private takeOverIfOrphaned(entry: number): void {
    this.lock();
    try {
      if (this.entryWord(entry, STATE) !== DECODING) return;
      const owner = this.entryWord(entry, OWNER);
      if (owner !== this.thread && Atomics.load(this.words, this.aliveAt + owner) === 0) this.unlink(entry);
    } finally {
      this.unlock();
    }
  }

  /** Finds `pages` free contiguous pages for `entry`, evicting unpinned units, oldest first. Called under the lock. */
  private allocate(entry: number, pages: number): number {
    if (pages > this.pageCount) return -1;
    for (;;) {
      const run = this.freeRun(pages);
      if (run !== -1) {
        for (let page = run; page < run + pages; page++) this.words[this.pageOwnerAt + page] = entry;
        return run;
      }
      const victim = this.oldestUnpinned();
      if (victim === -1) return -1;
      this.unlink(victim);
      Atomics.add(this.words, STAT_EVICTED, 1);
    }
  }

  private freeRun(pages: number): number {
    let runStart = 0;
    let runLength = 0;
    for (let page = 0; page < this.pageCount; page++) {
      if (this.words[this.pageOwnerAt + page] === -1) {
        if (runLength === 0) runStart = page;
        runLength++;
        if (runLength === pages) return runStart;
      } else {
        runLength = 0;
      }
    }
    return -1;
  }

  private oldestUnpinned(): number {
    const clock = this.words[CLOCK]!;
    let victim = -1;
    let oldest = -1;
    for (let entry = 0; entry < this.entryCount; entry++) {
      const at = this.entryAt(entry);
      if (this.words[at + STATE] !== READY || Atomics.load(this.words, at + PINS) !== 0) continue;
      const age = (clock - this.words[at + STAMP]!) >>> 0;
      if (age > oldest) {
        oldest = age;
        victim = entry;
      }
    }
    return victim;
  }

  /** Removes an entry from its bucket, frees its pages and the entry. Called under the lock. */
  private unlink(entry: number): void {
    const at = this.entryAt(entry);
    const bucket = this.bucketsAt + this.bucketOf({ hi: this.words[at + NS_HI]!, lo: this.words[at + NS_LO]! }, this.words[at + INDEX]!);
    if (this.words[bucket] === entry) {
      this.words[bucket] = this.words[at + NEXT]!;
    } else {
      for (let other = this.words[bucket]!; other !== -1; other = this.words[this.entryAt(other) + NEXT]!) {
        if (this.words[this.entryAt(other) + NEXT] === entry) {
          this.words[this.entryAt(other) + NEXT] = this.words[at + NEXT]!;
          break;
        }
      }
    }
    const first = this.words[at + FIRST_PAGE]!;
    for (let page = first; first !== -1 && page < first + this.words[at + PAGES]!; page++) this.words[this.pageOwnerAt + page] = -1;
    this.words[at + STATE] = FREE;
    this.words[at + NEXT] = this.words[FREE_ENTRY]!;
    this.words[FREE_ENTRY] = entry;
  }

  private find(namespace: UnitNamespace, index: number): number {
    for (let entry = this.words[this.bucketsAt + this.bucketOf(namespace, index)]!; entry !== -1; entry = this.words[this.entryAt(entry) + NEXT]!) {
      const at = this.entryAt(entry);
      if (this.words[at + INDEX] === index && this.words[at + NS_LO] === namespace.lo && this.words[at + NS_HI] === namespace.hi) return entry;
    }
    return -1;
  }

  private bucketOf(namespace: UnitNamespace, index: number): number {
    return ((Math.imul(namespace.lo ^ index, 0x9e3779b1) ^ namespace.hi) >>> 0) % this.bucketCount;
  }

  private view(entry: number): Uint8Array {
    const at = this.entryAt(entry);
    const start = this.words[at + FIRST_PAGE]! * PAGE_BYTES;
    return this.bytes.subarray(start, start + this.words[at + SIZE]!);
  }

  private ownedByMe(entry: number): boolean {
    return this.entryWord(entry, OWNER) === this.thread;
  }

  private entryAt(entry: number): number {
    return this.entriesAt + entry * ENTRY_WORDS;
  }

  private entryWord(entry: number, word: number): number {
    return Atomics.load(this.words, this.entryAt(entry) + word);
  }

  private initialise(): void {
    const w = this.words;
    Atomics.store(w, this.aliveAt, 1);
    w[THREADS] = 1;
    w.fill(-1, this.bucketsAt, this.bucketsAt + this.bucketCount);
    for (let entry = 0; entry < this.entryCount; entry++) {
      const at = this.entryAt(entry);
      w[at + STATE] = FREE;
      w[at + NEXT] = entry + 1 < this.entryCount ? entry + 1 : -1;
    }
    w[FREE_ENTRY] = 0;
    w.fill(-1, this.pageOwnerAt, this.pageOwnerAt + this.pageCount);
  }

  private lock(): void {
    for (let spins = 0; Atomics.compareExchange(this.words, LOCK, 0, 1) !== 0; spins++) {
      if (spins > 64) Atomics.wait(this.words, LOCK, 1, 0.05);
    }
  }

  private unlock(): void {
    Atomics.store(this.words, LOCK, 0);
  }

  private signal(): void {
    Atomics.add(this.words, EVENTS, 1);
    Atomics.notify(this.words, EVENTS);
  }

  private async waitForEvents(seen: number): Promise<void> {
    const waited = (Atomics as unknown as AtomicsWithWaitAsync).waitAsync(this.words, EVENTS, seen, WAIT_SLICE_MS);
    if (waited.async) await waited.value;
  }
}
