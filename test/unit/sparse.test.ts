import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { isSparseImage, openSparseImage } from '../../electron/engine/containers/sparse.js';
import { BufferByteSource, FileByteSource, readChunks, visitBytes, type ByteSource } from '../../electron/engine/io/byteSource.js';
import { REPO_ROOT, run, sha256 } from '../support/oracles.js';
import { expectInputError } from '../support/inputError.js';

const SUPER_SIMG = `${REPO_ROOT}test/fixtures/sparse/super.simg`;
const temp = mkdtempSync(join(tmpdir(), 'otalens-sparse-test-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** The raw image as simg2img (libsparse's own tool) expands it. */
function simg2img(sparsePath: string): Buffer {
  const out = join(temp, `expanded-${Math.random().toString(36).slice(2)}.img`);
  run('simg2img', [sparsePath, out]);
  return readFileSync(out);
}

async function readAll(source: ByteSource): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of readChunks(source, 0, source.size, 1 << 20)) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Deterministic pseudo-random ranges [offset, length) inside `size`, biased towards small reads. */
function randomRanges(size: number, count: number, seed: number): [number, number][] {
  let state = seed;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, () => {
    const offset = Math.floor(next() * size);
    const length = Math.min(size - offset, Math.floor(next() * (next() < 0.5 ? 5000 : 300_000)));
    return [offset, length];
  });
}

