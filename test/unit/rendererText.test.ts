import { describe, expect, it } from 'vitest';
import { describeSteps, formatElapsed } from '../../renderer/src/live/progressText.js';
import { filterProperties } from '../../renderer/src/report/filterProperties.js';
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
    expect(formatLabel('payload-bin')).toBe('payload-bin');
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

describe('filterProperties', () => {
  const changes = [
    { name: 'ro.build.id', old: 'KOT49H', new: 'KTU84P', oldLayer: '/system/build.prop', newLayer: '/system/build.prop' },
    { name: 'ro.product.locale.region', old: 'CN', new: null, oldLayer: '/system/build.prop', newLayer: null },
    { name: 'persist.sys.timezone', old: null, new: 'Asia/Shanghai', oldLayer: null, newLayer: '/vendor/default.prop' },
  ];

  it('matches names and either value, ignoring case and surrounding spaces', () => {
    expect(filterProperties(changes, ' BUILD.ID ').map((change) => change.name)).toEqual(['ro.build.id']);
    expect(filterProperties(changes, 'ktu84p').map((change) => change.name)).toEqual(['ro.build.id']);
    expect(filterProperties(changes, 'shanghai').map((change) => change.name)).toEqual(['persist.sys.timezone']);
    expect(filterProperties(changes, 'cn').map((change) => change.name)).toEqual(['ro.product.locale.region']);
  });

  it('matches the file that sets the value', () => {
    expect(filterProperties(changes, '/vendor/').map((change) => change.name)).toEqual(['persist.sys.timezone']);
  });

  it('keeps everything for an empty query', () => {
    expect(filterProperties(changes, '  ')).toEqual(changes);
  });
});
