import { describe, expect, it } from 'vitest';
import { parseEmbeddedResult, ReportDataError } from '../../renderer/src/data/embeddedResult.js';
import { serializeJsonForHtml } from '../../electron/report/htmlEscaping.js';
import { handmadeResult } from '../e2e/handmadeResult.js';
import { SCHEMA_VERSION } from '../../shared/model.js';

describe('parseEmbeddedResult', () => {
  it('reads back what the report writer embeds, escapes included', () => {
    const result = handmadeResult({
      properties: { changed: [{ name: '</script>', old: '\u2028', new: '<&>', oldLayer: '/system/build.prop', newLayer: '<!--' }], added: [], removed: [] },
    });
    expect(parseEmbeddedResult(serializeJsonForHtml(result))).toEqual(result);
  });

  it('explains invalid JSON, a different version and missing parts', () => {
    expect(() => parseEmbeddedResult('{')).toThrow(ReportDataError);
    expect(() => parseEmbeddedResult(JSON.stringify({ ...handmadeResult(), schemaVersion: SCHEMA_VERSION + 1 }))).toThrow(new RegExp(`version ${SCHEMA_VERSION + 1}`));
    const { files: _files, ...withoutFiles } = handmadeResult();
    expect(() => parseEmbeddedResult(JSON.stringify(withoutFiles))).toThrow(/files\.added/);
  });

  it('names each part of the verdict schema a report lacks, as a report from before the verdicts would', () => {
    const { features: _features, apps: _apps, settings: _settings, textDiffs: _textDiffs, ...rest } = handmadeResult();
    const older = { ...rest, old: { ...rest.old, partitions: undefined } };
    expect(() => parseEmbeddedResult(JSON.stringify(older))).toThrow(
      'The comparison data in this report is incomplete (missing or invalid: old.partitions, features, textDiffs, apps.added, apps.removed, apps.changed, settings.added, settings.removed, settings.changed, apps.profiles.old, apps.profiles.new, apps.permissionDeclarations.old, apps.permissionDeclarations.new).',
    );
  });

  it('names the app profiles and permission declarations a report from before the app detail view lacks', () => {
    const result = handmadeResult();
    const { profiles: _profiles, permissionDeclarations: _declarations, ...apps } = result.apps;
    expect(() => parseEmbeddedResult(JSON.stringify({ ...result, apps }))).toThrow(
      '(missing or invalid: apps.profiles.old, apps.profiles.new, apps.permissionDeclarations.old, apps.permissionDeclarations.new)',
    );
  });

  it('refuses a verdict without the states and evidence the cards show', () => {
    const result = handmadeResult();
    const broken = { ...result, features: [result.features[0], { id: 'x', title: 'X', old: { state: 'opt-in' }, new: { state: 'opt-in', evidence: [] } }] };
    expect(() => parseEmbeddedResult(JSON.stringify(broken))).toThrow(/features\[1\]\)/);
    expect(() => parseEmbeddedResult(JSON.stringify({ ...result, claims: {} }))).toThrow(/claims/);
  });
});
