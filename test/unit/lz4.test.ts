// The LZ4 block decoder against the reference implementation: blocks come out of the `lz4` CLI
// (Debian package lz4, liblz4 1.9) inside its frame format, which the test unwraps itself. Known
// small blocks are written by hand from the block format description (lz4_Block_format.md).
import { describe, expect, it } from 'vitest';
import { decompressLz4Block, Lz4FormatError } from '../../electron/engine/codecs/lz4.js';
import { seededRandom } from '../support/erofs.js';
import { frameBlocks, lz4Cli, LZ4_INPUTS as INPUTS, noise } from '../support/lz4Blocks.js';

describe('LZ4 block decoder against the lz4 CLI', () => {
  for (const [name, input] of Object.entries(INPUTS)) {
    for (const level of ['-1', '-9', '-12', '--fast=4']) {
      it(`decodes every block of "${name}" compressed with lz4 ${level}`, () => {
        const blocks = frameBlocks(lz4Cli(input, level));
        let offset = 0;
        let compressedBlocks = 0;
        for (const block of blocks) {
          if (!block.compressed) {
            offset += block.data.length;
            continue;
          }
          compressedBlocks += 1;
          const expected = input.subarray(offset, offset + Math.min(65_536, input.length - offset));
          // Exact size, and a generous limit: the block itself says where it ends.
          expect(decompressLz4Block(block.data, expected.length).equals(expected)).toBe(true);
          expect(decompressLz4Block(block.data, 65_536).equals(expected)).toBe(true);
          // A prefix only (EROFS reading part of a pcluster), cut mid-literal or mid-match.
          for (const cut of [1, 17, 4096, expected.length - 3]) {
            expect(decompressLz4Block(block.data, cut, { stopAtOutputSize: true }).equals(expected.subarray(0, cut))).toBe(true);
          }
          offset += expected.length;
        }
        expect(offset).toBe(input.length);
        expect(compressedBlocks).toBeGreaterThan(0);
      });
    }
  }

  it('ignores bytes after the block when asked to stop at the output size', () => {
    const input = INPUTS.text!.subarray(0, 65_536);
    const [block] = frameBlocks(lz4Cli(input, '-9'));
    const padded = Buffer.concat([block!.data, Buffer.alloc(100, 0xaa)]);
    expect(decompressLz4Block(padded, input.length, { stopAtOutputSize: true }).equals(input)).toBe(true);
    expect(() => decompressLz4Block(padded, input.length)).toThrow(Lz4FormatError);
  });
});

describe('LZ4 blocks written by hand', () => {
  it('decodes literals, an overlapping match and final literals', () => {
    // token 0x44: 4 literals "abcd", match of 4+4 bytes at offset 4; token 0x50: 5 literals.
    const block = Buffer.from([0x44, ...Buffer.from('abcd'), 0x04, 0x00, 0x50, ...Buffer.from('efghi')]);
    expect(decompressLz4Block(block, 100).toString()).toBe('abcdabcdabcdefghi');
  });

  it('decodes extended literal and match lengths (15 + 255 + …)', () => {
    // 15 + 255 + 10 = 280 literals, then offset 1 with match length 4 + 15 + 255 + 1 = 275, then 1 literal.
    const literals = Buffer.alloc(280, 0x41);
    const block = Buffer.from([0xff, 255, 10, ...literals, 0x01, 0x00, 255, 1, 0x10, 0x42]);
    expect(decompressLz4Block(block, 1000).toString()).toBe(`${'A'.repeat(555)}B`);
  });

  it('decodes the empty block (a single zero token)', () => {
    expect(decompressLz4Block(Buffer.from([0x00]), 0).length).toBe(0);
  });
});

describe('corrupt LZ4 blocks', () => {
  const cases: [string, number[], number, number][] = [
    // name, block, output size, offset in the block where the problem is
    ['match offset 0', [0x10, 0x61, 0x00, 0x00, 0x00], 100, 2],
    ['offset before the start of the output', [0x10, 0x61, 0x05, 0x00, 0x00], 100, 2],
    ['literal run past the end of the block', [0xf0, 100, 0x61, 0x62], 1000, 2],
    ['block ending inside a literal length', [0xf0, 255], 1000, 2],
    ['block ending inside a match offset', [0x10, 0x61, 0x01], 100, 2],
    ['block ending inside a match length', [0x1f, 0x61, 0x01, 0x00, 255], 1000, 5],
    ['block ending after a match (no final literals)', [0x10, 0x61, 0x01, 0x00], 100, 4],
    ['empty input', [], 100, 0],
    ['output larger than allowed', [0x50, ...Buffer.from('hello')], 3, 1],
  ];
  for (const [name, bytes, outputSize, offset] of cases) {
    it(`throws Lz4FormatError: ${name}`, () => {
      let caught: unknown;
      try {
        decompressLz4Block(Buffer.from(bytes), outputSize);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(Lz4FormatError);
      expect((caught as Lz4FormatError).inputOffset).toBe(offset);
    });
  }

  it('never throws anything but Lz4FormatError on random input, nor writes past the output', () => {
    const random = seededRandom(99);
    for (let i = 0; i < 3000; i++) {
      const block = noise(1 + Math.floor(random() * 200), i);
      const size = Math.floor(random() * 2000);
      try {
        const output = decompressLz4Block(block, size, { stopAtOutputSize: random() < 0.5 });
        expect(output.length).toBeLessThanOrEqual(size);
      } catch (error) {
        expect(error).toBeInstanceOf(Lz4FormatError);
      }
    }
  });
});
