// APKs parsed per second into the full app model (manifest, resources, preferences, signers with
// every signature verified), on the APK fixtures and a third-party APK, next to the time `aapt
// dump badging` and `apksigner verify` take for the same files. Run after `npm run build`:
//
//   node bench/apk.mjs [--rounds 50]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '50' } } });
const rounds = Number(values.rounds);
const { readApk } = await import('../dist/electron/engine/android/apkReader.js');
const { FileByteSource } = await import('../dist/electron/engine/io/byteSource.js');

function thirdPartyApk() {
  const cache = join(tmpdir(), 'otalens-test-cache', 'io.appium.settings-8.0.10');
  const apk = join(cache, 'package', 'apks', 'settings_apk-debug.apk');
  if (existsSync(apk)) return apk;
  mkdirSync(cache, { recursive: true });
  execFileSync('npm', ['pack', 'io.appium.settings@8.0.10', '--pack-destination', cache, '--silent'], { cwd: cache });
  execFileSync('tar', ['-xzf', join(cache, 'io.appium.settings-8.0.10.tgz'), '-C', cache]);
  return apk;
}

const fixtures = new URL('../test/fixtures/apk/', import.meta.url).pathname;
const apks = [...readdirSync(fixtures).filter((name) => name.endsWith('.apk') && name !== 'framework-res.apk').map((name) => join(fixtures, name)), thirdPartyApk()];

const parse = async (apk) => readApk(await FileByteSource.open(apk, basename(apk)), { file: apk });
for (const apk of apks) await parse(apk); // warm up the JIT

console.log(`${'APK'.padEnd(28)} ${'OTA Lens full model'.padStart(20)} ${'aapt dump badging'.padStart(20)} ${'apksigner verify'.padStart(20)}`);
for (const apk of apks) {
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) await parse(apk);
  const ours = (performance.now() - t0) / rounds;
  const aaptRounds = Math.max(3, Math.floor(rounds / 10));
  const t1 = performance.now();
  for (let i = 0; i < aaptRounds; i++) execFileSync('aapt', ['dump', 'badging', apk], { stdio: ['ignore', 'ignore', 'ignore'] });
  const aapt = (performance.now() - t1) / aaptRounds;
  const t2 = performance.now();
  for (let i = 0; i < 3; i++) execFileSync('apksigner', ['verify', apk], { stdio: ['ignore', 'ignore', 'ignore'] });
  const apksigner = (performance.now() - t2) / 3;
  const rate = (ms) => `${ms.toFixed(2)} ms (${(1000 / ms).toFixed(0)}/s)`.padStart(20);
  console.log(`${basename(apk).padEnd(28)} ${rate(ours)} ${rate(aapt)} ${rate(apksigner)}`);
}
