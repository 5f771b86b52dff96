import { SCHEMA_VERSION, type ComparisonResult } from '../../../shared/model.js';
import type { TimelineResult } from '../../../shared/timeline.js';

export { REPORT_DATA_ELEMENT_ID } from '../../../shared/report.js';

export class ReportDataError extends Error {
  override readonly name = 'ReportDataError';
}

/**
 * Parses the JSON embedded in a static report. The report may have been edited or come from a
 * newer version, so the shape is checked before anything renders it.
 */
export function parseEmbeddedResult(text: string): ComparisonResult {
  const data = parseVersioned(text);
  const missing = missingParts(data);
  if (missing.length > 0) {
    throw new ReportDataError(`The comparison data in this report is incomplete (missing or invalid: ${missing.join(', ')}).`);
  }
  return data as unknown as ComparisonResult;
}

/** The embedded JSON, of this viewer's schema version. */
function parseVersioned(text: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ReportDataError('The comparison data in this report is not valid JSON.');
  }
  if (!isRecord(data)) throw new ReportDataError('The comparison data in this report is not an object.');
  if (data['schemaVersion'] !== SCHEMA_VERSION) {
    throw new ReportDataError(
      `This report uses data format version ${String(data['schemaVersion'])}; this viewer reads version ${SCHEMA_VERSION}.`,
    );
  }
  return data;
}

/** What a static report carries: a comparison of two builds or a timeline of many. */
export type EmbeddedData = { kind: 'comparison'; result: ComparisonResult } | { kind: 'timeline'; result: TimelineResult };

/** Parses a static report's data, a comparison or a timeline, checking the shape the viewer reads. */
export function parseEmbeddedData(text: string): EmbeddedData {
  const data = parseVersioned(text);
  if (data['kind'] !== 'timeline') return { kind: 'comparison', result: parseEmbeddedResult(text) };
  const missing = missingTimelineParts(data);
  if (missing.length > 0) throw new ReportDataError(`The timeline data in this report is incomplete (missing or invalid: ${missing.join(', ')}).`);
  return { kind: 'timeline', result: data as unknown as TimelineResult };
}

function missingTimelineParts(data: Record<string, unknown>): string[] {
  const missing = ['builds', 'features', 'keys', 'problems'].filter((key) => !Array.isArray(data[key]));
  const builds = Array.isArray(data['builds']) ? data['builds'].length : 0;
  const rows = [...(Array.isArray(data['features']) ? data['features'] : []), ...(Array.isArray(data['keys']) ? data['keys'] : [])] as unknown[];
  rows.forEach((row, index) => {
    if (!isRecord(row) || !Array.isArray(row['cells']) || row['cells'].length !== builds || typeof row['summary'] !== 'string') missing.push(`row ${index} (a cell per build)`);
  });
  return missing;
}

/** Lists of each part the viewer reads, by the keys it reads them with. */
const LIST_PARTS: readonly [string, readonly string[]][] = [
  ['apps', ['added', 'removed', 'changed']],
  ['properties', ['added', 'removed', 'changed']],
  ['settings', ['added', 'removed', 'changed']],
  ['permissionGrants', ['added', 'removed']],
  ['sysconfig', ['added', 'removed']],
  ['initServices', ['added', 'removed', 'changed']],
  ['flags', ['added', 'removed', 'changed']],
  ['files', ['added', 'removed', 'changed', 'unchanged']],
  ['problems', ['old', 'new']],
];

function missingParts(data: Record<string, unknown>): string[] {
  const missing: string[] = [];
  for (const side of ['old', 'new'] as const) {
    const info = data[side];
    if (!isRecord(info) || typeof info['file'] !== 'string' || typeof info['format'] !== 'string') missing.push(side);
    else if (!Array.isArray(info['partitions'])) missing.push(`${side}.partitions`);
  }
  for (const key of ['features', 'otherDefaultChanges', 'textDiffs', 'claimableKeys']) {
    if (!Array.isArray(data[key])) missing.push(key);
  }
  const features: unknown = data['features'];
  if (Array.isArray(features)) {
    features.forEach((feature: unknown, index) => {
      if (!isFeatureShaped(feature)) missing.push(`features[${index}]`);
    });
  }
  for (const key of ['claims', 'keyClaims', 'ruleFiles']) {
    if (data[key] !== undefined && !Array.isArray(data[key])) missing.push(key);
  }
  for (const [part, keys] of LIST_PARTS) {
    const value = data[part];
    for (const key of keys) {
      if (!isRecord(value) || !Array.isArray(value[key])) missing.push(`${part}.${key}`);
    }
  }
  const apps = data['apps'];
  for (const part of ['profiles', 'permissionDeclarations']) {
    const sides = isRecord(apps) ? apps[part] : undefined;
    for (const side of ['old', 'new'] as const) {
      if (!isRecord(sides) || !Array.isArray(sides[side])) missing.push(`apps.${part}.${side}`);
    }
  }
  return missing;
}

/** The parts of a verdict the cards read without checking again. */
function isFeatureShaped(feature: unknown): boolean {
  const isSide = (side: unknown) => isRecord(side) && typeof side['state'] === 'string' && Array.isArray(side['evidence']);
  return isRecord(feature) && typeof feature['id'] === 'string' && typeof feature['title'] === 'string' && isSide(feature['old']) && isSide(feature['new']);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
