// The codecs behind EROFS's DEFLATE, LZMA and Zstandard pclusters, on streams made by independent
// encoders: Python's lzma (a raw LZMA1 stream, which becomes MicroLZMA once its first byte — always
// 0 — is replaced by the inverted properties byte, as liblzma's MicroLZMA encoder does), Python's
// zlib (raw DEFLATE) and the zstd CLI. Whole streams, prefixes of them (a pcluster shared by a
// shorter extent) and damaged streams, which must give a CorruptDataError naming the codec.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CorruptDataError } from '../../electron/engine/codecs/corruptData.js';
import { inflateRaw } from '../../electron/engine/codecs/deflate.js';
import { decodeMicroLzma } from '../../electron/engine/codecs/microLzma.js';
import { decodeZstdSync } from '../../electron/engine/codecs/zstd.js';
import { seededRandom } from '../support/erofs.js';
import { run } from '../support/oracles.js';

// lc=3, lp=0, pb=2: properties byte (pb * 5 + lp) * 9 + lc = 93.
const ENCODE = `
import json, lzma, sys, zlib
data = sys.stdin.buffer.read()
raw = lzma.compress(data, format=lzma.FORMAT_RAW, filters=[{'id': lzma.FILTER_LZMA1, 'dict_size': 1 << 16, 'lc': 3, 'lp': 0, 'pb': 2}])
deflater = zlib.compressobj(6, zlib.DEFLATED, -15)
print(json.dumps({'lzma1': raw.hex(), 'deflate': (deflater.compress(data) + deflater.flush()).hex(), 'sha256': __import__('hashlib').sha256(data).hexdigest()}))
`;

/** Text with repeats, so every codec uses matches that cross any prefix length. */
function sample(): Buffer {
  const random = seededRandom(17);
  const words = ['default', 'value', 'settings', 'provider', 'overlay', 'enabled', 'cloud', 'messaging', '\n'];
  const parts: string[] = [];
  while (parts.join(' ').length < 150_000) parts.push(words[Math.floor(random() * words.length)]!);
  return Buffer.from(parts.join(' ').slice(0, 150_000));
}

const data = sample();
const encoded = JSON.parse(execFileSync('python3', ['-c', ENCODE], { input: data }).toString()) as { lzma1: string; deflate: string; sha256: string };
const lzma1 = Buffer.from(encoded.lzma1, 'hex');
const microLzma = Buffer.concat([Buffer.from([~93 & 0xff]), lzma1.subarray(1)]);
const deflate = Buffer.from(encoded.deflate, 'hex');
const zstd = execFileSync('zstd', ['-q', '-c', '-3'], { input: data });
const prefixLengths = [1, 4095, 4096, 20_000, 77_777, data.length - 1];
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function codecError(action: () => unknown): CorruptDataError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CorruptDataError);
    return error as CorruptDataError;
  }
  throw new Error('expected a CorruptDataError');
}

describe('test streams', () => {
  it('are what the encoders made of the sample', () => {
    expect(lzma1[0]).toBe(0);
    expect(sha256(data)).toBe(encoded.sha256);
    expect(execFileSync('zstd', ['-q', '-d', '-c'], { input: zstd }).equals(data)).toBe(true);
    expect(run('python3', ['-c', 'import sys, zlib; sys.stdout.write(zlib.decompress(bytes.fromhex(sys.argv[1]), -15).decode())', deflate.toString('hex')])).toBe(data.toString());
  });
});

describe('MicroLZMA', () => {
  it('decodes a whole stream', () => {
    expect(decodeMicroLzma(microLzma, data.length, { dictionarySize: 1 << 16 }).equals(data)).toBe(true);
  });

  it('decodes any prefix of a stream that holds more', () => {
    for (const length of prefixLengths) {
      expect(decodeMicroLzma(microLzma, length, { dictionarySize: 8 << 20, partial: true }).equals(data.subarray(0, length)), `${length} bytes`).toBe(true);
    }
  });

  it('refuses a cut stream, a bad properties byte and a stream too short to hold one', () => {
    expect(codecError(() => decodeMicroLzma(microLzma.subarray(0, microLzma.length >> 1), data.length, { dictionarySize: 1 << 16 })).codec).toBe('lzma');
    const badProperties = Buffer.from(microLzma);
    badProperties[0] = ~230 & 0xff;
    expect(codecError(() => decodeMicroLzma(badProperties, data.length, { dictionarySize: 1 << 16 })).problem).toContain('properties');
    expect(codecError(() => decodeMicroLzma(microLzma.subarray(0, 1), 10, { dictionarySize: 1 << 16 })).problem).toContain('too short');
  });
});

describe('raw DEFLATE', () => {
  it('decodes a whole stream and any prefix of it', () => {
    expect(inflateRaw(deflate, data.length).equals(data)).toBe(true);
    for (const length of prefixLengths) {
      expect(inflateRaw(deflate, length, { partial: { maxSize: 12 << 20 } }).equals(data.subarray(0, length)), `${length} bytes`).toBe(true);
    }
  });

  it('accepts a stream cut short when only a prefix is wanted', () => {
    expect(inflateRaw(deflate.subarray(0, deflate.length >> 1), 1000, { partial: { maxSize: 12 << 20 } }).equals(data.subarray(0, 1000))).toBe(true);
  });

  it('refuses streams that do not decode to the size asked for, cut streams and garbage', () => {
    expect(codecError(() => inflateRaw(deflate, data.length - 1)).problem).toContain('more than');
    expect(codecError(() => inflateRaw(deflate, data.length + 1)).problem).toContain(`decodes to ${data.length} bytes`);
    expect(codecError(() => inflateRaw(deflate.subarray(0, deflate.length >> 1), data.length)).codec).toBe('deflate');
    expect(codecError(() => inflateRaw(Buffer.alloc(64, 0xff), 100)).codec).toBe('deflate');
    expect(codecError(() => inflateRaw(deflate, data.length + 1, { partial: { maxSize: 12 << 20 } })).problem).toContain('at least');
  });
});

describe('Zstandard on the calling thread', () => {
  it('decodes a frame within its size limit and refuses one that states more', () => {
    expect(decodeZstdSync(zstd, data.length).equals(data)).toBe(true);
    expect(codecError(() => decodeZstdSync(zstd, data.length - 1)).codec).toBe('zstd');
    expect(codecError(() => decodeZstdSync(zstd.subarray(0, zstd.length - 9), data.length)).codec).toBe('zstd');
  });
});
