// Compressed members are recognised by their magic (brotli, which has none, by its .br name) and
// decoded once into a temporary file; the oracle is each tool's own decoder on the same file.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferByteSource, readChunks, type ByteSource } from '../../electron/engine/io/byteSource.js';
import { compressionOf, detectCompression, openDecompressed, withoutCompressionSuffix, type Compression } from '../../electron/engine/io/compression.js';
import { expectInputError } from '../support/inputError.js';
import { REPO_ROOT, sha256, toolOutput } from '../support/oracles.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/compressed');
const spoolDirectory = mkdtempSync(join(tmpdir(), 'otalens-codec-test-'));
afterAll(() => rmSync(spoolDirectory, { recursive: true, force: true }));

async function readAll(source: ByteSource): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of readChunks(source)) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

const CODECS: { file: string; compression: Compression; oracle: [string, string[]] }[] = [
  { file: 'small.bin.zst', compression: 'zstd', oracle: ['zstd', ['-dc']] },
  { file: 'small.bin.gz', compression: 'gzip', oracle: ['gzip', ['-dc']] },
  { file: 'small.bin.xz', compression: 'xz', oracle: ['xz', ['-dc']] },
  { file: 'small.bin.bz2', compression: 'bzip2', oracle: ['bzip2', ['-dc']] },
  { file: 'small.bin.br', compression: 'brotli', oracle: ['brotli', ['-dc']] },
  { file: 'large.lz4', compression: 'lz4', oracle: ['lz4', ['-dc']] },
];

describe('compressed members', () => {
  it.each(CODECS)('$file is $compression by its content, and decodes as $oracle.0 does', async ({ file, compression, oracle }) => {
    const bytes = readFileSync(join(FIXTURES, file));
    // Detected by magic even under a name without the suffix (brotli excepted: it has no magic).
    const name = compression === 'brotli' ? 'super.img.br' : 'super.img';
    expect(await detectCompression(new BufferByteSource(name, bytes))).toBe(compression);
    const expected = toolOutput(oracle[0], [...oracle[1], join(FIXTURES, file)]);
    const before = readdirSync(spoolDirectory).length;
    const source = await openDecompressed(new BufferByteSource(file, bytes), compression, { spoolDirectory });
    try {
      expect(source.size).toBe(expected.length);
      expect(sha256(await readAll(source))).toBe(sha256(expected));
    } finally {
      await source.close();
    }
    expect(readdirSync(spoolDirectory).length).toBe(before);
  });

  it.each(CODECS.filter((codec) => codec.compression !== 'lz4'))('a truncated $file is an InputError, and leaves no temporary file', async ({ file, compression }) => {
    const bytes = readFileSync(join(FIXTURES, file));
    const before = readdirSync(spoolDirectory).length;
    const error = await expectInputError(openDecompressed(new BufferByteSource(file, bytes.subarray(0, bytes.length - 200)), compression, { spoolDirectory }));
    expect(error.file).toBe(file);
    expect(error.format).toBe(compression);
    expect(readdirSync(spoolDirectory).length).toBe(before);
  });

  it('an image that is not compressed is left alone', () => {
    expect(compressionOf(Buffer.from([0x3a, 0xff, 0x26, 0xed, 0, 0, 0, 0, 0, 0]), 'system.img')).toBeNull();
    expect(compressionOf(Buffer.alloc(10), 'vendor.img')).toBeNull();
  });

  it('codec suffixes come off member names', () => {
    expect(withoutCompressionSuffix('images/super.img.zst')).toBe('images/super.img');
    expect(withoutCompressionSuffix('system.img.ext4.lz4')).toBe('system.img.ext4');
    expect(withoutCompressionSuffix('vendor.img')).toBe('vendor.img');
  });
});
