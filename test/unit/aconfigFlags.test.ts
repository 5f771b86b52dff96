// aconfig flags as a build ships them, read field by field and held to independent decoders: protoc
// (Debian's protobuf-compiler) with the parsed_flags schema for the protobufs, and a Python reader
// that looks each flag up through the storage files' hash tables. The fixtures
// (scripts/fixtures/build-aconfig.mjs) are the flag lists in flags.json.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FeatureFlag } from '../../shared/flags.js';
import { parseAconfigFlagsPb } from '../../electron/engine/config/aconfigFlags.js';
import { parseAconfigStorage, type StorageFileName } from '../../electron/engine/config/aconfigStorage.js';
import { readBuildFlags } from '../../electron/engine/config/buildFlags.js';
import { buildInventory } from '../../electron/engine/inventory/buildInventory.js';
import { expectInputError } from '../support/inputError.js';
import { REPO_ROOT, run, runWithInput, sha256 } from '../support/oracles.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/aconfig');
const TREE = join(FIXTURES, 'tree');
const PROTOS = ['/system/etc/aconfig_flags.pb', '/vendor/etc/aconfig_flags.pb'];
const STORAGE = ['/system/etc/aconfig', '/vendor/etc/aconfig'];
const STORAGE_FILES: StorageFileName[] = ['package.map', 'flag.map', 'flag.val', 'flag.info'];
const temp = mkdtempSync(join(tmpdir(), 'otalens-aconfig-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface DecodedFlag {
  package?: string;
  name?: string;
  namespace?: string;
  description?: string;
  state?: string;
  permission?: string;
  is_fixed_read_only?: string;
  container?: string;
}

/** protoc's text format of parsed_flags → one record per parsed_flag with its scalar fields (nested messages skipped). */
function protocDecode(path: string): DecodedFlag[] {
  const text = runWithInput('protoc', [`--proto_path=${FIXTURES}`, '--decode=android.aconfig.parsed_flags', join(FIXTURES, 'aconfig.proto')], readFileSync(path));
  const flags: DecodedFlag[] = [];
  let depth = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.endsWith('{')) {
      if (depth === 0) flags.push({});
      depth++;
    } else if (trimmed === '}') depth--;
    else if (depth === 1 && trimmed !== '') {
      const [, key = '', value = ''] = /^(\w+): (.*)$/.exec(trimmed) ?? [];
      (flags.at(-1) as Record<string, string>)[key] = value.startsWith('"') ? (JSON.parse(value) as string) : value;
    }
  }
  return flags;
}

const bytesOf = (devicePath: string) => readFileSync(join(TREE, devicePath));

describe('aconfig_flags.pb (parsed_flags)', () => {
  it.each(PROTOS)('%s: every parsed_flag as protoc decodes it', (devicePath) => {
    const decoded = protocDecode(join(TREE, devicePath));
    const { flags, problems } = parseAconfigFlagsPb(bytesOf(devicePath), devicePath);
    expect(problems).toEqual([]);
    expect(decoded.length).toBeGreaterThan(1);
    expect(flags.map((flag) => ({
      package: flag.package,
      name: flag.name,
      namespace: flag.namespace,
      description: flag.description,
      state: flag.state?.toUpperCase(),
      permission: flag.permission?.toUpperCase().replace('-', '_'),
      is_fixed_read_only: flag.fixedReadOnly === true ? 'true' : undefined,
      container: flag.container ?? undefined,
    }))).toEqual(decoded.map((flag) => ({
      package: flag.package,
      name: `${flag.package}.${flag.name}`,
      namespace: flag.namespace,
      description: flag.description,
      state: flag.state,
      permission: flag.permission,
      is_fixed_read_only: flag.is_fixed_read_only === 'true' ? 'true' : undefined,
      container: flag.container,
    })));
    for (const flag of flags) expect(flag).toMatchObject({ source: 'aconfig', file: devicePath });
  });

  it('is a typed error with the offset when cut short, and a problem per flag without a name', async () => {
    const bytes = bytesOf(PROTOS[0] as string);
    const cut = bytes.subarray(0, bytes.length - 7);
    const error = await expectInputError(Promise.resolve().then(() => parseAconfigFlagsPb(cut, '/system/etc/aconfig_flags.pb')));
    expect(error.message).toMatch(/^\/system\/etc\/aconfig_flags\.pb: aconfig_flags\.pb at offset \d+: .*(runs past|truncated)/);
    // A parsed_flag holding only a namespace (field 3): no package, no name.
    const nameless = Buffer.concat([bytes, Buffer.from([0x0a, 0x05, 0x1a, 0x03, 0x61, 0x62, 0x63])]);
    const parsed = parseAconfigFlagsPb(nameless, '/x/etc/aconfig_flags.pb');
    expect(parsed.flags).toHaveLength(protocDecode(join(TREE, PROTOS[0] as string)).length);
    expect(parsed.problems).toEqual([{ path: '/x/etc/aconfig_flags.pb', message: expect.stringMatching(/^parsed_flag 5 \(at offset \d+\) left out: it has no package$/) }]);
  });
});

