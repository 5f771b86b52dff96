import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSuperImage } from '../../electron/engine/containers/superImage.js';
import { BufferByteSource, FileByteSource, readChunks, type ByteSource } from '../../electron/engine/io/byteSource.js';
import { REPO_ROOT, run, sha256 } from '../support/oracles.js';
// The fixture script's own liblp writer, used to make variants (the oracle stays the image bytes).
import { writeSuperImage } from '../../scripts/fixtures/build-sparse-super.mjs';
import { expectInputError } from '../support/inputError.js';

interface ImagesJson {
  images: Record<'system' | 'vendor', { partition: string; size: number; sha256: string }>;
  super: { size: number; sha256: string };
}

const FIXTURES = `${REPO_ROOT}test/fixtures/sparse`;
const info = JSON.parse(readFileSync(`${FIXTURES}/images.json`, 'utf8')) as ImagesJson;
const temp = mkdtempSync(join(tmpdir(), 'otalens-super-test-'));
let rawSuper: Buffer;

beforeAll(() => {
  // simg2img is the oracle for the sparse layer; super.img parsing starts from its output.
  run('simg2img', [`${FIXTURES}/super.simg`, join(temp, 'super.img')]);
  rawSuper = readFileSync(join(temp, 'super.img'));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function hashSource(source: ByteSource): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of readChunks(source)) hash.update(chunk);
  return hash.digest('hex');
}

describe('openSuperImage', () => {
  it('maps system_a (two extents) and vendor_a to the bytes of the ext4 and EROFS images put in', async () => {
    expect(sha256(rawSuper)).toBe(info.super.sha256);
    const opened = await openSuperImage(new BufferByteSource('super.img', rawSuper));
    expect(opened.slot).toBe('a');
    expect(opened.partitions.map((partition) => [partition.name, partition.fullName]).sort()).toEqual([
      ['system', 'system_a'],
      ['vendor', 'vendor_a'],
    ]);
    expect(opened.metadata.partitions.map((partition) => partition.fullName)).toEqual(['system_a', 'system_b', 'vendor_a', 'vendor_b']);
    expect(opened.metadata.majorVersion).toBe(10);
    expect(opened.metadata.minorVersion).toBe(2);
    expect(opened.metadata.headerFlags).toBe(1);
    expect(opened.metadata.blockDevices).toEqual([{ name: 'super', firstLogicalSector: 2048, size: info.super.size }]);
    for (const key of ['system', 'vendor'] as const) {
      const partition = opened.partitions.find((candidate) => candidate.name === key);
      expect(partition?.size).toBe(info.images[key].size);
      const source = await partition!.open();
      expect(await hashSource(source), key).toBe(info.images[key].sha256);
    }
  });

  it('reads a sparse super.img directly', async () => {
    const sparse = await FileByteSource.open(`${FIXTURES}/super.simg`, 'super.simg');
    try {
      const opened = await openSuperImage(sparse);
      for (const partition of opened.partitions) {
        const key = partition.name as 'system' | 'vendor';
        expect(await hashSource(await partition.open()), key).toBe(info.images[key].sha256);
      }
    } finally {
      await sparse.close();
    }
  });

  it('reads across the boundary between two extents', async () => {
    const opened = await openSuperImage(new BufferByteSource('super.img', rawSuper));
    const system = await opened.partitions.find((partition) => partition.name === 'system')!.open();
    const whole = await system.read(0, system.size);
    expect(sha256(whole)).toBe(info.images.system.sha256);
    const half = system.size / 2;
    expect((await system.read(half - 100, 200)).equals(whole.subarray(half - 100, half + 100))).toBe(true);
  });

  it('falls back to the backup geometry and metadata when the primary copies are damaged', async () => {
    const damaged = Buffer.from(rawSuper);
    damaged[4096 + 50] = (damaged[4096 + 50] ?? 0) ^ 0xff; // geometry
    damaged[12288 + 300] = (damaged[12288 + 300] ?? 0) ^ 0xff; // slot 0 tables
    const opened = await openSuperImage(new BufferByteSource('super.img', damaged));
    expect(opened.partitions.map((partition) => partition.name).sort()).toEqual(['system', 'vendor']);
  });

  it('rejects a bad geometry checksum naming the geometry and its offset', async () => {
    const damaged = Buffer.from(rawSuper);
    damaged[4096 + 44] = 7; // slot count, in both copies, checksum left as it was
    damaged[8192 + 44] = 7;
    const error = await expectInputError(openSuperImage(new BufferByteSource('super.img', damaged)));
    expect(error.file).toBe('super.img');
    expect(error.format).toBe('super.img › geometry');
    expect(error.offset).toBe(4096 + 8);
    expect(error.message).toMatch(/geometry checksum mismatch/);
  });

  it('rejects a damaged metadata header when the backup is damaged too', async () => {
    const damaged = Buffer.from(rawSuper);
    const backup = 12288 + 2 * 65536;
    damaged[12288 + 100] = 0x55;
    damaged[backup + 100] = 0x55;
    const error = await expectInputError(openSuperImage(new BufferByteSource('super.img', damaged)));
    expect(error.format).toBe('super.img › metadata');
    expect(error.offset).toBe(12288 + 12);
  });

  it('rejects a truncated image whose extents run past its end', async () => {
    const cut = rawSuper.subarray(0, 6 * 1024 * 1024);
    const error = await expectInputError(openSuperImage(new BufferByteSource('cut.img', cut)));
    expect(error.format).toBe('super.img › system_a › extent 1');
    expect(error.offset).toBe(5 * 1024 * 1024);
  });

  it('reads zero extents as zeros, takes _b when _a is empty, and reads a 10.0 header', async () => {
    const data = Buffer.alloc(8192, 0x5a);
    const size = 2 * 1024 * 1024;
    const bytes = writeSuperImage({
      size,
      metadata: {
        minorVersion: 0,
        groups: [{ name: 'default' }],
        devices: [{ firstLogicalSector: 2048, alignment: 1 << 20, size, name: 'super' }],
        partitions: [
          { name: 'product_a', group: 'default', extents: [] },
          {
            name: 'product_b',
            group: 'default',
            extents: [
              { sectors: 16, type: 0, data: 2048 },
              { sectors: 8, type: 1, data: 0 },
            ],
          },
          { name: 'odm', group: 'default', extents: [{ sectors: 16, type: 0, data: 2048 }] },
        ],
      },
      images: [{ name: 'product_b', bytes: data, extents: [[1 << 20, 8192]] }],
    });
    const opened = await openSuperImage(new BufferByteSource('small.img', bytes));
    expect(opened.slot).toBe('mixed');
    expect(opened.metadata.minorVersion).toBe(0);
    const product = opened.partitions.find((partition) => partition.name === 'product')!;
    expect(product.fullName).toBe('product_b');
    const source = await product.open();
    expect(source.size).toBe(8192 + 4096);
    expect((await source.read(0, source.size)).equals(Buffer.concat([data, Buffer.alloc(4096)]))).toBe(true);
  });
});

describe('build-sparse-super.mjs', () => {
  it('rebuilds byte-identical fixtures', () => {
    const out = join(temp, 'rebuilt');
    run('node', [`${REPO_ROOT}scripts/fixtures/build-sparse-super.mjs`, out]);
    expect(sha256(readFileSync(join(out, 'super.simg')))).toBe(sha256(readFileSync(`${FIXTURES}/super.simg`)));
    expect(JSON.parse(readFileSync(join(out, 'images.json'), 'utf8'))).toEqual(info);
  });
});
