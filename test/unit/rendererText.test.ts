import { describe, expect, it } from 'vitest';
import { describeSteps, formatElapsed } from '../../renderer/src/live/progressText.js';
import { countPlatformMatches, matchesWords, propertyTexts, searchWords } from '../../renderer/src/report/platform/platformSearch.js';
import { handmadeResult } from '../e2e/handmadeResult.js';
import { countOf, formatBytes, formatLabel, formatMegabytes } from '../../renderer/src/text/format.js';

describe('describeSteps', () => {
  it('starts with opening in progress before any report arrives', () => {
    expect(describeSteps(null).map((step) => [step.label, step.status])).toEqual([
      ['Opening packages', 'current'],
      ['Reading files', 'waiting'],
      ['Comparing', 'waiting'],
    ]);
  });

  it('describes reading with the side, file counts and megabytes hashed', () => {
    const latest = { stage: 'reading', side: 'new', done: 120, total: 1340, bytes: 35_250_000 } as const;
    const steps = describeSteps(latest, { new: latest });
    expect(steps.map((step) => step.status)).toEqual(['done', 'current', 'waiting']);
    expect(steps[1]?.details).toEqual(['New build: 120 of 1,340 files, 35.3 MB hashed']);
  });

  it('counts the apps parsed once the build has any', () => {
    const latest = { stage: 'reading', side: 'old', done: 40, total: 40, bytes: 2_000_000, appsDone: 3, appsTotal: 12 } as const;
    expect(describeSteps(latest, { old: latest })[1]?.details).toEqual(['Old build: 40 of 40 files, 2.0 MB hashed, 3 of 12 apps read']);
    const noApps = { ...latest, appsDone: 0, appsTotal: 0 };
    expect(describeSteps(noApps, { old: noApps })[1]?.details).toEqual(['Old build: 40 of 40 files, 2.0 MB hashed']);
  });

  it('shows both builds while both are being read, old first', () => {
    const old = { stage: 'reading', side: 'old', done: 1, total: 2, bytes: 0 } as const;
    const latest = { stage: 'reading', side: 'new', done: 8, total: 8, bytes: 10_602 } as const;
    expect(describeSteps(latest, { new: latest, old })[1]?.details).toEqual([
      'Old build: 1 of 2 files, 0.0 MB hashed',
      'New build: 8 of 8 files, 0.0 MB hashed',
    ]);
  });

  it('says files are being listed before their number is known', () => {
    const old = { stage: 'reading', side: 'old', done: 0 } as const;
    expect(describeSteps(old, { old })[1]?.details).toEqual(['Old build: listing files']);
  });

  it('has no details for a stage without counts', () => {
    const old = { stage: 'reading', side: 'old', done: 2, total: 2 } as const;
    expect(describeSteps({ stage: 'diffing' }, { old })[2]?.details).toEqual([]);
  });

  it('marks every step done at the end', () => {
    expect(describeSteps({ stage: 'done' }).map((step) => step.status)).toEqual(['done', 'done', 'done']);
  });
});

describe('small formatters', () => {
  it('formats counts, sizes, time and formats in plain words', () => {
    expect(countOf(1, 'file')).toBe('1 file');
    expect(countOf(12_000, 'property', 'properties')).toBe('12,000 properties');
    expect(formatMegabytes(0)).toBe('0.0 MB');
    expect(formatElapsed(75_900)).toBe('75 s');
    expect(formatLabel('file-ota-zip')).toBe('file-based OTA zip');
    expect(formatLabel('future-format')).toBe('future-format');
    expect(formatLabel('toString')).toBe('toString');
  });

  it('formats sizes exactly below 1,000 bytes and in decimal units above', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1000)).toBe('1.0 KB');
    expect(formatBytes(48_213)).toBe('48.2 KB');
    expect(formatBytes(999_960)).toBe('1.0 MB');
    expect(formatBytes(1_288_490_188)).toBe('1.3 GB');
    expect(formatBytes(5e15)).toBe('5000.0 TB');
  });
});

describe('searching settings and properties', () => {
  const changes = [
    { name: 'ro.build.id', old: 'KOT49H', new: 'KTU84P', oldLayer: '/system/build.prop', newLayer: '/system/build.prop' },
    { name: 'ro.product.locale.region', old: 'CN', new: null, oldLayer: '/system/build.prop', newLayer: null },
    { name: 'persist.sys.timezone', old: null, new: 'Asia/Shanghai', oldLayer: null, newLayer: '/vendor/default.prop' },
  ];
  const names = (query: string) => changes.filter((change) => matchesWords(propertyTexts(change), searchWords(query))).map((change) => change.name);

  it('matches names, either value and the file that sets it, ignoring case and spaces', () => {
    expect(names(' BUILD.ID ')).toEqual(['ro.build.id']);
    expect(names('ktu84p')).toEqual(['ro.build.id']);
    expect(names('shanghai')).toEqual(['persist.sys.timezone']);
    expect(names('cn')).toEqual(['ro.product.locale.region']);
    expect(names('/vendor/')).toEqual(['persist.sys.timezone']);
    expect(names('  ')).toHaveLength(3);
  });

  it('needs every word, wherever each is', () => {
    expect(names('timezone vendor')).toEqual(['persist.sys.timezone']);
    expect(names('timezone system')).toEqual([]);
  });

  it('counts the rows of every table of the view that match', () => {
    const result = handmadeResult();
    // 1 setting, 2 grants, 1 sysconfig entry, 2 init services, 3 properties, 1 flag.
    expect(countPlatformMatches(result, [])).toEqual({ matching: 10, total: 10 });
    expect(countPlatformMatches(result, ['carousel', 'read-write'])).toEqual({ matching: 1, total: 10 });
    // The location setting and the fine-location grant.
    expect(countPlatformMatches(result, searchWords('location'))).toEqual({ matching: 2, total: 10 });
    // The grant and the power-save allowance of the weather app.
    expect(countPlatformMatches(result, searchWords('weather'))).toEqual({ matching: 2, total: 10 });
    // A changed service is found by its old command too.
    expect(countPlatformMatches(result, searchWords('logd class core')).matching).toBe(1);
  });
});
