import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { composeReportHtml, findAssetRefs, type ReportData } from './composeReport.js';

/** This module runs as dist/electron/report/htmlReport.js; the renderer build sits in dist/renderer/. */
const DEFAULT_RENDERER_DIR = new URL('../../renderer/', import.meta.url);

/** The renderer has not been built next to this module, so there is no viewer to embed. */
export class RendererBuildMissingError extends Error {
  override readonly name = 'RendererBuildMissingError';
  readonly rendererDir: string;

  constructor(rendererDir: string, missingFile: string, cause: unknown) {
    super(`The report viewer is not built (cannot read ${missingFile}). Run npm run build first.`, { cause });
    this.rendererDir = rendererDir;
  }
}

export interface HtmlReportOptions {
  /** Folder holding the built renderer (index.html and assets); defaults to dist/renderer. */
  rendererDir?: URL;
}

/**
 * Renders a comparison (or a timeline) as one self-contained HTML file that shows it with the app's own React
 * viewer, loads nothing from anywhere, and is byte-for-byte the same for the same result.
 */
export async function renderHtmlReport(result: ReportData, options: HtmlReportOptions = {}): Promise<string> {
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  const indexHtml = await readBuiltFile(rendererDir, 'index.html');
  const refs = findAssetRefs(indexHtml);
  const [script, style] = await Promise.all([
    readBuiltFile(rendererDir, refs.scriptSrc),
    readBuiltFile(rendererDir, refs.styleHref),
  ]);
  return composeReportHtml({ indexHtml, script, style }, result);
}

async function readBuiltFile(rendererDir: URL, relativePath: string): Promise<string> {
  const location = new URL(relativePath, rendererDir);
  if (!location.href.startsWith(rendererDir.href)) {
    throw new RendererBuildMissingError(fileURLToPath(rendererDir), relativePath, new Error('path leaves the renderer folder'));
  }
  try {
    return await readFile(location, 'utf8');
  } catch (error) {
    throw new RendererBuildMissingError(fileURLToPath(rendererDir), fileURLToPath(location), error);
  }
}
