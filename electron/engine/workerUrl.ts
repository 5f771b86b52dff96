/**
 * The compiled worker script next to a module. Run from TypeScript source (tests), the worker must
 * still be the compiled file in dist/, since worker threads do not load .ts.
 */
export function compiledWorkerUrl(moduleUrl: string, engineRelativeJs: string): URL {
  if (!moduleUrl.endsWith('.ts')) return new URL(engineRelativeJs, moduleUrl);
  const sourceEngine = moduleUrl.slice(0, moduleUrl.lastIndexOf('/electron/engine/') + '/electron/engine/'.length);
  const moduleInEngine = moduleUrl.slice(sourceEngine.length);
  const distEngine = `${sourceEngine.slice(0, -'electron/engine/'.length)}dist/electron/engine/`;
  return new URL(engineRelativeJs, new URL(moduleInEngine.replace(/\.ts$/, '.js'), distEngine));
}
