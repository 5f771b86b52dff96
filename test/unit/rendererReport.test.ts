import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { describeVersion, hasVisibleChanges } from '../../renderer/src/report/apps/appFilter.js';
import { describePreferenceDefault } from '../../renderer/src/report/apps/preferenceText.js';
import { splitFeatures } from '../../renderer/src/report/verdicts/splitFeatures.js';
import { classifyDiffLines, countDiffLines } from '../../renderer/src/text/unifiedDiff.js';
import { changeBadge, claimBadge, countSides, pathWithLine, stateLabel } from '../../renderer/src/text/verdictText.js';
import { handmadeResult } from '../e2e/handmadeResult.js';

/**
 * Two texts whose differing lines the test itself chose, including lines that look like diff
 * headers (`--- x`, `+++ y`) and hunk markers, so a classifier that reads them as headers fails.
 */
const OLD_LINES = ['keep 1', '--- looks like a header', 'keep 2', 'old only', '@@ not a hunk', 'keep 3', 'keep 4', 'keep 5', 'keep 6', 'keep 7', 'tail'];
const NEW_LINES = ['keep 1', 'keep 2', '+++ new header-like', 'new only', '@@ not a hunk', 'keep 3', 'keep 4', 'keep 5', 'keep 6', 'keep 7', 'tail', '-- added at end'];
const REMOVED = ['--- looks like a header', 'old only'];
const ADDED = ['+++ new header-like', 'new only', '-- added at end'];

function gnuUnifiedDiff(oldText: string, newText: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'otalens-diff-'));
  try {
    writeFileSync(join(dir, 'old'), oldText);
    writeFileSync(join(dir, 'new'), newText);
    const run = spawnSync('diff', ['-u', 'old', 'new'], { cwd: dir, encoding: 'utf8' });
    if (run.error !== undefined || run.status !== 1) throw new Error(`GNU diff is needed for this test (status ${run.status}): ${run.error?.message ?? run.stderr}`);
    return run.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('classifyDiffLines', () => {
  const oldText = `${OLD_LINES.join('\n')}\n`;
  const newText = `${NEW_LINES.join('\n')}\n`;
  const patches = {
    'the diff package (as the engine makes them)': createTwoFilesPatch('/system/a.xml', '/system/a.xml', oldText, newText, 'old build', 'new build'),
    'GNU diff -u': gnuUnifiedDiff(oldText, newText),
  };

  for (const [maker, patch] of Object.entries(patches)) {
    it(`finds exactly the changed lines in a patch made by ${maker}`, () => {
      const lines = classifyDiffLines(patch);
      expect(lines.filter((line) => line.kind === 'added').map((line) => line.text)).toEqual(ADDED.map((text) => `+${text}`));
      expect(lines.filter((line) => line.kind === 'removed').map((line) => line.text)).toEqual(REMOVED.map((text) => `-${text}`));
      expect(countDiffLines(lines)).toEqual({ added: ADDED.length, removed: REMOVED.length });
      expect(lines.filter((line) => line.kind === 'header').map((line) => line.text.slice(0, 3))).toEqual(
        maker === 'GNU diff -u' ? ['---', '+++'] : ['Ind', '===', '---', '+++'],
      );
      expect(lines.filter((line) => line.kind === 'hunk').every((line) => /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@$/.test(line.text))).toBe(true);
      // Nothing is lost: the lines joined are the patch.
      expect(`${lines.map((line) => line.text).join('\n')}\n`).toBe(patch);
    });
  }

  it('marks the no-newline note as a note', () => {
    const lines = classifyDiffLines(createTwoFilesPatch('a', 'a', 'x\ny', 'x\nz', 'old build', 'new build'));
    expect(lines.filter((line) => line.kind === 'note').map((line) => line.text)).toEqual(['\\ No newline at end of file', '\\ No newline at end of file']);
  });
});

describe('verdict words', () => {
  it('puts an icon and words on every change, and says a regression is one', () => {
    expect(changeBadge('now-opt-in')).toEqual({ icon: '✓', text: 'Now opt-in', tone: 'good' });
    expect(changeBadge('now-default-on')).toEqual({ icon: '✗', text: 'Now on by default (regression)', tone: 'bad' });
    expect(changeBadge('unknown')).toEqual({ icon: '?', text: 'Cannot tell', tone: 'unsure' });
    expect(changeBadge('some-new-change')).toEqual({ icon: '?', text: 'some-new-change', tone: 'unsure' });
    expect(claimBadge('contradicted')).toEqual({ icon: '✗', text: 'Contradicted', tone: 'bad' });
    expect(stateLabel('default-on')).toBe('On by default');
    expect(stateLabel('opt-in')).toBe('Opt-in');
    expect(stateLabel('hasOwnProperty')).toBe('hasOwnProperty');
  });

  it('writes paths with their line and counts evidence per side', () => {
    expect(pathWithLine('/system/app/Mms/Mms.apk!/res/xml/preferences.xml', 12)).toBe('/system/app/Mms/Mms.apk!/res/xml/preferences.xml:12');
    expect(pathWithLine('/system/build.prop', undefined)).toBe('/system/build.prop');
    expect(countSides(1, 2)).toBe('1 item in the old build, 2 items in the new');
  });
});

describe('splitFeatures', () => {
  it('puts the regression first, then the fix, then the undecidable, and the absent ones aside', () => {
    const { shown, absent } = splitFeatures(handmadeResult().features);
    expect(shown.map((feature) => feature.id)).toEqual(['usage-statistics', 'cloud-messaging', 'find-device']);
    expect(absent.map((feature) => feature.id)).toEqual(['crash-reporting', 'backup-to-cloud']);
  });
});

describe('app filter', () => {
  const { apps } = handmadeResult();

  it('tells apps with visible changes from apps only rebuilt', () => {
    expect(apps.changed.map(hasVisibleChanges)).toEqual([true, false]);
    const [mms] = apps.changed;
    if (mms === undefined) throw new Error('handmade result has a changed app');
    const onlyMoved = { ...apps.changed[1]!, path: { old: '/system/app/A.apk', new: '/product/app/A.apk' } };
    expect(hasVisibleChanges(onlyMoved)).toBe(true);
  });

  it('describes versions in Android’s words', () => {
    expect(describeVersion('1.3', 3)).toBe('1.3 (3)');
    expect(describeVersion(null, 3)).toBe('code 3');
    expect(describeVersion('', null)).toBe('no version');
  });
});

describe('describePreferenceDefault', () => {
  it('says where each kind of default comes from', () => {
    expect(describePreferenceDefault({ defaultValue: 'true', defaultSource: 'literal' })).toBe('true (written in the XML)');
    expect(describePreferenceDefault({ defaultValue: 'false', defaultSource: 'resource', defaultResource: '@bool/def_mx' })).toBe('false (from @bool/def_mx)');
    expect(describePreferenceDefault({ defaultValue: 'false', defaultSource: 'implicit' })).toBe('false (no default given)');
    expect(describePreferenceDefault({ defaultValue: null, defaultSource: 'implicit' })).toBe('none (no default given)');
  });
});
