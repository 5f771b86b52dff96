/**
 * Isolation: an app whose parsing exhausts the worker's heap, never ends, or kills its worker is
 * that app's problem; the pool replaces the worker and every other app of the package is read.
 * The hostile worker (test/fuzz/workers/hostileAppWorker.mjs) parses other apps with the built
 * parser, so this test needs dist/ (npm test builds first).
 */
import { readFileSync } from 'node:fs';
import AdmZip from 'adm-zip';
import { afterEach, describe, expect, it } from 'vitest';
import { AppParserPool } from '../../electron/engine/inventory/appParserPool.js';
import { buildInventory } from '../../electron/engine/inventory/buildInventory.js';
import { REPO_ROOT } from '../support/oracles.js';

const HOSTILE_WORKER = new URL('../fuzz/workers/hostileAppWorker.mjs', import.meta.url);
const PACKAGE = `${REPO_ROOT}test/fixtures/scenarios/file-ota/literal-on-4.7.4.zip`;
const APKS = new AdmZip(PACKAGE)
  .getEntries()
  .map((entry) => entry.entryName)
  .filter((name) => name.endsWith('.apk'))
  .map((name) => `/${name}`);

let pool: AppParserPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

function hostilePool(size: number): AppParserPool {
  pool = new AppParserPool({ size, workerUrl: HOSTILE_WORKER, heapMb: 32, timeBudgetMs: 3_000 });
  return pool;
}

describe('the app parser pool under hostile apps', () => {
  it('fails only the app whose worker ran out of heap, hung or died, and keeps parsing', async () => {
    const parsers = hostilePool(1);
    const apk = readFileSync(PACKAGE); // any bytes: the hostile paths never look at them
    const oom = parsers.parse(Buffer.from(apk.subarray(0, 64)), '/system/app/Calendar/Calendar.apk');
    const hang = parsers.parse(Buffer.from(apk.subarray(0, 64)), '/system/app/Weather/Weather.apk');
    const exit = parsers.parse(Buffer.from(apk.subarray(0, 64)), '/system/app/FindDevice/FindDevice.apk');
    const mmsBytes = new AdmZip(PACKAGE).getEntry('system/priv-app/Mms/Mms.apk')!.getData();
    const ok = parsers.parse(mmsBytes, '/system/priv-app/Mms/Mms.apk');
    await expect(oom).rejects.toThrow('the app parser ran out of memory (limit 32 MB)');
    await expect(hang).rejects.toThrow('the app parser took longer than 3 s and was stopped');
    await expect(exit).rejects.toThrow('the app parser stopped (exit code 9)');
    const result = await ok;
    expect(result.error).toBeNull();
    expect(result.app?.package).toBe('com.android.mms');
  }, 60_000);

  it('an inventory reports each hostile app as that app\'s problem and reads all the others', async () => {
    const { inventory } = await buildInventory(PACKAGE, { pool: hostilePool(2) });
    const problemPaths = inventory.problems.filter((problem) => problem.message.startsWith('app not read: parser failed')).map((problem) => problem.path);
    expect(problemPaths.sort()).toEqual(['/system/app/Calendar/Calendar.apk', '/system/app/FindDevice/FindDevice.apk', '/system/app/Weather/Weather.apk']);
    expect(inventory.apps.map((app) => app.path).sort()).toEqual([...APKS].sort());
    const readApps = inventory.apps.filter((app) => app.app !== null).map((app) => app.path).sort();
    expect(readApps).toEqual(APKS.filter((path) => !problemPaths.includes(path)).sort());
    expect(readApps).toHaveLength(APKS.length - 3);
  }, 60_000);
});
