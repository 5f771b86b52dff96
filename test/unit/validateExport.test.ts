import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../shared/model.js';
import { parseExportRequest, parseRecentId, UsageError } from '../../shared/validate.js';

const result = { schemaVersion: SCHEMA_VERSION, old: { file: 'a.zip' }, new: { file: 'b.zip' } };

describe('parseExportRequest', () => {
  it('accepts each known format with something shaped like a result', () => {
    for (const format of ['html', 'json', 'markdown']) expect(parseExportRequest({ format, result }).format).toBe(format);
  });

  it('rejects other formats, extra or missing fields, and results of another schema or shape', () => {
    const bad: unknown[] = [
      null,
      [],
      'json',
      { format: 'pdf', result },
      { format: 'json' },
      { format: 'json', result, path: '/etc/passwd' },
      { format: 'json', result: { ...result, schemaVersion: SCHEMA_VERSION + 1 } },
      { format: 'json', result: { ...result, old: { file: 1 } } },
      { format: 'json', result: { ...result, new: null } },
      { format: 'json', result: [] },
    ];
    for (const value of bad) expect(() => parseExportRequest(value), JSON.stringify(value)).toThrow(UsageError);
  });
});

describe('parseRecentId', () => {
  it('accepts lower-case hex ids and nothing else', () => {
    expect(parseRecentId('0123abcdef')).toBe('0123abcdef');
    for (const value of ['', 'ABC', '../x', 'a'.repeat(129), 12, null, undefined]) expect(() => parseRecentId(value), String(value)).toThrow(UsageError);
  });
});
