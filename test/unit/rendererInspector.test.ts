import { describe, expect, it } from 'vitest';
import { markdownSummary } from '../../shared/summary.js';
import { splitLines } from '../../renderer/src/report/evidence/evidenceViewer.js';
import { exportFileName } from '../../shared/api.js';
import { exportText } from '../../renderer/src/report/export/exportFormats.js';
import { buildChangeTree, initiallyExpanded, nodePaths, visibleRows } from '../../renderer/src/report/files/changeTree.js';
import { sideBySide } from '../../renderer/src/report/files/sideBySide.js';
import { handmadeResult } from '../e2e/handmadeResult.js';

describe('splitLines', () => {
  it('numbers lines as editors do: a final newline ends the last line, CRLF is one break', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\r\nb')).toEqual(['a', 'b']);
    expect(splitLines('a\n\nb\n\n')).toEqual(['a', '', 'b', '']);
    expect(splitLines('')).toEqual(['']);
    expect(splitLines('\n')).toEqual(['']);
  });
});

describe('export formats', () => {
  it('names the file after both packages, without archive suffixes or characters a file system refuses', () => {
    expect(exportFileName('miui_HM2014_4.4.2.zip', 'new build: "final"/v2.img', 'json')).toBe('otalens-miui_HM2014_4.4.2-vs-new_build_final_v2.json');
    expect(exportFileName('a.tar.gz', '???', 'markdown')).toBe('otalens-a-vs-_.md');
    expect(exportFileName('', 'b', 'html')).toBe('otalens-package-vs-b.html');
  });

  it('exports JSON that parses back to the result, and the Markdown summary', () => {
    const result = handmadeResult();
    expect(JSON.parse(exportText(result, 'json'))).toEqual(result);
    expect(exportText(result, 'markdown')).toBe(markdownSummary(result));
  });
});

describe('buildChangeTree', () => {
  const files = {
    added: [{ path: '/vendor/lib/new.so', oldSize: null, newSize: 10, oldSha256: null, newSha256: null }],
    removed: [{ path: '/system/app/Old/Old.apk', oldSize: 5, newSize: null, oldSha256: null, newSha256: null }],
    changed: [
      { path: '/system/build.prop', oldSize: 1, newSize: 2, oldSha256: null, newSha256: null },
      { path: '/system/app/Mms/Mms.apk', oldSize: 3, newSize: 4, oldSha256: null, newSha256: null },
    ],
    unchanged: [{ path: '/system/etc/hosts', size: 7, sha256: 'a'.repeat(64) }, { path: '/odm/etc/x.conf', size: 1, sha256: null }],
  };

  it('counts changes per folder and hangs decoded archive members under their archive', () => {
    const root = buildChangeTree(files, ['/system/app/Mms/Mms.apk!/res/xml/preferences.xml', '/system/build.prop']);
    expect(root.counts).toEqual({ added: 1, removed: 1, changed: 2 });
    const system = root.children.find((node) => node.path === '/system');
    expect(system?.counts).toEqual({ added: 0, removed: 1, changed: 2 });
    const rows = visibleRows(root, initiallyExpanded(root)).map(({ node, depth }) => `${'  '.repeat(depth)}${node.name}${node.kind === null ? '' : ` [${node.kind}]`}`);
    expect(rows).toEqual([
      'system',
      '  app',
      '    Mms',
      '      Mms.apk [changed]',
      '        res',
      '          xml',
      '            preferences.xml [changed]',
      '    Old',
      '      Old.apk [removed]',
      '  build.prop [changed]',
      'vendor',
      '  lib',
      '    new.so [added]',
    ]);
    expect(nodePaths('/system/app/Mms/Mms.apk!/res/xml/p.xml')).toEqual([
      '/system',
      '/system/app',
      '/system/app/Mms',
      '/system/app/Mms/Mms.apk',
      '/system/app/Mms/Mms.apk!/res',
      '/system/app/Mms/Mms.apk!/res/xml',
      '/system/app/Mms/Mms.apk!/res/xml/p.xml',
    ]);
  });

  it('shows unchanged files only on request, without counting them as changes', () => {
    expect(buildChangeTree(files, []).children.map((node) => node.path)).toEqual(['/system', '/vendor']);
    const whole = buildChangeTree(files, [], true);
    expect(whole.children.map((node) => node.path)).toEqual(['/odm', '/system', '/vendor']);
    expect(whole.counts).toEqual({ added: 1, removed: 1, changed: 2 });
    const hosts = whole.children.find((node) => node.path === '/system')?.children.find((node) => node.path === '/system/etc')?.children[0];
    expect(hosts).toMatchObject({ path: '/system/etc/hosts', kind: 'unchanged', file: { oldSize: 7, newSize: 7, oldSha256: 'a'.repeat(64), newSha256: 'a'.repeat(64) } });
  });

  it('opens only the top level of a large tree', () => {
    const many = { added: Array.from({ length: 500 }, (_, index) => ({ path: `/system/d${index}/f`, oldSize: null, newSize: 1, oldSha256: null, newSha256: null })), removed: [], changed: [], unchanged: [] };
    const root = buildChangeTree(many, []);
    expect([...initiallyExpanded(root)]).toEqual(['/system']);
    expect(visibleRows(root, initiallyExpanded(root))).toHaveLength(501);
  });
});

describe('sideBySide', () => {
  it('pairs each removed run with the added lines that replace it, numbering both sides from the hunk header', () => {
    const patch = ['--- a', '+++ b', '@@ -3,4 +3,5 @@', ' keep', '-old one', '-old two', '+new one', '+new two', '+new three', ' tail', ''].join('\n');
    expect(sideBySide(patch)).toEqual([
      { kind: 'hunk', text: '@@ -3,4 +3,5 @@' },
      { kind: 'lines', old: { number: 3, text: 'keep', kind: 'context' }, new: { number: 3, text: 'keep', kind: 'context' } },
      { kind: 'lines', old: { number: 4, text: 'old one', kind: 'removed' }, new: { number: 4, text: 'new one', kind: 'added' } },
      { kind: 'lines', old: { number: 5, text: 'old two', kind: 'removed' }, new: { number: 5, text: 'new two', kind: 'added' } },
      { kind: 'lines', old: null, new: { number: 6, text: 'new three', kind: 'added' } },
      { kind: 'lines', old: { number: 6, text: 'tail', kind: 'context' }, new: { number: 7, text: 'tail', kind: 'context' } },
    ]);
  });
});
