// The batch recipes of docs/batch.md, run as written: GNU parallel over a package list, and the
// Kubernetes Indexed Job's command for a given index (the manifest's own script and variables, with
// its volumes replaced by folders here). Their output is held to `otalens inventory --json` and to
// gzip itself.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT, toolOutput } from '../support/oracles.js';

const SCENARIOS = join(REPO_ROOT, 'test/fixtures/scenarios/file-ota');
const PACKAGES = ['literal-on-4.7.4.zip', 'literal-off-4.7.11.zip'];
const temp = mkdtempSync(join(tmpdir(), 'otalens-batch-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
/** otalens on the PATH, as the image has it. */
const env = { ...process.env, PATH: `${join(REPO_ROOT, 'bin')}:${process.env['PATH'] ?? ''}` };
const inventoryJson = (pkg: string): string => spawnSync(join(REPO_ROOT, 'bin/otalens'), ['inventory', pkg, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;

function firmwareFolder(name: string): string {
  const folder = join(temp, name);
  mkdirSync(folder, { recursive: true });
  for (const pkg of PACKAGES) copyFileSync(join(SCENARIOS, pkg), join(folder, pkg));
  writeFileSync(join(folder, 'broken.zip'), 'not a zip at all');
  return folder;
}

describe('GNU parallel on one host (docs/batch/inventory-parallel.sh)', () => {
  it('writes one gzip inventory per readable package, lists the unreadable one with its reason, and resumes', () => {
    const firmware = firmwareFolder('parallel-firmware');
    const list = join(temp, 'packages.txt');
    writeFileSync(list, [...PACKAGES, 'broken.zip'].map((name) => join(firmware, name)).join('\n') + '\n');
    const out = join(temp, 'parallel-out');
    const script = join(REPO_ROOT, 'docs/batch/inventory-parallel.sh');
    const first = spawnSync('sh', [script, list, out, '2'], { env, encoding: 'utf8' });
    expect(first.status, first.stderr).toBe(1); // one package failed, the others are done
    for (const pkg of PACKAGES) {
      expect(toolOutput('gzip', ['-dc', join(out, `${pkg}.json.gz`)]).toString('utf8'), pkg).toBe(inventoryJson(join(firmware, pkg)));
    }
    expect(existsSync(join(out, 'broken.zip.json.gz'))).toBe(false);
    expect(readFileSync(join(out, 'errors/broken.zip.txt'), 'utf8')).toMatch(/^otalens: broken\.zip: /);
    expect(readdirSync(out).filter((name) => name.includes('.partial.'))).toEqual([]);
    const log = readFileSync(join(out, 'inventory.log'), 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t'));
    expect(log.map((fields) => [fields[6], fields.at(-1)?.includes('broken.zip')]).sort()).toEqual([['0', false], ['0', false], ['2', true]]);
    // Run again: only the failed one is tried again.
    const again = spawnSync('sh', [script, list, out, '2'], { env, encoding: 'utf8' });
    expect(again.status).toBe(1);
    expect(readFileSync(join(out, 'inventory.log'), 'utf8').trim().split('\n')).toHaveLength(1 + 3 + 1);
  });
});

describe('Kubernetes Indexed Job (docs/batch/otalens-inventory-job.yaml)', () => {
  const manifest = parseYaml(readFileSync(join(REPO_ROOT, 'docs/batch/otalens-inventory-job.yaml'), 'utf8')) as {
    kind: string;
    spec: { completionMode: string; template: { spec: { restartPolicy: string; containers: { image: string; command: string[]; args: string[]; env: { name: string; value: string }[] }[] } } };
  };
  const container = manifest.spec.template.spec.containers[0];
  if (container === undefined) throw new Error('the Job has no container');

  it('is an Indexed Job whose container runs one shell script', () => {
    expect(manifest.kind).toBe('Job');
    expect(manifest.spec.completionMode).toBe('Indexed');
    expect(manifest.spec.template.spec.restartPolicy).toBe('Never');
    expect(container.command).toEqual(['sh', '-c']);
    expect(container.env.map((variable) => variable.name).sort()).toEqual(['FIRMWARE_DIR', 'INVENTORY_DIR', 'PACKAGE_LIST']);
  });

  it('index i inventories line i + 1, skips a finished one, and fails its index for an unreadable package', () => {
    const firmware = firmwareFolder('job-firmware');
    const inventories = join(temp, 'job-out');
    mkdirSync(inventories);
    const list = join(temp, 'job-packages.txt');
    writeFileSync(list, [...PACKAGES, 'broken.zip'].join('\n') + '\n');
    const runIndex = (index: number) =>
      spawnSync('sh', ['-c', container.args[0] ?? ''], { env: { ...env, JOB_COMPLETION_INDEX: String(index), FIRMWARE_DIR: firmware, INVENTORY_DIR: inventories, PACKAGE_LIST: list }, encoding: 'utf8' });
    expect(runIndex(1).status).toBe(0);
    expect(readdirSync(inventories)).toEqual([`${PACKAGES[1]}.json.gz`]);
    expect(toolOutput('gzip', ['-dc', join(inventories, `${PACKAGES[1]}.json.gz`)]).toString('utf8')).toBe(inventoryJson(join(firmware, PACKAGES[1] as string)));
    const skipped = runIndex(1);
    expect([skipped.status, skipped.stdout, skipped.stderr]).toEqual([0, '', '']);
    const broken = runIndex(2);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/^otalens: broken\.zip: /);
    expect(runIndex(3)).toMatchObject({ status: 1, stderr: expect.stringContaining(`no line 4 in ${list}`) });
    expect(readdirSync(inventories)).toEqual([`${PACKAGES[1]}.json.gz`]);
  });
});
