// The built engine a bench measures: this checkout's dist/ or --engine DIST_DIR (another build,
// e.g. main's, to set two side by side). Exits with a hint when it is not built.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The engine folder from --engine (or dist/), checked to hold `module` (a path under electron/engine/). */
export function engineDistOf(option, module) {
  const engineDist = resolve(option ?? fileURLToPath(new URL('../../dist', import.meta.url)));
  if (!existsSync(join(engineDist, 'electron/engine', module))) {
    console.error(`no built engine in ${engineDist}: run \`npm run build\` first (or pass --engine DIST_DIR)`);
    process.exit(1);
  }
  return engineDist;
}
