import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../electron/engine/errors.js';
import { closePackage, openPackage } from '../../electron/engine/formats/registry.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import { SequentialDecodedSource } from '../../electron/engine/io/decodedSource.js';
import { ZipArchive } from '../../electron/engine/zip/zipArchive.js';
import { REPO_ROOT, run, sha256, unzipMember } from '../support/oracles.js';

const temp = mkdtempSync(join(tmpdir(), 'otalens-nested-'));
const tree = join(temp, 'tree');
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A file-based OTA whose APK is stored (as aapt wrote it) or deflated again by the outer zip. */
function otaWithApk(name: string, compression: 'ZIP_STORED' | 'ZIP_DEFLATED'): string {
  const zipPath = join(temp, name);
  const script = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.write(sys.argv[2] + '/system/build.prop', 'system/build.prop', zipfile.ZIP_DEFLATED)
    z.write(sys.argv[2] + '/system/app/Tiny/Tiny.apk', 'system/app/Tiny/Tiny.apk', zipfile.${compression})
    z.write(sys.argv[2] + '/system/lib/zeros-and-data.bin', 'system/lib/zeros-and-data.bin', zipfile.ZIP_DEFLATED)
`;
  run('python3', ['-c', script, zipPath, tree]);
  return zipPath;
}

async function catBytes(packagePath: string, devicePath: string): Promise<Buffer> {
  const handle = await openPackage(packagePath);
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of await handle.opened.tree.openStream(devicePath)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } finally {
    await closePackage(handle);
  }
}

beforeAll(() => {
  run(process.execPath, [join(REPO_ROOT, 'scripts/fixtures/make-tree.mjs'), tree]);
});

describe('device paths with !/', () => {
  for (const compression of ['ZIP_STORED', 'ZIP_DEFLATED'] as const) {
    it(`read a member of an APK ${compression === 'ZIP_STORED' ? 'stored' : 'deflated'} in the OTA zip, as unzip reads it`, async () => {
      const ota = otaWithApk(`ota-${compression}.zip`, compression);
      const apk = join(tree, 'system/app/Tiny/Tiny.apk');
      for (const member of ['AndroidManifest.xml', 'resources.arsc']) {
        const bytes = await catBytes(ota, `/system/app/Tiny/Tiny.apk!/${member}`);
        expect(sha256(bytes), member).toBe(sha256(unzipMember(apk, member)));
      }
    });
  }

  it('list an archive and a folder inside it, and refuse to enter a file that is no archive', async () => {
    const handle = await openPackage(tree);
    try {
      const listed = await handle.opened.tree.list('/system/app/Tiny/Tiny.apk!/');
      const names = run('zipinfo', ['-1', join(tree, 'system/app/Tiny/Tiny.apk')]).trim().split('\n');
      expect(listed?.map((entry) => entry.path)).toEqual(names.sort().map((name) => `/system/app/Tiny/Tiny.apk!/${name}`));
      await expect(handle.opened.tree.stat('/system/build.prop!/x')).rejects.toThrow(/is not an archive OTA Lens can open/);
      expect(await handle.opened.tree.stat('/system/app/Tiny/Tiny.apk!/missing')).toBeNull();
      await expect(handle.opened.tree.stat('/system/a!/b!/c!/d!/e!/f')).rejects.toBeInstanceOf(InputError);
    } finally {
      await closePackage(handle);
    }
  });
});

describe('SequentialDecodedSource', () => {
  it('serves random ranges of a deflated member equal to the original bytes, even with a tiny cache', async () => {
    const original = readFileSync(join(tree, 'system/lib/zeros-and-data.bin'));
    const ota = otaWithApk('ota-ranges.zip', 'ZIP_DEFLATED');
    const zip = await ZipArchive.open(new BufferByteSource('ota-ranges.zip', readFileSync(ota)));
    const member = zip.get('system/lib/zeros-and-data.bin');
    if (member === undefined) throw new Error('member missing');
    const source = new SequentialDecodedSource('m', member.uncompressedSize, () => zip.openStream(member), { format: 'test', blockSize: 4096, cacheBytes: 16 * 4096 });
    let seed = 12345;
    const next = (limit: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % limit;
    };
    for (let i = 0; i < 200; i++) {
      const offset = next(original.length);
      const length = Math.min(next(20_000), original.length - offset);
      expect((await source.read(offset, length)).equals(original.subarray(offset, offset + length)), `${offset}+${length}`).toBe(true);
    }
    await expect(source.read(original.length - 10, 20)).rejects.toThrow(/truncated/);
    await source.close();
  });

  it('reports a stream that ends before its declared size', async () => {
    const source = new SequentialDecodedSource('short', 100, async () =>
      (async function* () {
        yield Buffer.alloc(60);
      })(), { format: 'test › short' });
    await expect(source.read(50, 20)).rejects.toThrow(/short: test › short at offset 60: decoded data ends after 60 bytes/);
  });
});
