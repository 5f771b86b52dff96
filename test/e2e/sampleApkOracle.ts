import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aapt, aaptResources, aaptXmlTree, unzipMember, unzipNames, type OracleAttributeValue, type OracleElement, type OracleResource } from '../support/aapt.js';

/**
 * What the sample's APKs say, read with Info-ZIP's `unzip` and Debian's `aapt` during the test,
 * never through the engine.
 */

/** Android's resource type for booleans (`Res_value::TYPE_INT_BOOLEAN`) and for references. */
const TYPE_BOOLEAN = 0x12;
const TYPE_REFERENCE = 0x01;

export interface OracleApp {
  /** Device path, e.g. `/system/priv-app/Mms/Mms.apk`. */
  path: string;
  package: string;
  usesPermissions: string[];
}

export interface OraclePreference {
  /** Device path of the preference XML inside the APK, e.g. `/system/app/Mms/Mms.apk!/res/xml/preferences.xml`. */
  path: string;
  key: string;
  title: string;
  /** The default after following resource references; a CheckBoxPreference without one is off. */
  defaultOn: boolean;
}

function withApk<T>(zipPath: string, member: string, read: (apk: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'otalens-apk-oracle-'));
  try {
    const apk = join(dir, 'app.apk');
    writeFileSync(apk, unzipMember(zipPath, member));
    return read(apk);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every `*.apk` member under `system/` of a file-based OTA zip. */
export function apkMembers(zipPath: string): string[] {
  return unzipNames(zipPath).filter((name) => name.startsWith('system/') && name.endsWith('.apk')).sort();
}

/** `aapt dump badging` of each APK: package name and requested permissions. */
export function readSampleApps(zipPath: string): OracleApp[] {
  return apkMembers(zipPath).map((member) =>
    withApk(zipPath, member, (apk) => {
      const badging = aapt(['dump', 'badging', apk]);
      const name = /^package: name='([^']+)'/m.exec(badging)?.[1];
      if (name === undefined) throw new Error(`oracle: aapt badging of ${member} names no package`);
      const usesPermissions = [...badging.matchAll(/^uses-permission: name='([^']+)'/gm)].map((match) => match[1] ?? '').sort();
      return { path: `/${member}`, package: name, usesPermissions };
    }),
  );
}

function defaultResources(apk: string): Map<number, OracleResource> {
  return new Map(aaptResources(apk).resources.filter((resource) => resource.config === '').map((resource) => [resource.id, resource]));
}

function resolveString(value: OracleAttributeValue, resources: Map<number, OracleResource>): string | null {
  if (value.kind === 'string') return value.text;
  if (value.kind !== 'reference') return null;
  const printed = resources.get(value.id)?.printed;
  return printed?.kind === 'string' ? printed.text : null;
}

/** A boolean attribute, following references (`@bool/a` → `@bool/b` → true) as Android resolves them. */
function resolveBoolean(value: OracleAttributeValue, resources: Map<number, OracleResource>): boolean {
  let current: { type: number; data: number } | undefined = value.kind === 'typed' ? value : value.kind === 'reference' ? { type: TYPE_REFERENCE, data: value.id } : undefined;
  for (let hops = 0; current !== undefined && hops < 16; hops++) {
    if (current.type === TYPE_BOOLEAN) return current.data !== 0;
    if (current.type !== TYPE_REFERENCE) break;
    const target = resources.get(current.data);
    current = target?.type === undefined || target.data === undefined ? undefined : { type: target.type, data: target.data };
  }
  throw new Error(`oracle: cannot resolve a boolean from ${JSON.stringify(value)}`);
}

function* walk(elements: readonly OracleElement[]): Generator<OracleElement> {
  for (const element of elements) {
    yield element;
    yield* walk(element.children);
  }
}

function androidAttribute(element: OracleElement, name: string): OracleAttributeValue | undefined {
  return element.attributes.find((attribute) => attribute.prefix === 'android' && attribute.name === name)?.value;
}

/**
 * The preference whose resolved title matches `title` in the one APK named `apkName` (e.g.
 * `Mms.apk`) of a file-based OTA zip; null when that APK has none.
 */
export function findPreferenceByTitle(zipPath: string, apkName: string, title: RegExp, xmlMember = 'res/xml/preferences.xml'): OraclePreference | null {
  const members = apkMembers(zipPath).filter((member) => member.endsWith(`/${apkName}`));
  if (members.length !== 1) throw new Error(`oracle: expected one ${apkName} in ${zipPath}, found ${members.length}`);
  const [member = ''] = members;
  return withApk(zipPath, member, (apk) => {
    const resources = defaultResources(apk);
    for (const element of walk(aaptXmlTree(apk, xmlMember))) {
      const titleValue = androidAttribute(element, 'title');
      const resolvedTitle = titleValue === undefined ? null : resolveString(titleValue, resources);
      if (resolvedTitle === null || !title.test(resolvedTitle)) continue;
      const keyValue = androidAttribute(element, 'key');
      const defaultValue = androidAttribute(element, 'defaultValue');
      return {
        path: `/${member}!/${xmlMember}`,
        key: keyValue === undefined ? '' : (resolveString(keyValue, resources) ?? ''),
        title: resolvedTitle,
        defaultOn: defaultValue === undefined ? false : resolveBoolean(defaultValue, resources),
      };
    }
    return null;
  });
}
