// LZ4 frames read by random access and decoded once (linked blocks), checked against `lz4 -dc`
// of the same files (test/fixtures/compressed, made by the lz4 command: see its README).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferByteSource, readChunks, type ByteSource } from '../../electron/engine/io/byteSource.js';
import { openLz4 } from '../../electron/engine/io/lz4FrameSource.js';
import { expectInputError } from '../support/inputError.js';
import { REPO_ROOT, sha256, toolOutput } from '../support/oracles.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/compressed');
const spoolDirectory = mkdtempSync(join(tmpdir(), 'otalens-lz4-test-'));
afterAll(() => rmSync(spoolDirectory, { recursive: true, force: true }));

const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const oracle = (name: string): Buffer => toolOutput('lz4', ['-dc', join(FIXTURES, name)]);

async function readAll(source: ByteSource): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of readChunks(source, 0, source.size, 100_000)) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** A source that counts how many of its bytes were read. */
function counting(bytes: Buffer, name: string): { source: ByteSource; read: () => number } {
  let total = 0;
  const inner = new BufferByteSource(name, bytes);
  return {
    source: { name, size: inner.size, read: async (offset, length) => ((total += length), inner.read(offset, length)), close: async () => {} },
    read: () => total,
  };
}

describe('LZ4 frames', () => {
  const files = ['small-independent.lz4', 'small-independent-sized.lz4', 'small-linked.lz4', 'small-linked-nocrc.lz4', 'small-two-frames.lz4', 'large.lz4'];
  it.each(files)('%s decodes to what lz4 -dc writes', async (name) => {
    const expected = oracle(name);
    const source = await openLz4(new BufferByteSource(name, fixture(name)), { spoolDirectory });
    try {
      expect(source.size).toBe(expected.length);
      expect(sha256(await readAll(source))).toBe(sha256(expected));
    } finally {
      await source.close();
    }
  });

  it('reads independent blocks at random, decoding only the blocks a read touches', async () => {
    const name = 'large.lz4';
    const expected = oracle(name);
    const { source: compressed, read } = counting(fixture(name), name);
    const source = await openLz4(compressed, { spoolDirectory, cacheBytes: 8 << 20 });
    try {
      expect(source.description).toContain('4 MiB independent blocks, read at random');
      const afterIndex = read();
      // A read in the middle block, then one across the first two blocks.
      const middle = 5 * 1024 * 1024 + 1000;
      expect((await source.read(middle, 1024)).equals(expected.subarray(middle, middle + 1024))).toBe(true);
      const across = 4 * 1024 * 1024 - 10;
      expect((await source.read(across, 20)).equals(expected.subarray(across, across + 20))).toBe(true);
      const blockBytes = readFileSync(join(FIXTURES, name)).length;
      // Three blocks read in all: the index pass read the headers and the last block only.
      expect(read()).toBeLessThanOrEqual(blockBytes + afterIndex);
    } finally {
      await source.close();
    }
  });

  it('decodes linked blocks once into a temporary file, deleted on close', async () => {
    const before = readdirSync(spoolDirectory).length;
    const source = await openLz4(new BufferByteSource('x.lz4', fixture('small-linked.lz4')), { spoolDirectory });
    expect(source.description).toContain('64 KiB linked blocks, decoded once to a temporary file, content checksum verified');
    expect(readdirSync(spoolDirectory).length).toBe(before + 1);
    await source.close();
    expect(readdirSync(spoolDirectory).length).toBe(before);
  });

  describe('damaged frames give InputErrors naming the file and offset', () => {
    const open = (bytes: Buffer) => openLz4(new BufferByteSource('damaged.lz4', bytes), { spoolDirectory }).then(async (source) => {
      try {
        await readAll(source);
      } finally {
        await source.close();
      }
    });

    it('a truncated frame', async () => {
      const bytes = fixture('small-independent.lz4');
      const error = await expectInputError(open(bytes.subarray(0, bytes.length - 5000)));
      expect(error.message).toMatch(/^damaged\.lz4: lz4 frame at offset \d+: .*truncated/);
    });

    it('a block size larger than the frame allows', async () => {
      const bytes = Buffer.from(fixture('small-independent.lz4'));
      bytes.writeUInt32LE(0x00100000, 7); // the first block header, after the 7-byte frame header
      const error = await expectInputError(open(bytes));
      expect(error.offset).toBe(7);
      expect(error.problem).toContain('more than the frame\'s 65536-byte maximum block size');
    });

    it('a damaged header checksum', async () => {
      const bytes = Buffer.from(fixture('small-independent.lz4'));
      bytes[6] = (bytes[6] as number) ^ 0xff;
      expect((await expectInputError(open(bytes))).problem).toContain('header checksum mismatch');
    });

    it('a damaged block (block checksum)', async () => {
      const bytes = Buffer.from(fixture('small-independent-sized.lz4'));
      bytes[40] = (bytes[40] as number) ^ 0x55;
      expect((await expectInputError(open(bytes))).problem).toContain('block checksum mismatch');
    });

    it('a damaged block in a linked frame (content checksum or a corrupt block)', async () => {
      const bytes = Buffer.from(fixture('small-linked.lz4'));
      bytes[bytes.length - 3000] = (bytes[bytes.length - 3000] as number) ^ 0x55;
      expect((await expectInputError(open(bytes))).problem).toMatch(/content checksum mismatch|corrupt block/);
    });

    it('a damaged independent block read whole, in order (content checksum)', async () => {
      const bytes = Buffer.from(fixture('small-independent.lz4'));
      // Inside the second block's literals: the text stretch decodes to other bytes of the same length.
      bytes[20] = (bytes[20] as number) ^ 0x01;
      expect((await expectInputError(open(bytes))).problem).toMatch(/content checksum mismatch|corrupt block/);
    });

    it('not an LZ4 frame at all', async () => {
      expect((await expectInputError(open(Buffer.from('not lz4 data at all')))).problem).toBe('not an LZ4 frame');
    });
  });
});

describe('the block decoder with a dictionary', () => {
  it('decodes linked blocks with the 64 KiB before them as dictionary, as lz4 -dc does', async () => {
    const { indexLz4Frames } = await import('../../electron/engine/io/lz4FrameIndex.js');
    const { decompressLz4Block } = await import('../../electron/engine/codecs/lz4.js');
    const source = new BufferByteSource('small-linked.lz4', fixture('small-linked.lz4'));
    const index = await indexLz4Frames(source);
    expect(index.independent).toBe(false);
    const parts: Buffer[] = [];
    let history = Buffer.alloc(0);
    for (const block of index.blocks) {
      const stored = await source.read(block.headerOffset + 4, block.storedSize);
      const bytes = block.compressed ? decompressLz4Block(stored, 65536, { dictionary: history }) : stored;
      parts.push(Buffer.from(bytes));
      history = Buffer.concat([history, bytes]).subarray(-65536);
    }
    expect(sha256(Buffer.concat(parts))).toBe(sha256(oracle('small-linked.lz4')));
  });
});
