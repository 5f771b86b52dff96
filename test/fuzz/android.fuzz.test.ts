/** Fuzzes the APK parsers: binary XML, resources.arsc, the whole APK (zip + signing DER + manifest). */
import { describe, it } from 'vitest';
import { readApk } from '../../electron/engine/android/apkReader.js';
import { ResourceResolver, parseResourceTable } from '../../electron/engine/android/arsc/index.js';
import { axmlToXmlText, decodeAxml } from '../../electron/engine/android/axml/index.js';
import { readDex } from '../../electron/engine/android/dex/dexFile.js';
import { readVdex } from '../../electron/engine/android/dex/vdexFile.js';
import { BufferByteSource } from '../../electron/engine/io/byteSource.js';
import { fuzz, FUZZ_TEST_TIMEOUT, fuzzRuns } from './harness.js';
import { fixture, zipMember } from './seeds.js';

const where = { file: 'fuzz.apk', member: 'fuzzed' };

describe('fuzzing the APK parsers', () => {
  it('AXML: AndroidManifest.xml and a preference screen', async () => {
    const target = {
      parse: async (input: Buffer) => axmlToXmlText(decodeAxml(input, where)),
    };
    await fuzz(target, zipMember('apk/mms.apk', 'AndroidManifest.xml'), { runs: fuzzRuns(400) });
    await fuzz(target, zipMember('apk/mms.apk', 'res/xml/preferences.xml'), { runs: fuzzRuns(300) });
  }, FUZZ_TEST_TIMEOUT);

  it('resources.arsc: table and resolver', async () => {
    const target = {
      parse: async (input: Buffer) => {
        const table = parseResourceTable(input, where);
        const resolver = new ResourceResolver(table);
        for (const pkg of table.packages) {
          for (const type of pkg.types.values()) {
            const count = Math.min(64, Math.max(0, ...type.configs.map((chunk) => chunk.entryCount)));
            for (let index = 0; index < count; index++) {
              const id = (((pkg.id & 0xff) << 24) | ((type.id & 0xff) << 16) | index) >>> 0;
              resolver.nameOf(id);
              resolver.valuesByConfig(id);
              resolver.resolve(id);
            }
          }
        }
      },
    };
    await fuzz(target, zipMember('apk/mms.apk', 'resources.arsc'), { runs: fuzzRuns(400) });
    await fuzz(target, zipMember('apk/settings-overlay.apk', 'resources.arsc'), { runs: fuzzRuns(200) });
  }, FUZZ_TEST_TIMEOUT);

  it('DEX: header, map list, id tables, MUTF-8 strings; VDEX containers around it', async () => {
    const dexTarget = {
      parse: async (input: Buffer) => {
        await readDex(new BufferByteSource('classes.dex', input), { file: 'fuzz.apk', dex: 'classes.dex' }, () => undefined);
      },
    };
    const dex = fixture('dex/tracker-classes.dex');
    // Mutations land in the header and id tables (the first kilobyte) and anywhere else.
    await fuzz(dexTarget, dex, { runs: fuzzRuns(300), focusStart: 0, focus: 1024 });
    await fuzz(dexTarget, fixture('dex/tracker-classes2.dex'), { runs: fuzzRuns(200) });
    const vdexTarget = {
      parse: async (input: Buffer) => {
        const vdex = await readVdex(new BufferByteSource('x.vdex', input), 'x.vdex');
        for (const entry of vdex.dexFiles) await dexTarget.parse(await entry.source.read(0, entry.source.size));
      },
    };
    await fuzz(vdexTarget, fixture('dex/vdex/tracker-v021.vdex'), { runs: fuzzRuns(200), focusStart: 0, focus: 256 });
    await fuzz(vdexTarget, fixture('dex/vdex/verifier-only-v027.vdex'), { runs: fuzzRuns(100) });
  }, FUZZ_TEST_TIMEOUT);

  it('whole APK with code: DEX members, servers in resources and XML', async () => {
    const target = { parse: (input: Buffer) => readApk(new BufferByteSource('fuzz.apk', input), { file: 'fuzz.apk' }) };
    await fuzz(target, fixture('dex/tracker-app-stored.apk'), { runs: fuzzRuns(150) });
  }, FUZZ_TEST_TIMEOUT);

  it('whole APK: zip central directory, signing block, DER certificates, manifest', async () => {
    const target = { parse: (input: Buffer) => readApk(new BufferByteSource('fuzz.apk', input), { file: 'fuzz.apk' }) };
    for (const name of ['signing/rsa-v1v2v3.apk', 'signing/ec-v1v2v3.apk', 'signing/v1-only.apk']) {
      const seed = fixture(name);
      // The signing block, central directory and end record sit in the last few KiB.
      await fuzz(target, seed, { runs: fuzzRuns(120), focusStart: Math.max(0, seed.length - 6144), focus: 6144 });
    }
  }, FUZZ_TEST_TIMEOUT);
});
