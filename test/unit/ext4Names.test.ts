// Name decoding for ext4 (names are bytes): checked against Python's UTF-8 decoder with the
// `backslashreplace` error handler, an independent implementation of "decode UTF-8, show each
// invalid byte as \xNN".
import { describe, expect, it } from 'vitest';
import { decodeLinkTarget, decodeName } from '../../electron/engine/fs/ext4/names.js';
import { tool } from '../support/ext4.js';

function pythonDecode(names: Buffer[]): string[] {
  const script = `
import json, sys
names = json.load(sys.stdin)
print(json.dumps([bytes.fromhex(h).decode('utf-8', 'backslashreplace') for h in names]))
`;
  const input = JSON.stringify(names.map((name) => name.toString('hex')));
  return JSON.parse(tool('python3', ['-c', script], { input }).toString('utf8')) as string[];
}

/** Deterministic byte strings rich in UTF-8 lead and continuation bytes (no NUL, no '/'). */
function sampleNames(count: number): Buffer[] {
  const interesting = [0x41, 0x7a, 0x2e, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x82, 0x98, 0x90, 0x8f];
  let state = 12345;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 16;
  };
  const names: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const length = 1 + (next() % 12);
    names.push(Buffer.from(Array.from({ length }, () => interesting[next() % interesting.length] ?? 0x41)));
  }
  names.push(Buffer.from('ünïcödé-名前.txt'), Buffer.from('emoji-🙂'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from([0xe2, 0x82]));
  return names;
}

describe('ext4 name decoding', () => {
  it('matches Python backslashreplace on valid, truncated, overlong and surrogate sequences', () => {
    const names = sampleNames(400);
    const expected = pythonDecode(names);
    expect(names.map((name) => decodeName(name))).toEqual(expected);
    expect(expected.filter((name) => name.includes('\\x')).length, 'the sample has invalid names').toBeGreaterThan(100);
  });

  it('escapes NUL and, in names only, "/"', () => {
    expect(decodeName(Buffer.from('a/b\0c'))).toBe('a\\x2fb\\x00c');
    expect(decodeLinkTarget(Buffer.from('/system/bin\0'))).toBe('/system/bin\\x00');
    expect(decodeLinkTarget(Buffer.from([0x2f, 0x61, 0xff]))).toBe('/a\\xff');
  });
});
