/**
 * Shared fuzzing harness: mutates real fixture bytes (bit flips, truncations, splices, huge length
 * fields, inserted junk) with fast-check and asserts that a parser either succeeds or throws a typed
 * InputError — never another exception, never a hang, never a huge allocation from an unchecked
 * length. `npm test` runs a few iterations per target; `OTALENS_FUZZ_RUNS` raises the budget.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { InputError } from '../../electron/engine/errors.js';

/** Iterations per target: small in `npm test`, large under `npm run fuzz`. */
export function fuzzRuns(defaultRuns: number): number {
  const configured = Number(process.env.OTALENS_FUZZ_RUNS);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : defaultRuns;
}

/** Vitest timeout for one fuzz test: the default in `npm test`, an hour under `npm run fuzz`. */
export const FUZZ_TEST_TIMEOUT = process.env.OTALENS_FUZZ_RUNS === undefined ? 60_000 : 3_600_000;

/** Fixed seed by default so a failure reproduces; `OTALENS_FUZZ_SEED` explores other inputs. */
export function fuzzSeed(): number {
  const configured = Number(process.env.OTALENS_FUZZ_SEED);
  return Number.isSafeInteger(configured) ? configured : 0x07a1e5;
}

/** Length-field values that break naive parsers: zero, just past the end, sign bits, all ones. */
const HOSTILE_U32 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

export type Mutation =
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'set32'; at: number; value: number }
  | { kind: 'set16'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; from: number; to: number; length: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array };

export interface MutationOptions {
  /** Most mutations land in the `focus` bytes from `focusStart`, where headers and tables live. */
  focus?: number;
  focusStart?: number;
  /** At most this many mutations per input. */
  maxMutations?: number;
}

function offsetArbitrary(size: number, focus: number, focusStart: number): fc.Arbitrary<number> {
  const last = Math.max(0, size - 1);
  const start = Math.min(last, Math.max(0, focusStart));
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: start, max: Math.min(last, Math.max(start, start + focus - 1)) }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: last }) },
  );
}

export function mutationArbitrary(size: number, options: MutationOptions = {}): fc.Arbitrary<Mutation> {
  const at = offsetArbitrary(size, options.focus ?? size, options.focusStart ?? 0);
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at, mask: fc.integer({ min: 1, max: 255 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('set32' as const), at, value: fc.constantFrom(...HOSTILE_U32) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('set16' as const), at, value: fc.constantFrom(0, 1, 0x7fff, 0x8000, 0xffff) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('splice' as const), from: at, to: at, length: fc.integer({ min: 1, max: 512 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }) },
  );
}

export function applyMutations(seed: Buffer, mutations: readonly Mutation[]): Buffer {
  let bytes = Buffer.from(seed);
  for (const mutation of mutations) {
    switch (mutation.kind) {
      case 'flip':
        if (mutation.at < bytes.length) bytes[mutation.at] = bytes[mutation.at]! ^ mutation.mask;
        break;
      case 'set32':
        if (mutation.at + 4 <= bytes.length) bytes.writeUInt32LE(mutation.value, mutation.at);
        break;
      case 'set16':
        if (mutation.at + 2 <= bytes.length) bytes.writeUInt16LE(mutation.value, mutation.at);
        break;
      case 'truncate':
        bytes = bytes.subarray(0, Math.min(mutation.at, bytes.length));
        break;
      case 'splice':
        if (mutation.from < bytes.length && mutation.to < bytes.length) {
          bytes.copy(bytes, mutation.to, mutation.from, Math.min(bytes.length, mutation.from + mutation.length));
        }
        break;
      case 'insert':
        bytes = Buffer.concat([bytes.subarray(0, mutation.at), mutation.bytes, bytes.subarray(Math.min(mutation.at, bytes.length))]);
        break;
    }
  }
  return bytes;
}

export function mutatedBytes(seed: Buffer, options: MutationOptions = {}): fc.Arbitrary<Buffer> {
  return fc
    .array(mutationArbitrary(seed.length, options), { minLength: 1, maxLength: options.maxMutations ?? 4 })
    .map((mutations) => applyMutations(seed, mutations));
}

/** Largest single Buffer allocation a parser may make for one fuzzed input. */
export const ALLOCATION_CAP = 256 << 20;

/**
 * Runs `body` while recording the largest Buffer.alloc/allocUnsafe/allocUnsafeSlow request; a
 * parser that trusts a corrupt length field shows up here before it exhausts memory.
 */
export async function withAllocationWatch<T>(body: () => Promise<T>): Promise<{ result: T | undefined; error: unknown; largest: number }> {
  const originals = { alloc: Buffer.alloc, allocUnsafe: Buffer.allocUnsafe, allocUnsafeSlow: Buffer.allocUnsafeSlow };
  let largest = 0;
  const watch = <F extends (size: number, ...rest: never[]) => Buffer>(original: F): F =>
    ((size: number, ...rest: never[]) => {
      if (size > largest) largest = size;
      if (size > ALLOCATION_CAP) throw new Error(`unchecked allocation of ${size} bytes`);
      return original.call(Buffer, size, ...rest);
    }) as F;
  Buffer.alloc = watch(originals.alloc);
  Buffer.allocUnsafe = watch(originals.allocUnsafe);
  Buffer.allocUnsafeSlow = watch(originals.allocUnsafeSlow);
  try {
    return { result: await body(), error: undefined, largest };
  } catch (error) {
    return { result: undefined, error, largest };
  } finally {
    Buffer.alloc = originals.alloc;
    Buffer.allocUnsafe = originals.allocUnsafe;
    Buffer.allocUnsafeSlow = originals.allocUnsafeSlow;
  }
}

/** A readable description of anything thrown, for the failure report. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}

export interface FuzzTarget {
  /** Parses one input; resolving or throwing InputError is fine, anything else is a bug. */
  parse(input: Buffer): Promise<unknown>;
  /** Per-input time bound in milliseconds. */
  timeoutMs?: number;
  /** Extra errors a low-level target is documented to throw besides InputError. */
  allowed?: readonly (abstract new (...args: never[]) => Error)[];
}

/** The outcome of one input, asserted: success or a typed error, in time, with bounded allocation. */
export async function checkOne(target: FuzzTarget, input: Buffer): Promise<void> {
  const timeoutMs = target.timeoutMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms (hang)`)), timeoutMs);
  });
  try {
    const outcome = await withAllocationWatch(() => Promise.race([target.parse(input), timeout]));
    expect(outcome.largest, 'largest single allocation').toBeLessThanOrEqual(ALLOCATION_CAP);
    const error = outcome.error;
    if (error === undefined) return;
    const allowed = [InputError, ...(target.allowed ?? [])];
    if (!allowed.some((type) => error instanceof type)) {
      expect.fail(`untyped failure on a ${input.length}-byte input: ${describe(error)}`);
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Fuzzes `target` with mutations of `seed`; fails with the shrunk input on the first bug. */
export async function fuzz(target: FuzzTarget, seed: Buffer, options: MutationOptions & { runs: number }): Promise<void> {
  // The unmutated seed must parse, or the mutations would only ever exercise the first check.
  await target.parse(seed);
  await fc.assert(
    fc.asyncProperty(mutatedBytes(seed, options), (input) => checkOne(target, input)),
    { numRuns: options.runs, seed: fuzzSeed(), endOnFailure: false, verbose: fc.VerbosityLevel.None },
  );
}
