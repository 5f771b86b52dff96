/**
 * Zips read as Android's zip reader (libziparchive) and resource loader (ApkAssets) read them:
 * compression methods other than stored and deflate, two members of one name, a local header that
 * disagrees with the central directory. Inputs are written by Python's zipfile and then patched
 * byte by byte; the expected bytes are the content written.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apkStructureProblems } from '../../electron/engine/android/apkStructure.js';
import { InputError } from '../../electron/engine/errors.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import { ZipArchive } from '../../electron/engine/zip/zipArchive.js';
import { run, sha256, unzipNames } from '../support/oracles.js';

const temp = mkdtempSync(join(tmpdir(), 'otalens-zip-android-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const CONTENT = 'ro.example=1\n'.repeat(50);

/**
 * A zip written by Python's zipfile with members [name, compression] of CONTENT, then PATCH
 * (Python) applied to its bytes `data` with `zipfile` and `struct` at hand.
 */
function pythonZip(name: string, members: [string, 'stored' | 'deflated'][], patch = ''): Buffer {
  const path = join(temp, name);
  const script = `
import struct, sys, zipfile, warnings
warnings.simplefilter('ignore')
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    for member, method in ${JSON.stringify(members)}:
        z.writestr(zipfile.ZipInfo(member, (2014, 1, 1, 0, 0, 0)), ${JSON.stringify(CONTENT)}, zipfile.ZIP_STORED if method == 'stored' else zipfile.ZIP_DEFLATED)
data = bytearray(open(sys.argv[1], 'rb').read())
infos = zipfile.ZipFile(sys.argv[1]).infolist()
cd = data.index(b'PK\\x01\\x02')
${patch}
open(sys.argv[1], 'wb').write(data)
`;
  run('python3', ['-c', script, path]);
  return readFileSync(path);
}

/** Python lines setting member 0's compression method to METHOD in its local header (offset 8) and central directory entry (offset 10). */
const setMethod = (method: number): string => `struct.pack_into('<H', data, infos[0].header_offset + 8, ${method})\nstruct.pack_into('<H', data, cd + 10, ${method})`;

async function open(bytes: Buffer, name = 'test.zip'): Promise<ZipArchive> {
  return ZipArchive.open(new BufferByteSource(name, bytes));
}

describe('compression methods other than stored (0) and deflate (8)', () => {
  it('reads a member marked with method 12 but holding plain bytes as stored, as Android 9+ does, and says so', async () => {
    const zip = await open(pythonZip('stored-as-12.zip', [['system/build.prop', 'stored']], setMethod(12)));
    const member = zip.get('system/build.prop');
    expect(member?.compressionMethod).toBe(12);
    expect(sha256(await zip.readAll(member!, 1 << 20))).toBe(sha256(Buffer.from(CONTENT)));
    expect(zip.problems.map((problem) => problem.message)).toEqual([expect.stringMatching(/^compression method 12 is neither stored \(0\) nor deflate \(8\): Android 9 and later read such a member as stored, older versions and the v1 signature check inflate it/)]);
  });

  it('inflates a member marked with method 99 but holding deflated bytes, as older Android and StrictJarFile do', async () => {
    const zip = await open(pythonZip('deflated-as-99.zip', [['system/build.prop', 'deflated']], setMethod(99)));
    const member = zip.get('system/build.prop')!;
    expect(member.compressedSize).toBeLessThan(member.uncompressedSize);
    expect((await zip.readAll(member, 1 << 20)).toString()).toBe(CONTENT);
    // The v1 signature check always inflates what is not stored.
    expect((await zip.readAll(member, 1 << 20, { otherMethods: 'inflate' })).toString()).toBe(CONTENT);
  });

  it('refuses a member that neither reading gives the recorded CRC-32 for', async () => {
    const zip = await open(pythonZip('garbage-as-12.zip', [['system/build.prop', 'deflated']], `${setMethod(12)}\ndata[infos[0].header_offset + 30 + len(infos[0].filename) + 2] ^= 0xff`));
    await expect(zip.readAll(zip.get('system/build.prop')!, 1 << 20)).rejects.toThrow(InputError);
  });
});

describe('members Android refuses', () => {
  it('lists a second member of one name as a problem and reads the first, where Info-ZIP sees both', async () => {
    const bytes = pythonZip('duplicate.zip', [['AndroidManifest.xml', 'stored'], ['AndroidManifest.xml', 'deflated']]);
    expect(unzipNames(join(temp, 'duplicate.zip'))).toEqual(['AndroidManifest.xml', 'AndroidManifest.xml']);
    const zip = await open(bytes);
    expect(zip.members.map((member) => member.name)).toEqual(['AndroidManifest.xml']);
    expect(zip.members[0]?.compressionMethod).toBe(0);
    expect(zip.duplicateNames).toEqual(['AndroidManifest.xml']);
    expect(zip.problems).toEqual([{ path: 'AndroidManifest.xml', message: 'zip member skipped: a second member of this name (Android refuses an archive that has one); the first is read' }]);
  });

  it('refuses a member whose local header names another file, and reports it as a problem of the APK', async () => {
    const bytes = pythonZip('renamed.zip', [['classes.dex', 'stored'], ['res/raw/x.txt', 'stored']], `data[infos[0].header_offset + 30] = ord('X')`);
    const zip = await open(bytes, 'renamed.apk');
    await expect(zip.readAll(zip.get('classes.dex')!, 1 << 20)).rejects.toThrow(/renamed\.apk: zip › classes\.dex › local header at offset 30: local header names the member "Xlasses\.dex": Android refuses a member whose local header and central directory disagree \(expected "classes\.dex"\)/);
    expect((await zip.readAll(zip.get('res/raw/x.txt')!, 1 << 20)).toString()).toBe(CONTENT);
    const problems = await apkStructureProblems(zip, '/system/app/X/X.apk', [], { verified: true });
    expect(problems.map((problem) => problem.path)).toEqual(['/system/app/X/X.apk!/classes.dex']);
    expect(problems[0]?.message).toMatch(/^Android refuses this member: renamed\.apk: zip › classes\.dex › local header/);
  });

  it('refuses a member whose data would run into the central directory', async () => {
    const patch = `size = cd - (infos[0].header_offset + 30 + len(infos[0].filename)) + 10
struct.pack_into('<I', data, infos[0].header_offset + 18, size)
struct.pack_into('<I', data, cd + 20, size)`;
    const zip = await open(pythonZip('into-cd.zip', [['a.txt', 'deflated']], patch), 'into-cd.apk');
    await expect(zip.readAll(zip.get('a.txt')!, 1 << 20)).rejects.toThrow(/into-cd\.apk: zip › a\.txt › local header at offset \d+: member data of \d+ bytes runs past the start of the central directory/);
    expect((await apkStructureProblems(zip, '/x.apk', [], { verified: true })).map((problem) => problem.path)).toEqual(['/x.apk!/a.txt']);
  });

  it('refuses a member whose local header states another CRC-32 or size (no data descriptor)', async () => {
    const zip = await open(pythonZip('crc.zip', [['a.txt', 'stored']], `struct.pack_into('<I', data, infos[0].header_offset + 14, 0x12345678)`));
    await expect(zip.readAll(zip.get('a.txt')!, 1 << 20)).rejects.toThrow(/local header says CRC-32 12345678/);
  });
});