/** The Python reader's view of one storage folder. */
function oracleStorage(folder: string): { package: string; name: string; value: boolean; storedType: number; readWrite: boolean }[] {
  return JSON.parse(run('python3', [join(REPO_ROOT, 'test/support/aconfig_storage_oracle.py'), join(TREE, folder)])) as never;
}

function storageOf(folder: string, change?: (files: Record<StorageFileName, Buffer>) => void): ReturnType<typeof parseAconfigStorage> {
  const files = Object.fromEntries(STORAGE_FILES.map((name) => [name, bytesOf(`${folder}/${name}`)])) as Record<StorageFileName, Buffer>;
  change?.(files);
  return parseAconfigStorage({ folder, files });
}

describe('aconfig flag storage (package.map, flag.map, flag.val, flag.info)', () => {
  it.each(STORAGE)('%s: every flag as a reader following the hash tables finds it', (folder) => {
    const { flags, problems } = storageOf(folder);
    expect(problems).toEqual([]);
    const expected = oracleStorage(folder);
    expect(expected.length).toBeGreaterThan(0);
    const stored = ['read-write', 'read-only', 'read-only'];
    expect(flags.map((flag) => ({ name: flag.name, state: flag.state, permission: flag.permission, fixed: flag.fixedReadOnly === true })).sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual(
      expected.map((flag) => ({ name: `${flag.package}.${flag.name}`, state: flag.value ? 'enabled' : 'disabled', permission: stored[flag.storedType], fixed: flag.storedType === 2 })),
    );
    for (const flag of expected) expect(flag.readWrite).toBe(flag.storedType === 0);
    // The container each file's header names.
    const truth = JSON.parse(readFileSync(join(FIXTURES, 'flags.json'), 'utf8')) as { storage: Record<string, { container: string }> };
    for (const flag of flags) expect(flag.container).toBe(truth.storage[folder]?.container);
  });

  it('refuses a file of another type, another version, a wrong size or cut short, naming the file and offset', () => {
    const swap = (from: StorageFileName, to: StorageFileName) => storageOf('/system/etc/aconfig', (files) => {
      files[to] = files[from];
    });
    expect(() => swap('flag.map', 'package.map')).toThrow(/^\/system\/etc\/aconfig\/package\.map: aconfig package\.map at offset \d+: file type 1 \(expected 0 \(a package\.map file\)\)$/);
    expect(() => storageOf('/system/etc/aconfig', (files) => {
      const copy = Buffer.from(files['flag.val']);
      copy.writeUInt32LE(3, 0);
      files['flag.val'] = copy;
    })).toThrow(/flag\.val at offset 0: storage file version 3 \(expected version 1 or 2\)/);
    expect(() => storageOf('/system/etc/aconfig', (files) => {
      files['flag.map'] = files['flag.map'].subarray(0, files['flag.map'].length - 3);
    })).toThrow(/flag\.map at offset \d+: the header says the file has \d+ bytes, it has \d+/);
    const missing = parseAconfigStorage({ folder: '/system/etc/aconfig', files: { 'package.map': bytesOf('/system/etc/aconfig/package.map') } });
    expect(missing).toEqual({ flags: [], problems: [{ path: '/system/etc/aconfig', message: 'flag storage not read: flag.map, flag.val missing' }] });
  });
});

describe('a build\'s flags', () => {
  const truth = JSON.parse(readFileSync(join(FIXTURES, 'flags.json'), 'utf8')) as {
    protobufs: Record<string, { package: string; name: string; state: string; permission: string }[]>;
    deviceConfig: { file: string; property: string; value: string }[];
  };

  it('reads every flag of the unpacked tree once, with the device-config defaults of its property files', async () => {
    const { inventory } = await buildInventory(TREE, { pool: null });
    expect(inventory.problems).toEqual([]);
    const aconfig = inventory.flags.filter((flag) => flag.source === 'aconfig');
    const declared = Object.entries(truth.protobufs).flatMap(([file, flags]) => flags.map((flag) => ({ name: `${flag.package}.${flag.name}`, file, state: flag.state.toLowerCase(), permission: flag.permission.toLowerCase().replace('_', '-') })));
    expect(aconfig.map(({ name, file, state, permission }) => ({ name, file, state, permission }))).toEqual(declared.sort((a, b) => (a.name < b.name ? -1 : 1)));
    const deviceConfig = inventory.flags.filter((flag) => flag.source === 'device-config');
    expect(deviceConfig.map(({ namespace, name, value, file }) => ({ property: `persist.device_config.${namespace}.${name}`, value, file }))).toEqual(truth.deviceConfig.map(({ property, value, file }) => ({ property, value, file })));
    expect(deviceConfig.find((flag) => flag.value === 'true')?.state).toBe('enabled');
    expect(deviceConfig.find((flag) => flag.value === '10')?.state).toBeNull();
    // The vendor protobuf names no container (as Android 14 wrote them): null, not guessed.
    expect(aconfig.filter((flag) => flag.file.startsWith('/vendor/')).map((flag) => flag.container)).toEqual([null, null]);
  });

  it('reports a storage value that disagrees with the protobuf, and keeps the protobuf\'s record', () => {
    const files = new Map<string, Buffer>([...PROTOS, ...STORAGE.flatMap((folder) => STORAGE_FILES.map((name) => `${folder}/${name}`))].map((path) => [path, bytesOf(path)]));
    const values = Buffer.from(files.get('/system/etc/aconfig/flag.val') as Buffer);
    values[values.length - 1] = values[values.length - 1] === 1 ? 0 : 1;
    files.set('/system/etc/aconfig/flag.val', values);
    const problems: { path: string; message: string }[] = [];
    const flags = readBuildFlags(files, [], problems);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^flag \S+: (enabled|disabled), read-\w+ in the flag storage, but (enabled|disabled), read-\w+ in \/system\/etc\/aconfig_flags\.pb$/);
    expect(flags.every((flag: FeatureFlag) => flag.source === 'aconfig')).toBe(true);
  });

  it('reads the others when one flag file is corrupt, and says which', async () => {
    const copy = join(temp, 'corrupt-tree');
    cpSync(TREE, copy, { recursive: true });
    const pb = readFileSync(join(copy, 'vendor/etc/aconfig_flags.pb'));
    writeFileSync(join(copy, 'vendor/etc/aconfig_flags.pb'), pb.subarray(0, pb.length - 5));
    const { inventory } = await buildInventory(copy, { pool: null });
    expect(inventory.problems).toContainEqual({ path: '/vendor/etc/aconfig_flags.pb', message: expect.stringMatching(/^flags not read: \/vendor\/etc\/aconfig_flags\.pb: aconfig_flags\.pb at offset \d+/) });
    expect(inventory.flags.filter((flag) => flag.file === '/system/etc/aconfig_flags.pb')).toHaveLength(truth.protobufs['/system/etc/aconfig_flags.pb']?.length ?? -1);
    // The vendor storage still gives the flag it stores, from the storage files alone.
    expect(inventory.flags.find((flag) => flag.name === 'com.example.vendor.flags.modem_log_upload')).toMatchObject({ source: 'aconfig-storage', state: 'enabled', permission: 'read-write', namespace: null, file: '/vendor/etc/aconfig/flag.val' });
  });
});

describe('build-aconfig.mjs', () => {
  it('writes the same bytes again', () => {
    const out = join(temp, 'rebuilt');
    execFileSync('node', [join(REPO_ROOT, 'scripts/fixtures/build-aconfig.mjs'), '--out', out], { stdio: 'pipe' });
    const list = (root: string): string[] => readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(root.length)).sort();
    const files = list(join(out, 'tree'));
    expect(files).toEqual(list(TREE));
    for (const file of files) expect(sha256(readFileSync(join(out, 'tree', file))), file).toBe(sha256(readFileSync(join(TREE, file))));
    expect(readFileSync(join(out, 'flags.json'), 'utf8')).toBe(readFileSync(join(FIXTURES, 'flags.json'), 'utf8'));
  });
});
