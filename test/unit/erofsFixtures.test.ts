// The committed EROFS fixtures are what scripts/fixtures/build-erofs.mjs makes today: rebuilding
// them gives the same content (listing, link targets, file hashes) as fsck.erofs extracts it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/oracles.js';
import { BUILD_SCRIPT, fixtureImages, FIXTURES, fsckExtract, removeExtractions, walkFolder } from '../support/erofs.js';

describe('EROFS fixtures', () => {
  let rebuilt: string;
  beforeAll(() => {
    rebuilt = mkdtempSync(join(tmpdir(), 'otalens-erofs-rebuilt-'));
    run('node', [BUILD_SCRIPT, rebuilt]);
  });
  afterAll(() => {
    rmSync(rebuilt, { recursive: true, force: true });
    removeExtractions();
  });

  it('are described by the same manifest', () => {
    expect(readFileSync(join(rebuilt, 'fixtures.json'), 'utf8')).toBe(readFileSync(join(FIXTURES, 'fixtures.json'), 'utf8'));
  });

  it.each(fixtureImages().filter((image) => image.file !== 'blobdev.erofs'))('rebuild $file with the same content', (image) => {
    const committed = walkFolder(fsckExtract(join(FIXTURES, image.file)));
    const fresh = walkFolder(fsckExtract(join(rebuilt, image.file)));
    expect(committed.size).toBeGreaterThan(10);
    const strip = (entries: typeof committed) => Object.fromEntries([...entries].map(([path, { raw: _raw, ...entry }]) => [path, entry]));
    expect(strip(fresh)).toEqual(strip(committed));
  });

  it('rebuild the blob-device image with the same superblock', () => {
    // dump.erofs cannot open it without its blob (not kept): compare the 128-byte superblock.
    const superblock = (file: string) => readFileSync(file).subarray(1024, 1024 + 128);
    expect(superblock(join(rebuilt, 'blobdev.erofs')).equals(superblock(join(FIXTURES, 'blobdev.erofs')))).toBe(true);
  });
});
