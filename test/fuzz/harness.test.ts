/** The fuzz harness itself must catch what it claims to: untyped errors, hangs, huge allocations. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../electron/engine/errors.js';
import { applyMutations, checkOne, fuzz } from './harness.js';

const input = Buffer.from('seed bytes');

describe('the fuzz harness', () => {
  it('accepts success and InputError', async () => {
    await checkOne({ parse: async () => 'fine' }, input);
    await checkOne({ parse: async () => Promise.reject(new InputError('bad', { file: 'f', format: 'x' })) }, input);
  });

  it('fails on an untyped exception', async () => {
    await expect(checkOne({ parse: async (bytes) => bytes.readUInt32LE(bytes.length) }, input)).rejects.toThrow(/untyped failure .*RangeError/s);
  });

  it('fails on a hang', async () => {
    await expect(checkOne({ parse: () => new Promise(() => {}), timeoutMs: 50 }, input)).rejects.toThrow(/hang/);
  });

  it('fails on an allocation sized by a corrupt length field, even when a library wraps the error', async () => {
    const wraps = async (): Promise<void> => {
      try {
        Buffer.alloc(0xfffffff0);
      } catch (error) {
        throw new InputError('wrapped', { file: 'f', format: 'x', cause: error });
      }
    };
    await expect(checkOne({ parse: wraps }, input)).rejects.toThrow(/largest single allocation/);
  });

  it('finds a planted bug by mutation', async () => {
    const planted = { parse: async (bytes: Buffer) => (bytes[0] === 's'.charCodeAt(0) ? 'ok' : (null as unknown as string).length) };
    await expect(fuzz(planted, input, { runs: 200 })).rejects.toThrow(/Property failed/);
  });

  it('applies each mutation kind within bounds', () => {
    expect(applyMutations(input, [{ kind: 'truncate', at: 4 }])).toEqual(Buffer.from('seed'));
    expect(applyMutations(input, [{ kind: 'flip', at: 0, mask: 0x20 }]).toString()).toBe('Seed bytes');
    expect(applyMutations(input, [{ kind: 'set16', at: 0, value: 0x4141 }]).toString()).toBe('AAed bytes');
    expect(applyMutations(input, [{ kind: 'insert', at: 4, bytes: Uint8Array.from([0x21]) }]).toString()).toBe('seed! bytes');
    expect(applyMutations(input, [{ kind: 'truncate', at: 2 }, { kind: 'splice', from: 0, to: 5, length: 3 }]).toString()).toBe('se');
  });
});
