// The built modules in dist/, exactly what ships, typed by their sources so the tests typecheck
// before a build. `npm test` builds first.
import { existsSync } from 'node:fs';

const DIST = new URL('../../dist/', import.meta.url);

async function importBuilt<T>(path: string): Promise<T> {
  const url = new URL(path, DIST);
  if (!existsSync(url)) throw new Error(`${url.pathname} is missing: run \`npm run build\` first (npm test does).`);
  return (await import(url.href)) as T;
}

export const builtHandlers = (): Promise<typeof import('../../electron/handlers.js')> => importBuilt('electron/handlers.js');
export const builtCompare = (): Promise<typeof import('../../electron/engine/compare.js')> => importBuilt('electron/engine/compare.js');
export const builtHtmlReport = (): Promise<typeof import('../../electron/report/htmlReport.js')> => importBuilt('electron/report/htmlReport.js');
export const builtTimeline = (): Promise<typeof import('../../electron/engine/timeline.js')> => importBuilt('electron/engine/timeline.js');
export const builtRules = (): Promise<typeof import('../../electron/engine/rules/loadFeatureRules.js')> => importBuilt('electron/engine/rules/loadFeatureRules.js');
