// Every package kind opens as the same device tree: the image fixtures were all built from
// scripts/fixtures/make-tree.mjs, so each one's /system must equal that tree on the host, byte for
// byte (the oracle is the host file system: lstat, readlink and the files' SHA-256).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileEntry } from '../../shared/model.js';
import { describePackage } from '../../electron/engine/describe.js';
import { InputError, UnsupportedFormatError } from '../../electron/engine/errors.js';
import { closePackage, openPackage } from '../../electron/engine/formats/registry.js';
import { buildInventory } from '../../electron/engine/inventory/buildInventory.js';
import { tempDir, tool, walkFolder, type Entry } from '../support/ext4.js';
import { REPO_ROOT, run, sha256 } from '../support/oracles.js';

const FIXTURES = join(REPO_ROOT, 'test/fixtures');
const temp = tempDir('formats');
const tree = join(temp, 'tree');
let expected: Entry[];

beforeAll(() => {
  run(process.execPath, [join(REPO_ROOT, 'scripts/fixtures/make-tree.mjs'), tree]);
  expected = walkFolder(join(tree, 'system'));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** The entries under `/<mount>` as OTA Lens inventories them, in the oracle's shape. */
function entriesUnder(files: readonly FileEntry[], mount: string): Entry[] {
  const prefix = `/${mount}/`;
  return files
    .filter((file) => file.path.startsWith(prefix) && !file.path.startsWith(`${prefix}lost+found`))
    .map((file) => {
      const entry: Entry = { path: file.path.slice(prefix.length), type: file.type, size: file.size };
      if (file.target !== undefined) entry.target = file.target;
      if (file.sha256 !== null) entry.sha256 = file.sha256;
      return entry;
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const PACKAGES = [
  { file: 'payload/ota-full.zip', format: 'ab-ota-zip', mounts: ['system'] },
  { file: 'block-ota/block-ota.zip', format: 'block-ota-zip', mounts: ['system'] },
  { file: 'block-ota/system.img', format: 'raw-image', mounts: ['system'] },
  { file: 'factory/example-factory-1234.tgz', format: 'factory-tar', mounts: ['system'] },
  { file: 'sparse/super.simg', format: 'raw-image', mounts: ['system', 'vendor'] },
] as const;

describe('every package kind opens as the same device tree', () => {
  for (const { file, format, mounts } of PACKAGES) {
    it(`${file} (${format}): ${mounts.map((mount) => `/${mount}`).join(', ')} equal the source tree`, async () => {
      const snapshot = (await buildInventory(join(FIXTURES, file), { pool: null })).inventory;
      expect(snapshot.package.format).toBe(format);
      for (const mount of mounts) expect(entriesUnder(snapshot.files, mount), `/${mount}`).toEqual(expected);
      expect(snapshot.package.fingerprint).toBe(/^ro\.build\.fingerprint=(.*)$/m.exec(readFileSync(join(tree, 'system/build.prop'), 'utf8'))?.[1]);
    });
  }

  it('a raw EROFS (LZ4HC) system image made by mkfs.erofs from the tree', async () => {
    const image = join(temp, 'system.erofs');
    tool('mkfs.erofs', ['-zlz4hc', '-T0', image, join(tree, 'system')]);
    const snapshot = (await buildInventory(image, { pool: null })).inventory;
    expect(snapshot.package.format).toBe('raw-image');
    expect(entriesUnder(snapshot.files, 'system')).toEqual(expected);
  });

  it('describes the partitions each package carries', async () => {
    const description = await describePackage(join(FIXTURES, 'sparse/super.simg'));
    expect(description.partitions.map(({ name, fileSystem }) => `${name}:${fileSystem}`)).toEqual(['super:super (dynamic partitions)', 'system:ext4', 'vendor:erofs']);
    expect(description.partitions[1]?.origin).toBe('super.simg (sparse) › system_a');
    const written = JSON.parse(readFileSync(join(FIXTURES, 'sparse/images.json'), 'utf8')) as { images: Record<string, { size: number }>; super: { size: number } };
    expect(description.partitions.map((partition) => partition.size)).toEqual([written.super.size, written.images['system']?.size, written.images['vendor']?.size]);
  });
});

describe('incremental packages are refused, naming the build they need', () => {
  for (const file of ['payload/ota-delta.zip', 'block-ota/block-ota-incremental.zip']) {
    it(file, async () => {
      const metadata = run('unzip', ['-p', join(FIXTURES, file), 'META-INF/com/android/metadata']);
      const preBuild = /^pre-build=(.*)$/m.exec(metadata)?.[1];
      expect(preBuild).toBeTruthy();
      const error = await openPackage(join(FIXTURES, file)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UnsupportedFormatError);
      expect((error as Error).message).toContain(`an incremental OTA`);
      expect((error as Error).message).toContain(`changes from build ${preBuild}`);
    });
  }
});

describe('truncated downloads give a typed error naming the file', () => {
  for (const file of ['payload/ota-full.zip', 'block-ota/block-ota.zip', 'factory/example-factory-1234.tgz']) {
    it(file, async () => {
      const bytes = readFileSync(join(FIXTURES, file));
      const cut = join(temp, `cut-${file.replace('/', '-')}`);
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const error = await buildInventory(cut, { pool: null }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message.startsWith(`cut-${file.replace('/', '-')}`)).toBe(true);
    });
  }
});

describe('system-as-root and APEX', () => {
  it('mounts a system-as-root image’s system/ folder at /system', async () => {
    const root = join(temp, 'sar-root');
    mkdirSync(root);
    run('cp', ['-a', join(tree, 'system'), join(root, 'system')]);
    writeFileSync(join(root, 'init'), 'not really init\n');
    const image = join(temp, 'system.img');
    tool('mke2fs', ['-q', '-t', 'ext4', '-b', '4096', '-d', root, image, '16M'], { cwd: temp });
    const snapshot = (await buildInventory(image, { pool: null })).inventory;
    expect(entriesUnder(snapshot.files, 'system')).toEqual(expected);
    expect((await describePackage(image)).partitions[0]?.origin).toBe('system.img, system-as-root');
  });

  it('mounts each APEX payload at /apex/<name>', async () => {
    const apexTree = join(temp, 'apex-payload');
    mkdirSync(join(apexTree, 'etc'), { recursive: true });
    writeFileSync(join(apexTree, 'etc', 'apex.conf'), 'module=example\n');
    const payload = join(temp, 'apex_payload.img');
    tool('mke2fs', ['-q', '-t', 'ext4', '-b', '4096', '-d', apexTree, payload, '1M']);
    const folder = join(temp, 'with-apex');
    run('cp', ['-a', tree, folder]);
    mkdirSync(join(folder, 'system', 'apex'), { recursive: true });
    run('python3', ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('apex_manifest.json', '{"name": "com.example.tiny", "version": 1}')
    z.write(sys.argv[2], 'apex_payload.img', zipfile.ZIP_STORED)
`, join(folder, 'system', 'apex', 'com.example.tiny.apex'), payload]);
    const handle = await openPackage(folder);
    try {
      expect((await handle.opened.tree.list('/apex'))?.map((entry) => entry.path)).toEqual(['/apex/com.example.tiny']);
      const chunks: Buffer[] = [];
      for await (const chunk of await handle.opened.tree.openStream('/apex/com.example.tiny/etc/apex.conf')) chunks.push(chunk as Buffer);
      expect(sha256(Buffer.concat(chunks))).toBe(sha256(readFileSync(join(apexTree, 'etc', 'apex.conf'))));
    } finally {
      await closePackage(handle);
    }
  });

  it('reports an APEX that another partition already mounted under its name', async () => {
    const folder = join(temp, 'with-apex');
    mkdirSync(join(folder, 'vendor', 'apex'), { recursive: true });
    run('cp', [join(folder, 'system', 'apex', 'com.example.tiny.apex'), join(folder, 'vendor', 'apex', 'com.example.tiny.apex')]);
    const handle = await openPackage(folder);
    try {
      expect((await handle.opened.tree.list('/apex'))?.map((entry) => entry.path)).toEqual(['/apex/com.example.tiny']);
      expect(handle.opened.tree.treeProblems).toEqual([
        { path: '/apex/com.example.tiny', message: '/vendor/apex/com.example.tiny.apex is not mounted here: /system/apex/com.example.tiny.apex already is' },
      ]);
    } finally {
      await closePackage(handle);
    }
  });
});

describe('file OTA members outside the partitions', () => {
  it('are reported per folder, never dropped silently', async () => {
    const zip = join(temp, 'file-ota-extra.zip');
    run('python3', ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('system/build.prop', 'ro.build.id=TEST\\n')
    z.writestr('META-INF/com/google/android/updater-script', 'ui_print("x");\\n')
    z.writestr('firmware-update/modem.bin', 'modem')
    z.writestr('firmware-update/tz.mbn', 'tz')
    z.writestr('boot.img', 'not a folder: the package, not the device tree')
`, zip]);
    const handle = await openPackage(zip);
    try {
      expect(handle.opened.format).toBe('file-ota-zip');
      expect(handle.opened.problems).toEqual([{ path: 'firmware-update/', message: '2 zip members left out: firmware-update/ is not a partition folder OTA Lens mounts' }]);
    } finally {
      await closePackage(handle);
    }
  });
  it('reports a member that another one of the same path displaced (a second of one name, or a file where a folder is)', async () => {
    const zip = join(temp, 'file-ota-clash.zip');
    run('python3', ['-c', `
import sys, warnings, zipfile
warnings.simplefilter('ignore')
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('system/build.prop', 'ro.build.id=FIRST\\n')
    z.writestr('system/etc/x', 'a file named like a folder')
    z.writestr('system/etc/x/y', 'a file in that folder')
    z.writestr('system/build.prop', 'ro.build.id=SECOND\\n')
`, zip]);
    expect(run('zipinfo', ['-1', zip]).trim().split('\n')).toEqual(['system/build.prop', 'system/etc/x', 'system/etc/x/y', 'system/build.prop']);
    const handle = await openPackage(zip);
    try {
      // libziparchive refuses a zip with two members of one name; the first is read, the second reported.
      expect(handle.opened.problems).toContainEqual({ path: 'system/build.prop', message: 'zip member skipped: a second member of this name (Android refuses an archive that has one); the first is read' });
      expect(run('unzip', ['-p', zip, 'system/build.prop'])).toContain('ro.build.id=FIRST');
      expect((await handle.opened.tree.stat('/system/build.prop'))?.size).toBe('ro.build.id=FIRST\n'.length);
      expect(handle.opened.tree.treeProblems).toEqual([{ path: '/system/etc/x', message: 'file left out: a folder of the same name holds other entries' }]);
      expect((await handle.opened.tree.list('/system/etc/x'))?.map((entry) => entry.path)).toEqual(['/system/etc/x/y']);
    } finally {
      await closePackage(handle);
    }
  });
});
