/** Fuzzes the text parsers: build.prop and property layers, XML configs, init .rc files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parseDefaultPermissions } from '../../electron/engine/config/defaultPermissions.js';
import { parseInitRc } from '../../electron/engine/config/initRc.js';
import { layerProperties } from '../../electron/engine/config/propertyLayers.js';
import { parseSystemConfigXml } from '../../electron/engine/config/systemConfig.js';
import { parseXml } from '../../electron/engine/config/xml.js';
import { parseOtaMetadata, parsePropertyFile } from '../../electron/engine/props/buildProp.js';
import type { FileType } from '../../shared/model.js';
import { summarizeCilPolicy } from '../../electron/engine/selinux/cilPolicy.js';
import { edifyCalls, parseEdify } from '../../electron/engine/updater/edify.js';
import { replayUpdaterScript } from '../../electron/engine/updater/updaterMetadata.js';
import { REPO_ROOT } from '../support/oracles.js';
import { checkOne, fuzz, FUZZ_TEST_TIMEOUT, fuzzRuns, fuzzSeed, type FuzzTarget } from './harness.js';
import { zipMember } from './seeds.js';

const PACKAGE = 'scenarios/file-ota/literal-on-4.7.4.zip';
const text = (input: Buffer): string => input.toString('utf8');

/** Mutated real text, plus arbitrary text with the parser's own syntax characters mixed in. */
async function fuzzText(target: FuzzTarget, seed: Buffer, syntax: readonly string[]): Promise<void> {
  await fuzz(target, seed, { runs: fuzzRuns(300), maxMutations: 6 });
  const pieces = fc.oneof(fc.constantFrom(...syntax), fc.string({ maxLength: 8 }), fc.constantFrom('\n', '\0', '\ufffd', '\ud800', 'x'.repeat(5000)));
  await fc.assert(
    fc.asyncProperty(fc.array(pieces, { maxLength: 80 }), async (parts) => checkOne(target, Buffer.from(parts.join(''), 'utf8'))),
    { numRuns: fuzzRuns(300), seed: fuzzSeed() },
  );
}

describe('fuzzing the text parsers', () => {
  it('build.prop, property layers and OTA metadata', async () => {
    const target = {
      parse: async (input: Buffer) => {
        parsePropertyFile(text(input));
        parseOtaMetadata(text(input));
        layerProperties([
          { path: '/system/build.prop', text: text(input) },
          { path: '/vendor/build.prop', text: text(input).split('\n').reverse().join('\n') },
        ]);
      },
    };
    await fuzzText(target, zipMember(PACKAGE, 'system/build.prop'), ['=', '#', 'import ', 'ro.', '\\', '${', '}', ':', '?=']);
  }, FUZZ_TEST_TIMEOUT);

  it('XML configs: permissions, sysconfig, default permissions', async () => {
    const syntax = ['<', '>', '/>', '</', '<!--', '-->', '<![CDATA[', ']]>', '<?xml ?>', '<!DOCTYPE x [<!ENTITY a "b">]>', '&amp;', '&#x0;', '&#99999999;', '&a;', '="', "='", '<permissions>', '<privapp-permissions package="p">', '<permission name="n"/>'];
    await fuzzText({ parse: async (input) => parseXml(text(input), 'x.xml') }, zipMember(PACKAGE, 'system/etc/permissions/privapp-permissions-miui.xml'), syntax);
    await fuzzText({ parse: async (input) => parseSystemConfigXml(text(input), 'sysconfig.xml') }, zipMember(PACKAGE, 'system/etc/sysconfig/miui-power-whitelist.xml'), syntax);
    await fuzzText(
      { parse: async (input) => parseDefaultPermissions(text(input), 'default-permissions.xml') },
      zipMember(PACKAGE, 'system/etc/default-permissions/default-permissions-miui.xml'),
      [...syntax, '<exceptions>', '<exception package="p">', '<permission name="n" fixed="true"/>'],
    );
  }, FUZZ_TEST_TIMEOUT);

  it('updater-scripts (edify) and their file metadata', async () => {
    const syntax = ['(', ')', ',', ';', '"', '\\"', '\\x41', '#', '||', '&&', '==', '!', '+', 'if ', ' then ', ' else ', ' endif', 'set_perm(0, 0, 0755, "/system/a")', 'set_metadata_recursive("/system", "uid", 0, "mode", 04755)', 'symlink("t", "/system/a")', 'package_extract_dir("system", "/system")'];
    const entries = new Map<string, FileType>([['/system', 'directory'], ['/system/a', 'file'], ['/system/b', 'directory']]);
    const parse = async (input: Buffer): Promise<void> => {
      replayUpdaterScript(edifyCalls(parseEdify(text(input), 'updater-script')), entries, ['system/a'], 'updater-script');
    };
    await fuzzText({ parse }, zipMember(PACKAGE, 'META-INF/com/google/android/updater-script'), syntax);
  }, FUZZ_TEST_TIMEOUT);

  it('SELinux CIL policies', async () => {
    const syntax = ['(', ')', '"', ';', '(type t)', '(typeattribute domain)', '(typeattributeset domain (t (not (u))))', '(typepermissive t)', '(allow t self (file (read)))', '(allow domain t (process (all)))', '(typealiasactual a t)', '(macro m ())'];
    const seed = readFileSync(join(REPO_ROOT, 'test/fixtures/selinux/plat_sepolicy.cil'));
    await fuzzText({ parse: async (input) => void summarizeCilPolicy([{ path: '/system/etc/selinux/plat_sepolicy.cil', text: text(input) }], null, []) }, seed, syntax);
  }, FUZZ_TEST_TIMEOUT);

  it('init .rc files', async () => {
    const syntax = ['service ', 'on ', 'import ', '    ', '\\\n', '"', '#', 'class main', 'user root', 'disabled', 'oneshot', '${x}', '\t'];
    await fuzzText({ parse: async (input) => parseInitRc(text(input), 'x.rc') }, zipMember(PACKAGE, 'system/etc/init/miui-analytics.rc'), syntax);
  }, FUZZ_TEST_TIMEOUT);
});
