// A deflated image in a zip is only copied to disk when something reads past its head: telling a
// modem image's kind decodes its first bytes and nothing more.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import { HeadFirstSource } from '../../electron/engine/io/headFirstSource.js';
import { InputError } from '../../electron/engine/errors.js';
import { CountingSource } from '../support/countingSource.js';

const spoolFolder = mkdtempSync(join(tmpdir(), 'otalens-headfirst-'));
afterAll(() => rmSync(spoolFolder, { recursive: true, force: true }));

const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, index) => index % 251));

describe('HeadFirstSource', () => {
  it('serves the head from the sequential source and copies the whole once for anything beyond', async () => {
    const sequential = new CountingSource(new BufferByteSource('image.img', bytes));
    const source = new HeadFirstSource(sequential, 64 * 1024, spoolFolder);
    expect((await source.read(0, 16)).equals(bytes.subarray(0, 16))).toBe(true);
    expect((await source.read(4096, 1024)).equals(bytes.subarray(4096, 5120))).toBe(true);
    expect(sequential.bytesRead).toBe(16 + 1024);
    expect(readdirSync(spoolFolder)).toEqual([]);

    expect((await source.read(200_000, 10)).equals(bytes.subarray(200_000, 200_010))).toBe(true);
    expect(sequential.bytesRead).toBe(16 + 1024 + bytes.length);
    expect(readdirSync(spoolFolder)).toHaveLength(1);
    // Later reads, head included, come from the copy.
    expect((await source.read(0, 8)).equals(bytes.subarray(0, 8))).toBe(true);
    expect(sequential.bytesRead).toBe(16 + 1024 + bytes.length);
    await source.close();
    expect(readdirSync(spoolFolder)).toEqual([]);
  });

  it('refuses reads past the end as a truncated input', async () => {
    const source = new HeadFirstSource(new BufferByteSource('short.img', bytes.subarray(0, 100)), 64 * 1024, spoolFolder);
    await expect(source.read(90, 20)).rejects.toThrow(InputError);
    await source.close();
  });
});
