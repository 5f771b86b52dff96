import { createHash } from 'node:crypto';
import { sortKeys } from '../../shared/canonicalJson.js';
import type { ComparisonResult } from '../../shared/model.js';
import { REPORT_DATA_ELEMENT_ID, reportTitle, timelineTitle } from '../../shared/report.js';
import type { TimelineResult } from '../../shared/timeline.js';
import { checkInlineStyle, escapeHtmlText, escapeInlineScript, serializeJsonForHtml } from './htmlEscaping.js';


/** The built renderer page and the two files it loads. */
export interface RendererBuild {
  /** dist/renderer/index.html as Vite wrote it. */
  indexHtml: string;
  script: string;
  style: string;
}

/** Where the built index.html loads its one script and one stylesheet from. */
export interface RendererAssetRefs {
  scriptSrc: string;
  styleHref: string;
}

/** The built index.html does not have the shape the report needs (a stale or foreign build). */
export class ReportTemplateError extends Error {
  override readonly name = 'ReportTemplateError';
}

const SCRIPT_TAG = /<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"[^>]*><\/script>\s*/g;
const STYLESHEET_TAG = /<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"[^>]*>\s*/g;
const CSP_META = /<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g;
const TITLE = /<title>[^<]*<\/title>/g;

/** Finds the one module script and the one stylesheet Vite linked; anything else is not our build. */
export function findAssetRefs(indexHtml: string): RendererAssetRefs {
  const scriptSrc = single(indexHtml, SCRIPT_TAG, 'module <script src>')[1];
  const styleHref = single(indexHtml, STYLESHEET_TAG, 'stylesheet <link>')[1];
  if (scriptSrc === undefined || !scriptSrc.endsWith('.js') || styleHref === undefined || !styleHref.endsWith('.css')) {
    throw new ReportTemplateError(
      `index.html loads ${scriptSrc ?? '?'} and ${styleHref ?? '?'}, not a built .js and .css: run npm run build.`,
    );
  }
  return { scriptSrc, styleHref };
}

/** What a static report shows: a comparison of two builds, or a timeline of many. */
export type ReportData = ComparisonResult | TimelineResult;

function titleOf(data: ReportData): string {
  return 'kind' in data && data.kind === 'timeline' ? timelineTitle(data.builds.map((build) => build.file)) : reportTitle((data as ComparisonResult).old.file, (data as ComparisonResult).new.file);
}

/**
 * One self-contained HTML document: the renderer's script and style inline, the comparison (or
 * timeline) as JSON data, and a policy that allows exactly those two inline blocks and nothing else
 * to load. The same input always gives the same bytes, its keys sorted as in `--json`, so a result
 * read from saved inventories embeds exactly as one read from the packages.
 */
export function composeReportHtml(build: RendererBuild, result: ReportData): string {
  const script = escapeInlineScript(build.script);
  const style = checkInlineStyle(build.style);
  const policy = [
    "default-src 'none'",
    `script-src ${cspHash(script)}`,
    `style-src ${cspHash(style)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = titleOf(result);

  let html = build.indexHtml;
  for (const pattern of [CSP_META, SCRIPT_TAG, STYLESHEET_TAG]) html = replaceSingle(html, pattern, '');
  html = replaceSingle(html, TITLE, `<title>${escapeHtmlText(title)}</title>`);
  html = insertAfter(html, '<meta charset="utf-8" />', `\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
  html = insertBefore(html, '</head>', `  <style>${style}</style>\n  `);
  html = insertBefore(
    html,
    '</body>',
    `  <script type="application/json" id="${REPORT_DATA_ELEMENT_ID}">${serializeJsonForHtml(sortKeys(result))}</script>\n` +
      `    <script type="module">${script}</script>\n  `,
  );
  return html;
}

/** A CSP source matching an inline block whose text is exactly `content`. */
export function cspHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
}

function single(html: string, pattern: RegExp, what: string): RegExpExecArray {
  const matches = [...html.matchAll(pattern)];
  const [first] = matches;
  if (matches.length !== 1 || first === undefined) {
    throw new ReportTemplateError(`index.html should contain exactly one ${what}, found ${matches.length}: run npm run build.`);
  }
  return first;
}

// Slicing rather than String.replace: the inserted text is a bundle full of `$&`-like sequences.
function replaceSingle(html: string, pattern: RegExp, replacement: string): string {
  const match = single(html, pattern, pattern.source);
  return html.slice(0, match.index) + replacement + html.slice(match.index + match[0].length);
}

function insertAfter(html: string, marker: string, addition: string): string {
  const at = markerIndex(html, marker) + marker.length;
  return html.slice(0, at) + addition + html.slice(at);
}

function insertBefore(html: string, marker: string, addition: string): string {
  const at = markerIndex(html, marker);
  return html.slice(0, at) + addition + html.slice(at);
}

function markerIndex(html: string, marker: string): number {
  const index = html.indexOf(marker);
  if (index < 0 || html.indexOf(marker, index + 1) >= 0) {
    throw new ReportTemplateError(`index.html should contain ${marker} exactly once: run npm run build.`);
  }
  return index;
}
