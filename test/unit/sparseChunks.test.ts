// Split sparse images made with the real tools: img2simg and simg2simg's chunks, and simg2img
// writing the chunks in order over one file as the oracle of what flashing them leaves.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSparseChunks } from '../../electron/engine/containers/sparseChunks.js';
import { FileByteSource } from '../../electron/engine/io/byteSource.js';
import { readAll, tempDir, tool } from '../support/ext4.js';
import { expectInputError } from '../support/inputError.js';
import { sha256 } from '../support/oracles.js';
import { pseudoRandomBytes } from '../../scripts/fixtures/lib/pseudoRandom.mjs';

const dir = tempDir('sparse-chunks');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BLOCK = 4096;

/** A raw image of `blocks` blocks: pseudo-random data in every third block, zeros elsewhere. */
function rawImage(name: string, blocks: number, seed: number): string {
  const bytes = Buffer.alloc(blocks * BLOCK);
  for (let block = 0; block < blocks; block += 3) pseudoRandomBytes(BLOCK, seed + block).copy(bytes, block * BLOCK);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function ours(files: string[]): Promise<Buffer> {
  const chunks = await Promise.all(files.map((file) => FileByteSource.open(file, file)));
  const image = await openSparseChunks('super.img', chunks);
  try {
    return await readAll(image);
  } finally {
    await image.close();
  }
}

describe('split sparse images', () => {
  it('a later chunk wins where chunks overlap, as simg2img writing them in order over one file', async () => {
    const a = join(dir, 'a.simg');
    tool('img2simg', [rawImage('a.raw', 48, 1), a]);
    tool('img2simg', [rawImage('b.raw', 48, 1000), join(dir, 'b.simg')]);
    // The middle part of B alone (simg2simg: the rest DONT_CARE), written over all of A.
    tool('simg2simg', [join(dir, 'b.simg'), join(dir, 'b.part'), String(24 * 1024)]);
    const parts = readdirSync(dir).filter((name) => name.startsWith('b.part')).sort((x, y) => Number(x.split('.').pop()) - Number(y.split('.').pop()));
    expect(parts.length).toBeGreaterThanOrEqual(3);
    const middle = join(dir, parts[1] as string);
    const files = [a, middle];
    tool('simg2img', [...files, join(dir, 'oracle.raw')]);
    const oracle = readFileSync(join(dir, 'oracle.raw'));
    expect(sha256(oracle)).not.toBe(sha256(readFileSync(join(dir, 'a.raw'))));
    expect(sha256(await ours(files))).toBe(sha256(oracle));
  });

  it('chunks of two different images are refused with an InputError', async () => {
    tool('img2simg', [rawImage('c.raw', 40, 7), join(dir, 'c.simg')]);
    const error = await expectInputError(ours([join(dir, 'a.simg'), join(dir, 'c.simg')]));
    expect(error.problem).toContain('they are not parts of one image');
  });
});
