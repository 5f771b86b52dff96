import { describe, expect, it } from 'vitest';
import { parseEmbeddedResult, ReportDataError } from '../../renderer/src/data/embeddedResult.js';
import { serializeJsonForHtml } from '../../electron/report/htmlEscaping.js';
import { handmadeResult } from '../e2e/handmadeResult.js';

describe('parseEmbeddedResult', () => {
  it('reads back what the report writer embeds, escapes included', () => {
    const result = handmadeResult({
      properties: { changed: [{ name: '</script>', old: '\u2028', new: '<&>' }], added: [], removed: [] },
    });
    expect(parseEmbeddedResult(serializeJsonForHtml(result))).toEqual(result);
  });

  it('explains invalid JSON, a different version and missing parts', () => {
    expect(() => parseEmbeddedResult('{')).toThrow(ReportDataError);
    expect(() => parseEmbeddedResult(JSON.stringify({ ...handmadeResult(), schemaVersion: 2 }))).toThrow(/version 2/);
    const { files: _files, ...withoutFiles } = handmadeResult();
    expect(() => parseEmbeddedResult(JSON.stringify(withoutFiles))).toThrow(/files\.added/);
  });
});
