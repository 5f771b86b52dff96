/**
 * Where the running app finds its own files. Resolved from this module's compiled location,
 * dist/electron/appPaths.js, which is also where it sits inside the packaged app.asar.
 */
import { fileURLToPath } from 'node:url';

/** Bundled by scripts/build.mjs next to main.js. */
export const PRELOAD_PATH = fileURLToPath(new URL('./preload.cjs', import.meta.url));

/** Vite's output, served under app://otalens/. */
export const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));