/** A sparse image written by hand: header + chunks ({ type, blocks, data }). */
function sparseFile(blockSize: number, totalBlocks: number, chunks: { type: number; blocks: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(28);
  header.writeUInt32LE(0xed26ff3a, 0);
  header.writeUInt16LE(1, 4);
  header.writeUInt16LE(0, 6);
  header.writeUInt16LE(28, 8);
  header.writeUInt16LE(12, 10);
  header.writeUInt32LE(blockSize, 12);
  header.writeUInt32LE(totalBlocks, 16);
  header.writeUInt32LE(chunks.length, 20);
  const parts: Buffer[] = [header];
  for (const chunk of chunks) {
    const chunkHeader = Buffer.alloc(12);
    chunkHeader.writeUInt16LE(chunk.type, 0);
    chunkHeader.writeUInt32LE(chunk.blocks, 4);
    chunkHeader.writeUInt32LE(12 + chunk.data.length, 8);
    parts.push(chunkHeader, chunk.data);
  }
  return Buffer.concat(parts);
}

describe('openSparseImage', () => {
  it('expands the img2simg-made super.simg to the same bytes as simg2img, with random access', async () => {
    const expected = simg2img(SUPER_SIMG);
    const file = await FileByteSource.open(SUPER_SIMG, 'super.simg');
    try {
      expect(await isSparseImage(file)).toBe(true);
      const image = await openSparseImage(file);
      expect(image.size).toBe(expected.length);
      expect(sha256(await readAll(image))).toBe(sha256(expected));
      for (const [offset, length] of randomRanges(image.size, 300, 7)) {
        expect((await image.read(offset, length)).equals(expected.subarray(offset, offset + length)), `read ${offset}+${length}`).toBe(true);
      }
    } finally {
      await file.close();
    }
  });

  it.each([1024, 16384])('reads an image img2simg wrote with %i-byte blocks', async (blockSize) => {
    const raw = join(temp, `raw-${blockSize}.img`);
    writeFileSync(raw, simg2img(SUPER_SIMG));
    const sparsePath = join(temp, `b${blockSize}.simg`);
    run('img2simg', [raw, sparsePath, String(blockSize)]);
    const bytes = readFileSync(sparsePath);
    expect(bytes.readUInt32LE(12), 'img2simg honoured the block size').toBe(blockSize);
    const image = await openSparseImage(new BufferByteSource('b.simg', bytes));
    const expected = simg2img(sparsePath);
    expect(sha256(await readAll(image))).toBe(sha256(expected));
    for (const [offset, length] of randomRanges(image.size, 100, blockSize)) {
      expect((await image.read(offset, length)).equals(expected.subarray(offset, offset + length))).toBe(true);
    }
  });

  it('handles raw, fill, don\'t-care and CRC32 chunks exactly as simg2img does', async () => {
    const blockSize = 4096;
    const raw = Buffer.alloc(3 * blockSize);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 31 + 7) & 0xff;
    const pattern = Buffer.from([0xde, 0xad, 0xbe, 0xef]);
    const filled = Buffer.alloc(2 * blockSize, pattern);
    const expectedImage = Buffer.concat([raw, filled, Buffer.alloc(4 * blockSize), raw.subarray(0, blockSize)]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32LE(crc32(expectedImage.subarray(0, 9 * blockSize)));
    const bytes = sparseFile(blockSize, 10, [
      { type: 0xcac1, blocks: 3, data: raw },
      { type: 0xcac2, blocks: 2, data: pattern },
      { type: 0xcac3, blocks: 4, data: Buffer.alloc(0) },
      { type: 0xcac4, blocks: 0, data: crc },
      { type: 0xcac1, blocks: 1, data: raw.subarray(0, blockSize) },
    ]);
    const path = join(temp, 'handmade.simg');
    writeFileSync(path, bytes);
    const oracle = simg2img(path);
    expect(oracle.equals(expectedImage), 'simg2img agrees with the hand-made layout').toBe(true);

    const image = await openSparseImage(new BufferByteSource('handmade.simg', bytes));
    expect((await readAll(image)).equals(oracle)).toBe(true);
    // A read starting mid-pattern keeps the pattern's phase.
    const at = 3 * blockSize + 4097;
    expect((await image.read(at, 10)).equals(oracle.subarray(at, at + 10))).toBe(true);
    // Visited (ByteSource.visit) as a whole and from any offset, pattern phases kept.
    const ranges: [number, number][] = [[0, oracle.length], [at, 2 * blockSize], [1, oracle.length - 2], [5 * blockSize - 3, 9]];
    for (const [offset, length] of ranges) {
      const pieces: Buffer[] = [];
      await visitBytes(image, offset, length, (piece) => void pieces.push(Buffer.from(piece)));
      expect(Buffer.concat(pieces).equals(oracle.subarray(offset, offset + length)), `visit ${offset}+${length}`).toBe(true);
    }
  });

  it('is not fooled by other files', async () => {
    expect(await isSparseImage(new BufferByteSource('x.img', Buffer.alloc(4096)))).toBe(false);
    expect(await isSparseImage(new BufferByteSource('tiny', Buffer.from([0x3a, 0xff, 0x26, 0xed])))).toBe(false);
  });
});

describe('openSparseImage on corrupt input', () => {
  const blockSize = 4096;
  const good = (): Buffer =>
    sparseFile(blockSize, 3, [
      { type: 0xcac1, blocks: 2, data: Buffer.alloc(2 * blockSize, 1) },
      { type: 0xcac3, blocks: 1, data: Buffer.alloc(0) },
    ]);

  it('names the chunk that runs past the end of a truncated image', async () => {
    const bytes = good().subarray(0, 28 + 12 + 5000);
    const error = await expectInputError(openSparseImage(new BufferByteSource('cut.simg', bytes)));
    expect(error.file).toBe('cut.simg');
    expect(error.format).toBe('sparse › chunk 0');
    expect(error.offset).toBe(28);
    expect(error.message).toMatch(/runs past the end of the file/);
  });

  it('refuses chunks that do not add up to the declared block count', async () => {
    const bytes = good();
    bytes.writeUInt32LE(5, 16);
    const error = await expectInputError(openSparseImage(new BufferByteSource('short.simg', bytes)));
    expect(error.format).toBe('sparse');
    expect(error.message).toMatch(/chunks cover 3 blocks, the header declares 5/);
  });

  it('refuses chunks covering more blocks than declared', async () => {
    const bytes = good();
    bytes.writeUInt32LE(1, 16);
    const error = await expectInputError(openSparseImage(new BufferByteSource('long.simg', bytes)));
    expect(error.format).toBe('sparse › chunk 0');
  });

  it('refuses an absurd chunk count before reading chunks', async () => {
    const bytes = good();
    bytes.writeUInt32LE(0xffffffff, 20);
    const error = await expectInputError(openSparseImage(new BufferByteSource('absurd.simg', bytes)));
    expect(error.format).toBe('sparse');
    expect(error.offset).toBe(20);
  });

  it('refuses a raw chunk whose size disagrees with its block count', async () => {
    const bytes = good();
    bytes.writeUInt32LE(3, 28 + 4);
    const error = await expectInputError(openSparseImage(new BufferByteSource('raw.simg', bytes)));
    expect(error.format).toBe('sparse › chunk 0');
    expect(error.offset).toBe(28);
  });

  it('refuses an unknown chunk type', async () => {
    const bytes = good();
    bytes.writeUInt16LE(0xcac9, 28 + 12 + 2 * blockSize);
    const error = await expectInputError(openSparseImage(new BufferByteSource('type.simg', bytes)));
    expect(error.format).toBe('sparse › chunk 1');
    expect(error.offset).toBe(28 + 12 + 2 * blockSize);
  });
});
