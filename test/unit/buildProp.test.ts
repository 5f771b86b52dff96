import { describe, expect, it } from 'vitest';
import { parseEdifySymlinks } from '../../electron/engine/formats/fileOtaZip.js';
import { parseOtaMetadata, parsePropertyFile } from '../../electron/engine/props/buildProp.js';

describe('parsePropertyFile (Android init semantics)', () => {
  it('trims names and values, skips comments and blank lines, keeps `=` inside values', () => {
    const parsed = parsePropertyFile('# comment\n\n  ro.a = 1 \nro.b=x=y\n\tro.c=\n#ro.d=hidden\nnot a property\n');
    expect(Object.fromEntries(parsed.values)).toEqual({ 'ro.a': '1', 'ro.b': 'x=y', 'ro.c': '' });
  });

  it('lets a later definition replace an earlier one and records both with line numbers', () => {
    const parsed = parsePropertyFile('ro.a=1\r\nro.a=2\r\n');
    expect(parsed.values.get('ro.a')).toBe('2');
    expect(parsed.definitions).toEqual([
      { name: 'ro.a', value: '1', line: 1 },
      { name: 'ro.a', value: '2', line: 2 },
    ]);
  });

  it('collects import lines without treating them as properties', () => {
    const parsed = parsePropertyFile('import /vendor/etc/extra.prop\nro.x=1\n');
    expect(parsed.imports).toEqual([{ path: '/vendor/etc/extra.prop', filter: null, line: 1 }]);
    expect([...parsed.values.keys()]).toEqual(['ro.x']);
  });

  // LoadProperties: `!strncmp(key, "import ", 7) && flen == 0` — the word and one space, after
  // leading blanks; the file name ends at the next space, the rest (blanks skipped) is the filter.
  it('reads import lines as init does: a filter after the file name, even with a `=` in it', () => {
    const parsed = parsePropertyFile('  import   /odm/etc/a.prop  ro.odm.*\nimport /x.prop b=c\nimport\t/tab.prop\nimport=1\n');
    expect(parsed.imports).toEqual([
      { path: '/odm/etc/a.prop', filter: 'ro.odm.*', line: 1 },
      { path: '/x.prop', filter: 'b=c', line: 2 },
    ]);
    expect(Object.fromEntries(parsed.values)).toEqual({ import: '1' });
    expect(parsed.entries.map((entry) => entry.kind)).toEqual(['import', 'import', 'definition']);
  });

  it('keeps only the names a filter allows, and follows no import inside a filtered file', () => {
    const text = 'ro.odm.a=1\nro.odm=2\nro.other=3\nimport /y.prop\n';
    expect([...parsePropertyFile(text, 'ro.odm.*').values.keys()]).toEqual(['ro.odm.a']);
    expect([...parsePropertyFile(text, 'ro.other').values.keys()]).toEqual(['ro.other']);
    expect(parsePropertyFile(text, 'ro.odm.*').imports).toEqual([]);
  });
});

describe('parseOtaMetadata', () => {
  it('reads key=value lines, sorted by key', () => {
    expect(parseOtaMetadata('post-build=a/b:1\nota-type=AB\npre-device=x\n')).toEqual({ 'ota-type': 'AB', 'post-build': 'a/b:1', 'pre-device': 'x' });
    expect(Object.keys(parseOtaMetadata('z=1\na=2\n'))).toEqual(['a', 'z']);
  });
});

describe('parseEdifySymlinks', () => {
  it('reads every link of a symlink() call, across lines, with escapes', () => {
    const script = 'mount("ext4", "EMMC", "/dev/x", "/system");\nsymlink("toolbox", "/system/bin/ls",\n        "/system/bin/ps");\nsymlink("a\\"b", "/system/q");\n';
    expect(parseEdifySymlinks(script)).toEqual([
      { target: 'toolbox', path: '/system/bin/ls' },
      { target: 'toolbox', path: '/system/bin/ps' },
      { target: 'a"b', path: '/system/q' },
    ]);
  });
});
