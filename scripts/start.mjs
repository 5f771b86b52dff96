// `npm start` / `npm run dev` (--dev): builds, then runs the desktop app when Electron's binary is
// installed. Where it is not (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1), compares the sample
// pair with the CLI instead and writes report.html.
//
// Never `require('electron')` here: from plain Node that package downloads its binary when missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const development = process.argv.includes('--dev');
const DEV_HOST = '127.0.0.1';
const DEV_PORT = 5173;

runOrExit(process.execPath, [join(root, 'scripts/build.mjs')]);

const electronBinary = findElectronBinary();
if (electronBinary === null) {
  process.exit(compareSamples());
} else {
  process.exit(await runApp(electronBinary));
}

/** The path node_modules/electron would launch, or null when its binary was never downloaded. */
function findElectronBinary() {
  const packageDir = join(root, 'node_modules/electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = readFileSync(pathFile, 'utf8').trim();
  if (executable === '') return null;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist');
  const binary = join(distDir, executable);
  return existsSync(binary) ? binary : null;
}

function compareSamples() {
  console.log("OTA Lens: Electron's binary is not installed here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1); comparing the sample pair instead.");
  const report = join(root, 'report.html');
  rmSync(report, { force: true });
  const result = spawnSync(
    process.execPath,
    [join(root, 'bin/otalens'), 'compare', 'samples/sample-old.zip', 'samples/sample-new.zip', '--html', 'report.html'],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.error) {
    console.error(`OTA Lens: could not run the CLI: ${result.error.message}`);
    return 1;
  }
  if (result.status !== 0 || !existsSync(report)) {
    console.error(`OTA Lens: comparing the sample pair failed (exit code ${result.status ?? result.signal}).`);
    return result.status || 1;
  }
  console.log(report);
  return 0;
}

async function runApp(electronBinary) {
  const env = { ...process.env };
  let devServer = null;
  try {
    if (development) {
      devServer = spawn(join(root, 'node_modules/.bin/vite'),
        ['--config', 'renderer/vite.config.ts', '--host', DEV_HOST, '--port', String(DEV_PORT), '--strictPort'],
        { cwd: root, stdio: 'inherit' });
      await waitForPort(DEV_HOST, DEV_PORT, 30_000);
      env.OTALENS_DEV_SERVER_URL = `http://${DEV_HOST}:${DEV_PORT}/`;
    }
    const app = spawn(electronBinary, ['.'], { cwd: root, stdio: 'inherit', env });
    return await new Promise((resolve) => {
      app.on('error', (error) => {
        console.error(`OTA Lens: could not start Electron: ${error.message}`);
        resolve(1);
      });
      app.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
    });
  } catch (error) {
    console.error(`OTA Lens: ${error.message}`);
    return 1;
  } finally {
    devServer?.kill();
  }
}

function runOrExit(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status || 1);
}

async function waitForPort(host, port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(host, port)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the Vite dev server did not start on ${host}:${port} within ${timeoutMs / 1000} s`);
}

function canConnect(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
