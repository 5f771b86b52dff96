import { SCHEMA_VERSION, type ComparisonResult } from '../../../shared/model.js';

export { REPORT_DATA_ELEMENT_ID } from '../../../shared/report.js';

export class ReportDataError extends Error {
  override readonly name = 'ReportDataError';
}

/**
 * Parses the JSON embedded in a static report. The report may have been edited or come from a
 * newer version, so the shape is checked before anything renders it.
 */
export function parseEmbeddedResult(text: string): ComparisonResult {
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
  const missing = missingParts(data);
  if (missing.length > 0) {
    throw new ReportDataError(`The comparison data in this report is incomplete (missing or invalid: ${missing.join(', ')}).`);
  }
  return data as unknown as ComparisonResult;
}

function missingParts(data: Record<string, unknown>): string[] {
  const missing: string[] = [];
  for (const side of ['old', 'new'] as const) {
    const info = data[side];
    if (!isRecord(info) || typeof info['file'] !== 'string' || typeof info['format'] !== 'string') missing.push(side);
  }
  const properties = data['properties'];
  for (const kind of ['added', 'removed', 'changed'] as const) {
    if (!isRecord(properties) || !Array.isArray(properties[kind])) missing.push(`properties.${kind}`);
  }
  const files = data['files'];
  for (const kind of ['added', 'removed', 'changed'] as const) {
    if (!isRecord(files) || !Array.isArray(files[kind])) missing.push(`files.${kind}`);
  }
  const problems = data['problems'];
  for (const side of ['old', 'new'] as const) {
    if (!isRecord(problems) || !Array.isArray(problems[side])) missing.push(`problems.${side}`);
  }
  return missing;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
