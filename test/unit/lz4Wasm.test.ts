// The WebAssembly LZ4 decoder (lz4-wasm-nodejs) against the TypeScript decoder it falls back to,
// on the same blocks, both against the input the `lz4` CLI compressed (the oracle): byte-identical
// output for whole blocks of every size EROFS and Samsung packages use (64 KiB … 4 MiB), and the
// fallback taking over for what WebAssembly is not given (partial decodes, linked blocks) or refuses.
import { describe, expect, it } from 'vitest';
import { decompressLz4Block, Lz4FormatError } from '../../electron/engine/codecs/lz4.js';
import { lz4WasmAvailable, withLz4Block } from '../../electron/engine/codecs/lz4Wasm.js';
import { type FrameBlock, frameBlocks, lz4Cli, LZ4_INPUTS, noise, textLike } from '../support/lz4Blocks.js';

interface Decoded {
  bytes: Buffer;
  owned: boolean;
}

/** What withLz4Block hands its callback, copied out (WebAssembly memory is reused by the next decode). */
function decode(block: Uint8Array, outputSize: number, options: { stopAtOutputSize?: boolean; dictionary?: Uint8Array } = {}): Decoded {
  return withLz4Block(block, outputSize, options, (output, owned) => ({ bytes: Buffer.from(output), owned }));
}

/** Each compressed block of `input` compressed by the CLI, with the bytes it stands for. */
function cliBlocks(input: Buffer, level: string, blockSize: string, blockBytes: number): { data: Buffer; expected: Buffer }[] {
  const blocks: { data: Buffer; expected: Buffer }[] = [];
  let offset = 0;
  for (const block of frameBlocks(lz4Cli(input, level, blockSize))) {
    const length = block.compressed ? Math.min(blockBytes, input.length - offset) : block.data.length;
    if (block.compressed) blocks.push({ data: block.data, expected: input.subarray(offset, offset + length) });
    offset += length;
  }
  expect(offset).toBe(input.length);
  return blocks;
}

describe('WebAssembly LZ4 decoder against the TypeScript fallback', () => {
  it('is loaded (lz4-wasm-nodejs installed by npm ci)', () => {
    expect(lz4WasmAvailable()).toBe(true);
  });

  for (const [name, input] of Object.entries(LZ4_INPUTS)) {
    for (const level of ['-1', '-12', '--fast=4']) {
      it(`decodes every 64 KiB block of "${name}" (lz4 ${level}) to the same bytes as the fallback and the input`, () => {
        const blocks = cliBlocks(input, level, '-B4', 65_536);
        expect(blocks.length).toBeGreaterThan(0);
        for (const { data, expected } of blocks) {
          const wasm = decode(data, expected.length);
          // Not owned: the bytes were WebAssembly's, not a fresh buffer of the fallback.
          expect(wasm.owned).toBe(false);
          const fallback = decompressLz4Block(data, expected.length);
          expect(wasm.bytes.equals(fallback)).toBe(true);
          expect(wasm.bytes.equals(expected)).toBe(true);
        }
      });
    }
  }

  it('decodes 4 MiB blocks (Samsung super.img.lz4, lz4 defaults) to the same bytes as the fallback', () => {
    const input = Buffer.concat([textLike(3 << 20, 7), noise(200_000, 8), Buffer.alloc(2 << 20, 3), textLike(1 << 20, 9)]);
    const blocks = cliBlocks(input, '-1', '-B7', 4 << 20);
    expect(blocks.length).toBe(2);
    for (const { data, expected } of blocks) {
      const wasm = decode(data, expected.length);
      expect(wasm.owned).toBe(false);
      expect(wasm.bytes.equals(decompressLz4Block(data, expected.length))).toBe(true);
      expect(wasm.bytes.equals(expected)).toBe(true);
    }
  });

  it('gives partial decodes (EROFS without 0padding, shared pclusters) to the fallback', () => {
    const [{ data, expected }] = cliBlocks(LZ4_INPUTS.text!, '-9', '-B4', 65_536) as [{ data: Buffer; expected: Buffer }];
    for (const cut of [1, 4096, expected.length - 3]) {
      const partial = decode(data, cut, { stopAtOutputSize: true });
      expect(partial.owned).toBe(true);
      expect(partial.bytes.equals(expected.subarray(0, cut))).toBe(true);
    }
  });

  it('gives linked blocks (a dictionary) to the fallback', () => {
    const input = textLike(200_000, 11);
    const [first, second] = frameBlocks(lz4Cli(input, '-9', '-B4', '-BD')) as [FrameBlock, FrameBlock];
    expect(first.compressed && second.compressed).toBe(true);
    const dictionary = input.subarray(0, 65_536);
    expect(decode(first.data, 65_536).bytes.equals(dictionary)).toBe(true);
    const linked = decode(second.data, 65_536, { dictionary });
    expect(linked.owned).toBe(true);
    expect(linked.bytes.equals(input.subarray(65_536, 131_072))).toBe(true);
  });

  it('gives a block WebAssembly decodes to another size to the fallback, which says where it ends', () => {
    const [{ data, expected }] = cliBlocks(LZ4_INPUTS.text!, '-9', '-B4', 65_536) as [{ data: Buffer; expected: Buffer }];
    // Asking for more bytes than the block holds: WebAssembly refuses, TypeScript decodes what is there.
    const shortBlock = decode(data, expected.length + 100);
    expect(shortBlock.owned).toBe(true);
    expect(shortBlock.bytes.equals(expected)).toBe(true);
  });

  it('throws Lz4FormatError, with the offset of the problem, for a corrupt block either decoder refuses', () => {
    // A match at offset 0 (the fallback says so at byte 2), and a truncated copy of a real block.
    const cases: [Buffer, number][] = [
      [Buffer.from([0x10, 0x61, 0x00, 0x00, 0x00]), 100],
      [cliBlocks(LZ4_INPUTS.mixed!, '-1', '-B4', 65_536)[0]!.data.subarray(0, 1000), 65_536],
    ];
    for (const [block, outputSize] of cases) {
      let caught: unknown;
      try {
        decode(block, outputSize);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(Lz4FormatError);
    }
    expect(() => decode(Buffer.from([0x10, 0x61, 0x00, 0x00, 0x00]), 100)).toThrow(expect.objectContaining({ inputOffset: 2 }));
  });
});
