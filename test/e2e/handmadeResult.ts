import { SCHEMA_VERSION, type ComparisonResult } from '../../shared/model.js';

/** A small comparison written by hand, for tests that need exact control over the data shown. */
export function handmadeResult(overrides: Partial<ComparisonResult> = {}): ComparisonResult {
  return {
    schemaVersion: SCHEMA_VERSION,
    old: {
      file: 'handmade-old.zip',
      sha256: 'a'.repeat(64),
      format: 'file-ota-zip',
      fingerprint: 'Example/handmade/device:13/TQ1A.000001.001/1:user/release-keys',
      fingerprintSource: '/system/build.prop',
      androidVersion: '13',
      securityPatch: '2023-01-05',
    },
    new: {
      file: 'handmade-new.zip',
      sha256: 'b'.repeat(64),
      format: 'file-ota-zip',
      fingerprint: 'Example/handmade/device:14/UQ1A.000002.002/2:user/release-keys',
      fingerprintSource: '/system/build.prop',
      androidVersion: '14',
      securityPatch: '2024-01-05',
    },
    properties: {
      changed: [{ name: 'ro.build.version.release', old: '13', new: '14' }],
      added: [{ name: 'ro.example.added', old: null, new: 'yes' }],
      removed: [{ name: 'ro.example.removed', old: 'gone', new: null }],
    },
    files: {
      added: ['/system/app/New/New.apk'],
      removed: ['/system/app/Old/Old.apk'],
      changed: ['/system/build.prop'],
    },
    problems: { old: [], new: [] },
    ...overrides,
  };
}
