/** Fuzzes the file-system readers (ext4, EROFS with its LZ4 pclusters) and the LZ4 block decoder. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Lz4FormatError, decompressLz4Block } from '../../electron/engine/codecs/lz4.js';
import { openErofs } from '../../electron/engine/fs/erofs/index.js';
import { ext4FileSystem } from '../../electron/engine/fs/ext4/index.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import { exerciseTree } from './exercise.js';
import { checkOne, fuzz, FUZZ_TEST_TIMEOUT, fuzzRuns, fuzzSeed } from './harness.js';
import { FIXTURES, fixture } from './seeds.js';

let ext4Images: string;
beforeAll(() => {
  ext4Images = mkdtempSync(join(tmpdir(), 'otalens-fuzz-ext4-'));
  // A missing tar/xz fails here, loudly.
  execFileSync('tar', ['-xJf', `${FIXTURES}ext4/ext4-images.tar.xz`, '-C', ext4Images]);
});
afterAll(() => rmSync(ext4Images, { recursive: true, force: true }));

describe('fuzzing the file-system readers', () => {
  it('ext4: superblock, group descriptors, inodes, extents, directories, inline data', async () => {
    const parse = async (input: Buffer): Promise<void> => {
      await exerciseTree(await ext4FileSystem.open(new BufferByteSource('system.img', input)));
    };
    for (const image of ['ext4-4k.img', 'ext2-1k.img', 'ext4-inline.img', 'ext4-htree.img']) {
      await fuzz({ parse, timeoutMs: 10_000 }, readFileSync(join(ext4Images, image)), { runs: fuzzRuns(25), focus: 1 << 20 });
    }
  }, FUZZ_TEST_TIMEOUT);

  it('EROFS: superblock, inodes, directories, chunk maps, compressed indexes, LZ4 pclusters', async () => {
    const parse = async (input: Buffer): Promise<void> => {
      await exerciseTree(await openErofs(new BufferByteSource('vendor.img', input)));
    };
    const images = ['lz4.erofs', 'lz4hc.erofs', 'lz4hc-ztailpacking.erofs', 'lz4hc-legacy-extended.erofs', 'chunked.erofs', 'special.erofs'];
    for (const image of images) {
      await fuzz({ parse, timeoutMs: 10_000 }, fixture(`erofs/${image}`), { runs: fuzzRuns(25), focus: 64 << 10 });
    }
  }, FUZZ_TEST_TIMEOUT);

  it('LZ4 blocks: hand-made sequences and arbitrary bytes, any output size', async () => {
    // "abcd", a 35-byte match at offset 4 (length nibble 15 + extension byte 16), then 5 literals.
    const block = Buffer.from([0x4f, 0x61, 0x62, 0x63, 0x64, 0x04, 0x00, 0x10, 0x50, 0x65, 0x66, 0x67, 0x68, 0x69]);
    const parse = (outputSize: number, options: { stopAtOutputSize?: boolean }) => async (input: Buffer) => decompressLz4Block(input, outputSize, options);
    const target = { parse: parse(44, {}), allowed: [Lz4FormatError] };
    await fuzz(target, block, { runs: fuzzRuns(500) });
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), fc.integer({ min: 0, max: 1 << 16 }), fc.boolean(), async (bytes, outputSize, stopAtOutputSize) => {
        await checkOne({ parse: parse(outputSize, { stopAtOutputSize }), allowed: [Lz4FormatError] }, Buffer.from(bytes));
      }),
      { numRuns: fuzzRuns(500), seed: fuzzSeed() },
    );
  }, FUZZ_TEST_TIMEOUT);
});
