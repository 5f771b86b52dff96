// A real APK not built by us (io.appium.settings, built by Gradle with aapt2), fetched with npm into
// a cache outside git, decoded and compared with aapt's dumps. No network = a loud failure.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readApk } from '../../electron/engine/android/apkReader.js';
import { readDex } from '../../electron/engine/android/dex/dexFile.js';
import { BufferByteSource, FileByteSource } from '../../electron/engine/io/byteSource.js';
import { baksmaliStrings, dexdumpClasses } from '../support/dexOracles.js';
import { unzipNames } from '../support/oracles.js';
import { ResourceResolver, parseResourceTable } from '../../electron/engine/android/arsc/index.js';
import { type AxmlElement, decodeAxml, renderAxmlAsXml, walkElements } from '../../electron/engine/android/axml/index.js';
import { type OracleElement, aaptResources, aaptXmlTree, thirdPartyApk, unzipMember, xmlResourceMembers } from '../support/aapt.js';
import { expectSameResources, expectSameTree } from '../support/aaptCompare.js';

describe('a third-party APK (io.appium.settings from npm)', () => {
  const apk = thirdPartyApk();
  const where = (member: string) => ({ file: 'settings_apk-debug.apk', member });

  it('manifest and res/xml files match aapt dump xmltree', () => {
    const members = ['AndroidManifest.xml', ...xmlResourceMembers(apk)];
    expect(members.length).toBeGreaterThan(1);
    for (const member of members) {
      const document = decodeAxml(unzipMember(apk, member), where(member));
      const oracle = aaptXmlTree(apk, member);
      expect(oracle).toHaveLength(1);
      expectSameTree(document.root as AxmlElement, oracle[0] as OracleElement, member);
      // The rendering is well-formed XML with one line per element.
      const rendered = renderAxmlAsXml(document);
      execFileSync('python3', ['-c', 'import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())'], { input: rendered.text });
      const lines = [...walkElements(document.root)].map((element) => rendered.lineOf(element));
      expect(new Set(lines).size).toBe(lines.length);
    }
  });

  it('resources.arsc matches aapt dump --values resources (all configurations)', () => {
    const table = parseResourceTable(unzipMember(apk, 'resources.arsc'), where('resources.arsc'));
    const compared = expectSameResources(table, aaptResources(apk), 'settings_apk-debug.apk');
    expect(compared).toBeGreaterThan(1000);
    const configs = new Set(table.packages.flatMap((pkg) => [...pkg.types.values()].flatMap((type) => type.configs.map((chunk) => chunk.config.qualifiers))));
    expect(configs.size).toBeGreaterThan(50);
  });

  it('its DEX files (built by Gradle\'s D8) read as dexdump and baksmali read them, and its code layer cites them', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'otalens-third-party-dex-'));
    try {
      const members = unzipNames(apk).filter((name) => /^classes\d*\.dex$/.test(name)).sort();
      expect(members.length).toBeGreaterThan(0);
      const classesOf = new Map<string, string[]>();
      for (const member of members) {
        const bytes = unzipMember(apk, member);
        const path = join(temp, member);
        writeFileSync(path, bytes);
        const strings: string[] = [];
        const contents = await readDex(new BufferByteSource(member, bytes), { file: 'settings_apk-debug.apk', dex: member }, (text, index) => {
          strings[index] = text;
        });
        expect(contents.classDescriptors).toEqual(dexdumpClasses(path));
        expect(strings).toEqual(baksmaliStrings(path));
        classesOf.set(member, contents.classDescriptors.map((descriptor) => descriptor.slice(1, -1).replace(/\//g, '.')));
      }
      const app = await readApk(await FileByteSource.open(apk, 'settings_apk-debug.apk'), { file: 'settings_apk-debug.apk' });
      expect(app.code?.dexFiles).toEqual(members);
      expect(app.code?.classCount).toBe([...classesOf.values()].reduce((sum, classes) => sum + classes.length, 0));
      for (const sdk of app.code?.sdks ?? []) expect(classesOf.get(sdk.evidence.dexFile)).toContain(sdk.evidence.className);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });

  it('decodes the manifest and the whole table in a few milliseconds', () => {
    const manifest = unzipMember(apk, 'AndroidManifest.xml');
    const arsc = unzipMember(apk, 'resources.arsc');
    const timings: number[] = [];
    for (let round = 0; round < 5; round++) {
      const started = performance.now();
      const document = decodeAxml(manifest, where('AndroidManifest.xml'));
      const table = parseResourceTable(arsc, where('resources.arsc'));
      const resolver = new ResourceResolver(table);
      renderAxmlAsXml(document, { resolveReference: (id) => resolver.nameOf(id) });
      for (const pkg of table.packages) for (const type of pkg.types.values()) for (const chunk of type.configs) for (const entry of chunk.entries()) resolver.resolve(entry.id, { config: chunk.config.qualifiers });
      timings.push(performance.now() - started);
    }
    const best = Math.min(...timings);
    console.log(`third-party APK: manifest + ${arsc.length} byte table decoded and every entry resolved in ${best.toFixed(1)} ms (best of 5)`);
    expect(best).toBeLessThan(100);
  });
});
