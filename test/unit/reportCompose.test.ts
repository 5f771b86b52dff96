import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { composeReportHtml, findAssetRefs, ReportTemplateError, type RendererBuild } from '../../electron/report/composeReport.js';
import { RendererBuildMissingError, renderHtmlReport } from '../../electron/report/htmlReport.js';
import { handmadeResult } from '../e2e/handmadeResult.js';

/** The shape Vite writes for renderer/index.html (see renderer/vite.config.ts). */
const VITE_INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'" />
    <title>OTA Lens</title>
    <script type="module" crossorigin src="./assets/index-abc.js"></script>
    <link rel="stylesheet" crossorigin href="./assets/style-def.css">
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>
`;

const BUILD: RendererBuild = {
  indexHtml: VITE_INDEX_HTML,
  // `$&` and `$'` would be expanded by String.replace; the bundle must arrive byte for byte.
  script: 'const s = "</script><!--"; const t = "$& $\' $1"; console.log(s, t);',
  style: 'body { color: red; }',
};

function between(html: string, open: string, close: string): string {
  const start = html.indexOf(open);
  expect(start, `missing ${open}`).toBeGreaterThanOrEqual(0);
  const end = html.indexOf(close, start + open.length);
  return html.slice(start + open.length, end);
}

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

describe('findAssetRefs', () => {
  it('finds the one script and stylesheet Vite links', () => {
    expect(findAssetRefs(VITE_INDEX_HTML)).toEqual({ scriptSrc: './assets/index-abc.js', styleHref: './assets/style-def.css' });
  });

  it('rejects the unbuilt source page, which loads TypeScript', () => {
    const source = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    expect(() => findAssetRefs(source)).toThrow(ReportTemplateError);
  });
});

describe('composeReportHtml', () => {
  const result = handmadeResult({
    old: { ...handmadeResult().old, file: 'old<b>&"x".zip' },
  });
  const html = composeReportHtml(BUILD, result);

  it('inlines the script (escaped) and the style, and links nothing', () => {
    expect(between(html, '<script type="module">', '</script>')).toBe(
      'const s = "<\\/script>\\x3C!--"; const t = "$& $\' $1"; console.log(s, t);',
    );
    expect(between(html, '<style>', '</style>')).toBe(BUILD.style);
    expect(html).not.toMatch(/\s(src|href)=/);
    expect(html).not.toContain("script-src 'self'");
  });

  it('has a policy that allows exactly the inline script and style, by hash', () => {
    const policy = between(html, '<meta http-equiv="Content-Security-Policy" content="', '"');
    const script = between(html, '<script type="module">', '</script>');
    expect(policy.split('; ')).toEqual([
      "default-src 'none'",
      `script-src 'sha256-${sha256Base64(script)}'`,
      `style-src 'sha256-${sha256Base64(BUILD.style)}'`,
      'img-src data:',
      "base-uri 'none'",
      "form-action 'none'",
    ]);
    expect(html.match(/Content-Security-Policy/g)).toHaveLength(1);
  });

  it('embeds the result as JSON that parses back to the same value', () => {
    const json = between(html, '<script type="application/json" id="otalens-report">', '</script>');
    expect(JSON.parse(json)).toEqual(result);
  });

  it('titles the page with both file names, escaped', () => {
    expect(between(html, '<title>', '</title>')).toBe('OTA Lens report: old&lt;b&gt;&amp;&quot;x&quot;.zip → handmade-new.zip');
  });

  it('is the same for the same input', () => {
    expect(composeReportHtml(BUILD, structuredClone(result))).toBe(html);
  });

  it('refuses a page that is not a Vite build of the renderer', () => {
    const noScript = VITE_INDEX_HTML.replace(/<script[^]*?<\/script>/, '');
    expect(() => composeReportHtml({ ...BUILD, indexHtml: noScript }, result)).toThrow(ReportTemplateError);
  });
});

describe('renderHtmlReport', () => {
  it('says to build first when the renderer build is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'otalens-no-renderer-'));
    try {
      const rendering = renderHtmlReport(handmadeResult(), { rendererDir: pathToFileURL(`${empty}/`) });
      await expect(rendering).rejects.toThrow(RendererBuildMissingError);
      await expect(rendering).rejects.toThrow(/npm run build/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
