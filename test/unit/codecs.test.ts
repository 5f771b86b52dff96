import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBzip2 } from '../../electron/engine/codecs/bzip2.js';
import { CorruptDataError } from '../../electron/engine/codecs/corruptData.js';
import { decodeXz, xzDecodedSize } from '../../electron/engine/codecs/xz.js';
import { decodeZstd, zstdFrameSizes } from '../../electron/engine/codecs/zstd.js';
import { sha256 } from '../support/oracles.js';

/** Compresses with the real command-line tool (the oracle for what a payload blob looks like). */
function cli(command: string, args: string[], input: Buffer): Buffer {
  try {
    return execFileSync(command, args, { input, maxBuffer: 256 << 20 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`tool "${command}" is not installed (CI installs it: see .ci/run)`, { cause: error });
    throw error;
  }
}

const temp = mkdtempSync(join(tmpdir(), 'otalens-codecs-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** zstd on a file, so the frame states its content size. */
function zstdFile(args: string[], input: Buffer): Buffer {
  const path = join(temp, 'input');
  writeFileSync(path, input);
  return cli('zstd', ['-q', '-f', ...args, '-c', path], Buffer.alloc(0));
}

/** Mixed content: text, pseudo-random bytes and zero runs (3 MiB). */
function sample(): Buffer {
  const random = Buffer.alloc(1 << 20);
  let state = 42;
  for (let i = 0; i < random.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    random[i] = state >>> 24;
  }
  const text = Buffer.from('ro.build.fingerprint=Example/tree/tree:14/UQ1A.240105.004/1:user/release-keys\n'.repeat(13_000));
  return Buffer.concat([text, random, Buffer.alloc(1 << 20)]);
}

async function expectCorrupt(promise: Promise<unknown>, codec: string): Promise<CorruptDataError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CorruptDataError);
  expect((error as CorruptDataError).codec).toBe(codec);
  return error as CorruptDataError;
}

const data = sample();
const bomb = Buffer.alloc(64 << 20);

/** The size of an xz stream's index, from its footer's backward size (xz file format 2.1.2.2). */
function indexSize(blob: Buffer): number {
  return (blob.readUInt32LE(blob.length - 8) + 1) * 4;
}

describe('xz', () => {
  it.each([
    ['xz --check=crc32 (as payloads use)', ['--check=crc32', '-6', '-c']],
    ['xz default (crc64)', ['-c']],
    ['xz -T2 --block-size (several blocks, sizes in headers)', ['-T2', '--block-size=1MiB', '-c']],
  ])('decodes %s', async (_label, args) => {
    const blob = cli('xz', args, data);
    expect(xzDecodedSize(blob)).toBe(data.length);
    expect(sha256(await decodeXz(blob, data.length))).toBe(sha256(data));
    // A payload blob whose SHA-256 was checked: each block's LZMA2 data decoded on its own.
    expect(sha256(await decodeXz(blob, data.length, { blobVerified: true }))).toBe(sha256(data));
  });

  it('skips the blocks\' own checks only for a blob verified by its caller', async () => {
    const blob = Buffer.from(cli('xz', ['--check=crc32', '-c'], data));
    // The CRC32 sits just before the index (a single block: index 0x00, 1 record, 2 varints…).
    const index = blob.length - 12 - indexSize(blob);
    blob[index - 1]! ^= 0xff;
    await expectCorrupt(decodeXz(blob, data.length), 'xz');
    expect((await decodeXz(blob, data.length, { blobVerified: true })).equals(data)).toBe(true);
  });

  it('refuses corrupt LZMA2 data in a verified blob too', async () => {
    const blob = Buffer.from(cli('xz', ['-c'], data));
    // Into the first LZMA2 chunk's compressed bytes (stream header 12, block header, chunk header 6).
    const chunk = 12 + (blob[12]! + 1) * 4;
    for (let at = chunk + 6; at < chunk + 70; at++) blob[at] = 0xff;
    await expectCorrupt(decodeXz(blob, data.length, { blobVerified: true }), 'xz');
  });

  it('decodes concatenated streams of a verified blob', async () => {
    const blob = Buffer.concat([cli('xz', ['-c'], data.subarray(0, 1000)), cli('xz', ['-c'], data.subarray(1000))]);
    expect((await decodeXz(blob, data.length, { blobVerified: true })).equals(data)).toBe(true);
  });

  it('refuses filter chains the decoder lacks, before decoding', async () => {
    const error = await expectCorrupt(decodeXz(cli('xz', ['--x86', '--lzma2=preset=6', '-c'], data), data.length), 'xz');
    expect(error.message).toMatch(/unsupported filter chain 0x4 \+ 0x21/);
  });

  it('decodes concatenated streams', async () => {
    const blob = Buffer.concat([cli('xz', ['-c'], data.subarray(0, 1000)), cli('xz', ['-c'], data.subarray(1000))]);
    expect((await decodeXz(blob, data.length)).equals(data)).toBe(true);
  });

  it('refuses a blob that expands past the expected size before decoding it', async () => {
    const blob = cli('xz', ['-c'], bomb);
    const started = performance.now();
    const error = await expectCorrupt(decodeXz(blob, 1 << 20), 'xz');
    expect(error.message).toMatch(/decodes to 67108864 bytes, more than the 1048576 expected/);
    expect(performance.now() - started, 'refused from headers, not by decoding 64 MiB').toBeLessThan(100);
  });

  it('refuses a truncated blob', async () => {
    const blob = cli('xz', ['-c'], data);
    await expectCorrupt(decodeXz(blob.subarray(0, blob.length - 20), data.length), 'xz');
  });
});

describe('bzip2', () => {
  it('decodes what bzip2 -9 wrote', async () => {
    const blob = cli('bzip2', ['-9', '-c'], data);
    expect(sha256(await decodeBzip2(blob, data.length))).toBe(sha256(data));
  });

  it('refuses output past the expected size', async () => {
    const error = await expectCorrupt(decodeBzip2(cli('bzip2', ['-c'], bomb), 1 << 20), 'bzip2');
    expect(error.message).toMatch(/more than the 1048576 bytes expected/);
  });

  it('refuses a damaged blob', async () => {
    const blob = Buffer.from(cli('bzip2', ['-c'], data));
    blob[blob.length >> 1] = (blob[blob.length >> 1] ?? 0) ^ 0xff;
    await expectCorrupt(decodeBzip2(blob, data.length), 'bzip2');
  });
});

describe('zstd', () => {
  it('decodes frames that state their size (zstd on a file) with the native decoder', async () => {
    const blob = zstdFile(['-19'], data);
    expect(zstdFrameSizes(blob)).toEqual({ stated: data.length, unsized: 0 });
    expect(sha256(await decodeZstd(blob, data.length))).toBe(sha256(data));
  });

  it('decodes frames without a stated size (zstd from a pipe)', async () => {
    const blob = cli('zstd', ['-q', '-3', '-c', '--no-content-size'], data);
    expect(zstdFrameSizes(blob)).toEqual({ stated: 0, unsized: 1 });
    expect(sha256(await decodeZstd(blob, data.length))).toBe(sha256(data));
  });

  it('refuses stated sizes past the expected size, and unsized frames that run past it', async () => {
    const stated = await expectCorrupt(decodeZstd(zstdFile([], bomb), 1 << 20), 'zstd');
    expect(stated.message).toMatch(/frames state 67108864 bytes/);
    const unsized = await expectCorrupt(decodeZstd(cli('zstd', ['-q', '-c', '--no-content-size'], bomb), 1 << 20), 'zstd');
    expect(unsized.message).toMatch(/more than the 1048576 bytes expected/);
  });

  it('refuses a frame whose stated size is a lie', async () => {
    const blob = Buffer.from(zstdFile([], bomb));
    // Frame header: magic, descriptor (4-byte size field), window descriptor, then the size.
    expect(blob[4]! >> 6).toBe(2);
    blob.writeUInt32LE(1000, 6);
    await expectCorrupt(decodeZstd(blob, 1 << 20), 'zstd');
  });

  it('refuses a truncated blob', async () => {
    const blob = cli('zstd', ['-q', '-c'], data);
    await expectCorrupt(decodeZstd(blob.subarray(0, blob.length - 10), data.length), 'zstd');
  });
});
