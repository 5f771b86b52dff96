// A real APK not built by us (io.appium.settings, built by Gradle with aapt2), fetched with npm into
// a cache outside git, decoded and compared with aapt's dumps. No network = a loud failure.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
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
