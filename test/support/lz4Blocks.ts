// LZ4 blocks made by the reference implementation, for the decoders' tests: the `lz4` CLI (Debian
// package lz4, liblz4 1.9) compresses into its frame format, which frameBlocks unwraps by hand.
import { execFileSync } from 'node:child_process';
import { expect } from 'vitest';
import { seededRandom } from './erofs.js';

export interface FrameBlock {
  compressed: boolean;
  data: Buffer;
}

/**
 * Compresses with the lz4 CLI into blocks of `blockSize` (`-B4` 64 KiB … `-B7` 4 MiB), independent
 * so each block decodes on its own (or `-BD`: linked, each may refer to the 64 KiB before it).
 */
export function lz4Cli(input: Buffer, level: string, blockSize = '-B4', independence: '-BI' | '-BD' = '-BI'): Buffer {
  try {
    return execFileSync('lz4', [level, independence, blockSize, '--no-frame-crc', '-c'], { input, maxBuffer: 64 << 20 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('oracle tool "lz4" is not installed (CI installs the Debian package lz4: see .ci/run)', { cause: error });
    throw error;
  }
}

/** The blocks of an LZ4 frame (magic, FLG, BD, optional content size and dictionary id, HC byte). */
export function frameBlocks(frame: Buffer): FrameBlock[] {
  expect(frame.readUInt32LE(0)).toBe(0x184d2204);
  const flags = frame[4]!;
  let at = 7 + ((flags & 0x08) !== 0 ? 8 : 0) + ((flags & 0x01) !== 0 ? 4 : 0);
  const blockChecksum = (flags & 0x10) !== 0;
  const blocks: FrameBlock[] = [];
  while (true) {
    const word = frame.readUInt32LE(at);
    at += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    blocks.push({ compressed: (word & 0x80000000) === 0, data: frame.subarray(at, at + size) });
    at += size + (blockChecksum ? 4 : 0);
  }
  return blocks;
}

export function textLike(length: number, seed: number): Buffer {
  const vocabulary = 'alpha beta gamma delta settings default value provider overlay secure global system vendor'.split(' ');
  const random = seededRandom(seed);
  let text = '';
  while (text.length < length) text += `${vocabulary[Math.floor(random() * vocabulary.length)]}${random() < 0.1 ? '\n' : ' '}`;
  return Buffer.from(text.slice(0, length));
}

export function noise(length: number, seed: number): Buffer {
  const random = seededRandom(seed);
  return Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
}

/** Inputs that exercise long literal runs, long matches, and matches overlapping their output. */
export const LZ4_INPUTS: Record<string, Buffer> = {
  text: textLike(300_000, 1),
  zeros: Buffer.alloc(200_000),
  periods: Buffer.concat(Array.from({ length: 40 }, (_, period) => Buffer.alloc(3000 + period * 11, noise(period + 1, period)))),
  mixed: Buffer.concat([noise(5000, 2), textLike(20_000, 3), Buffer.alloc(70_000, 7), noise(300, 4), textLike(9000, 5)]),
};
