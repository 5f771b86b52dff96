// The one escaping of raw name bytes into device paths (vfs/rawNames.ts), checked against an
// independent implementation of the documented rule in Python (test/support/rawNameOracle.ts).
import { describe, expect, it } from 'vitest';
import { bytesFromName, linkTargetFromBytes, nameFromBytes, pathFromBytes } from '../../electron/engine/vfs/rawNames.js';
import { pythonEscape } from '../support/rawNameOracle.js';

/** Deterministic byte strings rich in UTF-8 lead and continuation bytes, backslashes, controls, `/` and `!`. */
function sampleNames(count: number): Buffer[] {
  const interesting = [0x41, 0x7a, 0x2e, 0x5c, 0x78, 0x21, 0x2f, 0x00, 0x0a, 0x1b, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x82, 0x98, 0x90, 0x8f];
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
  names.push(
    Buffer.from('ünïcödé-名前.txt'),
    Buffer.from('emoji-🙂'),
    Buffer.from('a\\xff'),
    Buffer.from([0x61, 0xff]),
    Buffer.from('Mms.apk!'),
    Buffer.from('rtl-\u202egnp.exe'),
    Buffer.from('c1-\u0085-next'),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0xf4, 0x90, 0x80, 0x80]),
    Buffer.from([0xe2, 0x82]),
  );
  return names;
}

describe('raw name escaping', () => {
  const names = sampleNames(600);

  it('matches the documented rule (Python) for names and for link targets', () => {
    const expected = pythonEscape(names, true);
    expect(names.map((name) => nameFromBytes(name))).toEqual(expected);
    expect(names.map((name) => linkTargetFromBytes(name))).toEqual(pythonEscape(names, false));
    expect(expected.filter((name) => name.includes('\\x')).length, 'the sample has invalid names').toBeGreaterThan(200);
    expect(expected.filter((name) => name.includes('\\\\')).length, 'the sample has backslashes').toBeGreaterThan(50);
  });

  it('never maps two different names to the same text, and maps every name back to its bytes', () => {
    const distinct = new Map(names.map((name) => [name.toString('hex'), name]));
    const texts = new Set([...distinct.values()].map((name) => nameFromBytes(name)));
    expect(texts.size).toBe(distinct.size);
    for (const name of distinct.values()) expect(bytesFromName(nameFromBytes(name))?.equals(name), nameFromBytes(name)).toBe(true);
  });

  it('tells a real backslash from an escaped byte', () => {
    expect(nameFromBytes(Buffer.from('a\\xff'))).toBe('a\\\\xff');
    expect(nameFromBytes(Buffer.from([0x61, 0xff]))).toBe('a\\xff');
    expect(bytesFromName('a\\\\xff')).toEqual(Buffer.from('a\\xff'));
    expect(bytesFromName('a\\xff')).toEqual(Buffer.from([0x61, 0xff]));
  });

  it('refuses spellings it never writes', () => {
    for (const spelling of ['a\\', 'a\\q', '\\x41', '\\xFF', 'a/b', 'Mms.apk!', 'tab\there']) expect(bytesFromName(spelling), spelling).toBeNull();
  });

  it('escapes a member path segment by segment', () => {
    expect(pathFromBytes(Buffer.from('system/app/A.apk!/x\\y'))).toBe('system/app/A.apk\\x21/x\\\\y');
    expect(pathFromBytes(Buffer.from([0x64, 0x2f, 0xff, 0x2f]))).toBe('d/\\xff/');
  });
});
