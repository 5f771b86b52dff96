/**
 * electron-builder.yml against electron-builder itself (its schema validation and its own file
 * matcher) and against what `npm run build` really produced. Packaging needs Electron's binary,
 * which is not downloaded here, so this is the check that `npm run dist` would pack a working app.
 */
import { existsSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Configuration } from 'electron-builder';
import ts from 'typescript';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '../..');
const requireFromBuilder = createRequire(join(root, 'node_modules/app-builder-lib/package.json'));

interface ValidationModule {
  validateConfiguration(config: Configuration, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
}
interface FileMatcherModule {
  FileMatcher: new (from: string, to: string, macroExpander: (pattern: string) => string, patterns: string[]) => {
    createFilter(): (file: string, stat: Stats) => boolean;
  };
}

// electron-builder's own implementation, so the test judges the config exactly as `npm run dist` would.
const { validateConfiguration } = requireFromBuilder('./out/util/config/config.js') as ValidationModule;
const { FileMatcher } = requireFromBuilder('./out/fileMatcher.js') as FileMatcherModule;

const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Configuration;
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  productName: string;
  dependencies?: Record<string, string>;
};

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

const toPosix = (path: string): string => path.split(sep).join('/');

/** Static and dynamic import specifiers, found by TypeScript's own scanner rather than a regex. */
function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true).importedFiles.map((ref) => ref.fileName);
}

/** Every file of the build that electron-builder's `files` patterns would pack, relative to the root. */
let packed: Set<string>;
let built: string[];

beforeAll(() => {
  const distDir = join(root, 'dist');
  if (!existsSync(distDir)) throw new Error('dist/ is missing: run `npm run build` first (npm test does).');
  const filter = new FileMatcher(root, join(root, 'app'), (pattern) => pattern, config.files as string[]).createFilter();
  built = listFiles(distDir).map((file) => toPosix(relative(root, file)));
  const candidates = [...built, 'package.json', 'samples/sample-old.zip', 'electron/main.ts', 'test/unit/handlers.test.ts'];
  packed = new Set(candidates.filter((file) => filter(join(root, file), statSync(join(root, file)))));
});

describe('electron-builder.yml', () => {
  it('passes electron-builder\'s own schema validation', async () => {
    await expect(validateConfiguration(structuredClone(config), { isEnabled: false, add: () => {} })).resolves.toBeUndefined();
  });

  it('the validation really rejects a misspelt fuse (the check above can fail)', async () => {
    const broken = { ...structuredClone(config), electronFuses: { ...config.electronFuses, runAsnode: false } } as Configuration;
    await expect(validateConfiguration(broken, { isEnabled: false, add: () => {} })).rejects.toThrow(/electronFuses/);
  });

  it('identifies the app and writes to release/', () => {
    expect(config.appId).toBe('org.otalens.desktop');
    expect(config.productName).toBe('OTA Lens');
    expect(config.productName).toBe(packageJson.productName);
    expect(config.directories?.output).toBe('release');
    expect(config.asar).toBe(true);
    expect(config.publish).toBeNull();
  });

  it('locks the binary down with fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('targets AppImage and deb, NSIS, and dmg', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Development');
    expect(config.linux?.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.mac?.category).toBe('public.app-category.developer-tools');
  });
});

describe('files packed from the build', () => {
  it('include package.json and the entry point it names', () => {
    expect(existsSync(join(root, packageJson.main)), `${packageJson.main} was not built`).toBe(true);
    expect(packed).toContain('package.json');
    expect(packed).toContain(packageJson.main);
  });

  it('include the preload the window loads and the renderer page it serves', async () => {
    const { PRELOAD_PATH, RENDERER_DIR } = await import(join(root, 'dist/electron/appPaths.js')) as typeof import('../../electron/appPaths.js');
    expect(toPosix(relative(root, PRELOAD_PATH))).toBe('dist/electron/preload.cjs');
    expect(existsSync(PRELOAD_PATH)).toBe(true);
    expect(existsSync(join(RENDERER_DIR, 'index.html'))).toBe(true);
    expect(packed).toContain('dist/electron/preload.cjs');
    expect(packed).toContain('dist/renderer/index.html');
  });

  it('main.ts hands that preload path to the window', () => {
    const main = readFileSync(join(root, 'electron/main.ts'), 'utf8');
    expect(main).toMatch(/import \{[^}]*\bPRELOAD_PATH\b[^}]*\} from '\.\/appPaths\.js'/);
    expect(main).toMatch(/preloadPath: PRELOAD_PATH/);
  });

  it('include every built JavaScript file of the app and no source maps, declarations, sources, tests or samples', () => {
    const runtime = built.filter((file) => /\.(js|cjs|mjs|css|html)$/.test(file) && /^dist\/(electron|shared|renderer)\//.test(file));
    expect(runtime.length).toBeGreaterThan(10);
    expect(runtime.filter((file) => !packed.has(file))).toEqual([]);
    expect([...packed].filter((file) => /\.map$|\.d\.ts$|\.ts$|^samples\/|^test\//.test(file))).toEqual([]);
  });

  it('leave no relative import of a packed module pointing at a file that is not packed', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const file of [...packed].filter((f) => f.endsWith('.js'))) {
      for (const specifier of importsOf(file).filter((s) => s.startsWith('./') || s.startsWith('../'))) {
        checked += 1;
        const target = toPosix(relative(root, resolve(dirname(join(root, file)), specifier)));
        if (!packed.has(target)) missing.push(`${file} → ${specifier}`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('bare imports of the main-process code are Node built-ins, electron, or production dependencies', () => {
    const allowed = new Set([...builtinModules, 'electron', ...Object.keys(packageJson.dependencies ?? {})]);
    const unresolved: string[] = [];
    const seen = new Set<string>();
    for (const file of [...packed].filter((f) => f.startsWith('dist/electron/') && f.endsWith('.js'))) {
      for (const specifier of importsOf(file).filter((s) => !s.startsWith('.'))) {
        seen.add(specifier);
        const name = specifier.replace(/^node:/, '').split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
        if (!allowed.has(name)) unresolved.push(`${file} → ${specifier}`);
      }
    }
    expect(seen).toContain('electron');
    expect(seen).toContain('node:worker_threads');
    expect(unresolved).toEqual([]);
  });
});
