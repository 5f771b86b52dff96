/**
 * Fuzzes whole packages end to end: format detection, container, partition, file system, every
 * app and config file, through buildInventory (what `otalens inventory` and comparisons run). A
 * broken part may become a problem or an InputError, never another exception or a hang.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { buildInventory } from '../../electron/engine/inventory/buildInventory.js';
import { fuzz, FUZZ_TEST_TIMEOUT, fuzzRuns } from './harness.js';
import { fixture } from './seeds.js';

const temp = mkdtempSync(join(tmpdir(), 'otalens-fuzz-packages-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function inventoryOf(name: string) {
  const path = join(temp, name);
  return async (input: Buffer): Promise<void> => {
    writeFileSync(path, input);
    await buildInventory(path, { pool: null });
  };
}

describe('fuzzing whole packages through the inventory', () => {
  it('file-based OTA zip', async () => {
    const seed = fixture('scenarios/file-ota/literal-on-4.7.4.zip');
    await fuzz({ parse: inventoryOf('file-ota.zip'), timeoutMs: 20_000 }, seed, { runs: fuzzRuns(40) });
  }, FUZZ_TEST_TIMEOUT);

  it('factory tgz with sparse and raw images', async () => {
    await fuzz({ parse: inventoryOf('factory.tgz'), timeoutMs: 20_000 }, fixture('factory/example-fastboot-1234.tgz'), { runs: fuzzRuns(20) });
  }, FUZZ_TEST_TIMEOUT);

  it('A/B OTA with payload.bin (header and manifest region)', async () => {
    const seed = fixture('scenarios/ab-erofs/literal-on-4.7.4.zip');
    await fuzz({ parse: inventoryOf('ab-ota.zip'), timeoutMs: 30_000 }, seed, { runs: fuzzRuns(40), focus: 8192 });
  }, FUZZ_TEST_TIMEOUT);
});
