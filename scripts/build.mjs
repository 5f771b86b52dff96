// Builds everything the CLI, the Electron app and the static report need into dist/:
//   dist/electron, dist/shared   Node code (tsc)
//   dist/electron/preload.cjs    the sandboxed preload, bundled to CommonJS (esbuild)
//   dist/renderer                the React bundle (Vite)
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build: ${[command, ...args].join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
run(bin('tsc'), ['-p', 'tsconfig.node.json']);
await esbuild({
  absWorkingDir: root,
  entryPoints: ['electron/preload.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  outfile: 'dist/electron/preload.cjs',
  logLevel: 'warning',
});
run(bin('vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
