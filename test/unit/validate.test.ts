import { describe, expect, it } from 'vitest';
import {
  expectAtMostArgs,
  isAbsolutePathSyntax,
  MAX_PATH_LENGTH,
  parseAbsolutePath,
  parseCompareRequest,
  parsePackageKind,
  parseSide,
  UsageError,
} from '../../shared/validate.js';

describe('parseSide', () => {
  it.each(['old', 'new'])('accepts %j', (side) => {
    expect(parseSide(side)).toBe(side);
  });

  it.each([
    ['OLD', /side must be 'old' or 'new', got "OLD"/],
    ['', /got ""/],
    [' old', /got " old"/],
    [0, /got 0/],
    [null, /got null/],
    [undefined, /got undefined/],
    [['old'], /got an array/],
    [{ side: 'old' }, /got an object/],
  ])('rejects %j', (value, message) => {
    expect(() => parseSide(value)).toThrow(UsageError);
    expect(() => parseSide(value)).toThrow(message);
  });
});

describe('parsePackageKind', () => {
  it.each(['file', 'folder'])('accepts %j', (kind) => {
    expect(parsePackageKind(kind)).toBe(kind);
  });

  it.each(['directory', 'File', '', 1, true, null, undefined])('rejects %j', (value) => {
    expect(() => parsePackageKind(value)).toThrow(/kind must be 'file' or 'folder'/);
  });
});

describe('parseCompareRequest', () => {
  const valid = { oldPath: '/roms/old.zip', newPath: '/roms/new.zip' };

  it('returns a fresh object with exactly the two paths', () => {
    const parsed = parseCompareRequest(valid);
    expect(parsed).toEqual(valid);
    expect(parsed).not.toBe(valid);
  });

  it('accepts Windows drive and UNC paths', () => {
    expect(parseCompareRequest({ oldPath: 'C:\\roms\\old.zip', newPath: '\\\\nas\\roms\\new.zip' }))
      .toEqual({ oldPath: 'C:\\roms\\old.zip', newPath: '\\\\nas\\roms\\new.zip' });
  });

  it('accepts an object without a prototype', () => {
    const bare = Object.assign(Object.create(null) as object, valid);
    expect(parseCompareRequest(bare)).toEqual(valid);
  });

  it.each([
    ['null', null, /must be an object, got null/],
    ['a string', '/roms/old.zip', /must be an object, got "\/roms\/old.zip"/],
    ['an array', ['/a', '/b'], /must be an object, got an array/],
    ['a number', 42, /must be an object, got 42/],
    ['a class instance', new (class Request { oldPath = '/a'; newPath = '/b'; })(), /must be an object, got an object/],
    ['a Date', new Date(0), /must be an object/],
  ])('rejects %s', (_label, value, message) => {
    expect(() => parseCompareRequest(value)).toThrow(UsageError);
    expect(() => parseCompareRequest(value)).toThrow(message);
  });

  it.each([
    ['an extra key', { ...valid, extra: 1 }, /exactly the fields newPath, oldPath, got extra, newPath, oldPath/],
    ['a missing key', { oldPath: '/a' }, /got oldPath$/],
    ['no keys', {}, /got none$/],
    ['a misspelt key', { oldpath: '/a', newPath: '/b' }, /got newPath, oldpath/],
  ])('rejects %s', (_label, value, message) => {
    expect(() => parseCompareRequest(value)).toThrow(message);
  });

  it.each([
    ['a relative path', { ...valid, oldPath: 'roms/old.zip' }, /oldPath must be an absolute path, got "roms\/old.zip"/],
    ['a dot path', { ...valid, newPath: './new.zip' }, /newPath must be an absolute path/],
    ['a home-relative path', { ...valid, newPath: '~/new.zip' }, /newPath must be an absolute path/],
    ['a drive-relative Windows path', { ...valid, oldPath: 'C:old.zip' }, /oldPath must be an absolute path/],
    ['an empty path', { ...valid, oldPath: '' }, /oldPath must not be empty/],
    ['a NUL byte', { ...valid, newPath: '/roms/new.zip\0.txt' }, /newPath must not contain a NUL character/],
    ['a number', { ...valid, oldPath: 7 }, /oldPath must be a string, got 7/],
    ['a nested object', { ...valid, newPath: { path: '/x' } }, /newPath must be a string, got an object/],
  ])('rejects %s', (_label, value, message) => {
    expect(() => parseCompareRequest(value)).toThrow(UsageError);
    expect(() => parseCompareRequest(value)).toThrow(message);
  });
});

describe('parseAbsolutePath length bound', () => {
  it('accepts a path of exactly the limit', () => {
    const longest = '/' + 'a'.repeat(MAX_PATH_LENGTH - 1);
    expect(parseAbsolutePath(longest, 'oldPath')).toBe(longest);
  });

  it('rejects one character more, without echoing the string', () => {
    const tooLong = '/' + 'a'.repeat(MAX_PATH_LENGTH);
    let message = '';
    try {
      parseAbsolutePath(tooLong, 'oldPath');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(`oldPath is ${MAX_PATH_LENGTH + 1} characters long; the limit is ${MAX_PATH_LENGTH}`);
  });

  it('keeps the message short for a huge relative path', () => {
    const huge = 'x'.repeat(1_000_000);
    expect(() => parseAbsolutePath(huge, 'newPath')).toThrow(/is 1000000 characters long/);
  });

  it('truncates a long relative path in the message', () => {
    const relativePath = 'r'.repeat(500);
    try {
      parseAbsolutePath(relativePath, 'newPath');
      expect.unreachable('a relative path must be rejected');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('(500 characters)');
      expect(message.length).toBeLessThan(200);
    }
  });
});

describe('isAbsolutePathSyntax', () => {
  it.each([
    ['/', true], ['/a', true], ['C:\\a', true], ['c:/a', true], ['\\\\server\\share', true],
    ['a', false], ['C:', false], ['\\a', false], ['\\\\server', false], ['file:///a', false],
  ])('%j → %j', (path, expected) => {
    expect(isAbsolutePathSyntax(path)).toBe(expected);
  });
});

describe('expectAtMostArgs', () => {
  it('allows fewer or equal arguments', () => {
    expect(() => expectAtMostArgs('compare', [], 1)).not.toThrow();
    expect(() => expectAtMostArgs('compare', [{}], 1)).not.toThrow();
  });

  it('rejects extra arguments with the channel name', () => {
    expect(() => expectAtMostArgs('appInfo', ['x'], 0)).toThrow('appInfo takes 0 arguments, got 1');
    expect(() => expectAtMostArgs('compare', [{}, {}], 1)).toThrow('compare takes 1 argument, got 2');
  });
});
