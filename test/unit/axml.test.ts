// Binary XML decoding checked against `aapt dump xmltree` (run now, on committed fixtures built by
// scripts/fixtures/build-apks.mjs) and the rendered XML checked with Python's expat parser.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResourceResolver, parseResourceTable } from '../../electron/engine/android/arsc/index.js';
import {
  ANDROID_NAMESPACE,
  AndroidAttr,
  type AxmlElement,
  attributeDisplayName,
  decodeAxml,
  getAttribute,
  getAttributeByName,
  renderAxmlAsXml,
  walkElements,
} from '../../electron/engine/android/axml/index.js';
import { MAX_AXML_DEPTH } from '../../electron/engine/android/axml/decodeAxml.js';
import { InputError } from '../../electron/engine/errors.js';
import { ValueType } from '../../electron/engine/android/typedValue.js';
import {
  APK_FIXTURES,
  FIXTURE_APKS,
  type OracleElement,
  aaptResources,
  aaptXmlTree,
  unzipMember,
  xmlResourceMembers,
} from '../support/aapt.js';
import { expectSameTree } from '../support/aaptCompare.js';

const RES_AUTO = 'http://schemas.android.com/apk/res-auto';
const fixture = (name: string): string => join(APK_FIXTURES, name);

function decodeMember(apk: string, member: string) {
  return decodeAxml(unzipMember(fixture(apk), member), { file: apk, member });
}

describe('decodeAxml against aapt dump xmltree', () => {
  for (const apk of FIXTURE_APKS) {
    it(`${apk}: the manifest and every res/xml file`, () => {
      const members = ['AndroidManifest.xml', ...xmlResourceMembers(fixture(apk))];
      let elements = 0;
      for (const member of members) {
        const oracle = aaptXmlTree(fixture(apk), member);
        expect(oracle).toHaveLength(1);
        const document = decodeMember(apk, member);
        expect(document.root).not.toBeNull();
        elements += expectSameTree(document.root as AxmlElement, oracle[0] as OracleElement, `${apk}!${member}`);
      }
      expect(elements).toBeGreaterThanOrEqual(3);
    });
  }

  it('mms preferences: the cloud messaging switch and its resource default', () => {
    const document = decodeMember('mms.apk', 'res/xml/preferences.xml');
    const all = [...walkElements(document.root)];
    const cloud = all.find((element) => getAttribute(element, AndroidAttr.key)?.value.string === 'pref_key_enable_cloud_messaging');
    expect(cloud?.name).toBe('SwitchPreference');
    const oracle = aaptResources(fixture('mms.apk')).resources.find((resource) => resource.name === 'com.android.mms:bool/def_cloud_messaging');
    expect(getAttribute(cloud as AxmlElement, AndroidAttr.defaultValue)?.value).toEqual({ type: ValueType.REFERENCE, data: oracle?.id });
    const androidx = all.find((element) => element.name === 'androidx.preference.SwitchPreferenceCompat') as AxmlElement;
    // app:key is the app's own attribute (0x7f…): found by namespace and name, not by a framework ID.
    expect(getAttribute(androidx, AndroidAttr.key)).toBeUndefined();
    expect(getAttributeByName(androidx, 'key', RES_AUTO)?.value.string).toBe('pref_key_smart_messages');
  });
});

describe('obfuscated attribute names', () => {
  const plain = decodeMember('mms.apk', 'AndroidManifest.xml');
  const obfuscated = decodeMember('obfuscated-names.apk', 'AndroidManifest.xml');
  const plainOracle = aaptXmlTree(fixture('mms.apk'), 'AndroidManifest.xml')[0] as OracleElement;

  it('finds attributes by resource ID although their names are gone', () => {
    const root = obfuscated.root as AxmlElement;
    const versionCode = getAttribute(root, AndroidAttr.versionCode, 'versionCode');
    expect(versionCode?.name).toBe('zzzzzzzzzzz');
    const oracleVersion = plainOracle.attributes.find((attribute) => attribute.name === 'versionCode');
    expect(oracleVersion?.value).toEqual({ kind: 'typed', type: ValueType.INT_DEC, data: versionCode?.value.data });
    // By name alone it is not there any more, and a name match without the ID is not accepted.
    expect(getAttributeByName(root, 'versionCode', ANDROID_NAMESPACE)).toBeUndefined();
    expect(getAttribute(root, 0x0101ffff, 'zzzzzzzzzzz')).toBeUndefined();
  });

  it('renders the same XML as the unobfuscated manifest (names restored from IDs)', () => {
    expect(renderAxmlAsXml(obfuscated).text).toBe(renderAxmlAsXml(plain).text);
    const displayNames = (plain.root as AxmlElement).attributes.map(attributeDisplayName);
    expect(displayNames).toEqual(plainOracle.attributes.map((attribute) => attribute.name));
  });
});

interface ExpatElement {
  name: string;
  line: number;
  attributes: Record<string, string>;
}

/** Python's expat reading our XML text: element names, attributes and the line each starts on. */
function expatElements(text: string): ExpatElement[] {
  const script = `
import json, sys
import xml.parsers.expat
out = []
p = xml.parsers.expat.ParserCreate()
p.ordered_attributes = True
def start(name, attrs):
    out.append({'name': name, 'line': p.CurrentLineNumber, 'attributes': dict(zip(attrs[0::2], attrs[1::2]))})
p.StartElementHandler = start
p.Parse(sys.stdin.buffer.read(), True)
print(json.dumps(out))
`;
  return JSON.parse(execFileSync('python3', ['-c', script], { input: text }).toString('utf8')) as ExpatElement[];
}

function flatten(root: OracleElement): OracleElement[] {
  const out = [root];
  for (const child of root.children) out.push(...flatten(child));
  return out;
}

describe('renderAxmlAsXml', () => {
  for (const [apk, member] of [
    ['mms.apk', 'AndroidManifest.xml'],
    ['mms.apk', 'res/xml/preferences.xml'],
    ['settings-overlay.apk', 'AndroidManifest.xml'],
  ] as const) {
    it(`${apk}!${member}: well-formed XML whose elements, values and lines match aapt`, () => {
      const document = decodeMember(apk, member);
      const table = parseResourceTable(unzipMember(fixture(apk), 'resources.arsc'), { file: apk, member: 'resources.arsc' });
      const resolver = new ResourceResolver(table);
      const rendered = renderAxmlAsXml(document, { resolveReference: (id) => resolver.nameOf(id) });
      const parsed = expatElements(rendered.text);
      const oracle = flatten(aaptXmlTree(fixture(apk), member)[0] as OracleElement);
      const resources = aaptResources(fixture(apk));
      const ownPackage = `${resources.packages[0]?.name ?? ''}:`;
      const names = new Map(resources.resources.map((resource) => [resource.id, resource.name]));
      const ours = [...walkElements(document.root)];
      expect(parsed.map((element) => element.name)).toEqual(oracle.map((element) => element.name));
      parsed.forEach((element, i) => {
        expect(rendered.lineOf(ours[i] as AxmlElement)).toBe(element.line);
        const expected: Record<string, string> = {};
        for (const attribute of (oracle[i] as OracleElement).attributes) {
          const name = attribute.prefix === '' ? attribute.name : `${attribute.prefix}:${attribute.name}`;
          const value = attribute.value;
          if (value.kind === 'string') expected[name] = value.raw ?? value.text;
          else if (value.kind === 'reference') {
            const named = names.get(value.id);
            expected[name] = named === undefined ? `@0x${value.id.toString(16).padStart(8, '0')}` : `@${named.replace(ownPackage, '')}`;
          } else if (value.kind === 'typed' && value.type === ValueType.INT_BOOLEAN) expected[name] = value.data !== 0 ? 'true' : 'false';
          else if (value.kind === 'typed' && value.type === ValueType.INT_DEC) expected[name] = String(value.data | 0);
          else if (value.kind === 'typed' && value.type === ValueType.INT_HEX) expected[name] = `0x${value.data.toString(16)}`;
        }
        const own = Object.fromEntries(Object.entries(element.attributes).filter(([name]) => !name.startsWith('xmlns')));
        expect(own).toEqual(expected);
      });
    });
  }

  it('names the cloud messaging default by resource name and keeps every element on its own line', () => {
    const document = decodeMember('mms.apk', 'res/xml/preferences.xml');
    const table = parseResourceTable(unzipMember(fixture('mms.apk'), 'resources.arsc'), { file: 'mms.apk', member: 'resources.arsc' });
    const resolver = new ResourceResolver(table);
    const rendered = renderAxmlAsXml(document, { resolveReference: (id) => resolver.nameOf(id) });
    const cloud = [...walkElements(document.root)].find((element) => getAttribute(element, AndroidAttr.key)?.value.string === 'pref_key_enable_cloud_messaging') as AxmlElement;
    const line = rendered.text.split('\n')[(rendered.lineOf(cloud) ?? 0) - 1];
    expect(line).toContain('<SwitchPreference ');
    expect(line).toContain('android:key="pref_key_enable_cloud_messaging"');
    expect(line).toContain('android:defaultValue="@bool/def_cloud_messaging"');
    expect(line).toContain('android:title="@string/pref_title_cloud_messaging"');
  });

  it('is deterministic', () => {
    const a = renderAxmlAsXml(decodeMember('mms.apk', 'AndroidManifest.xml')).text;
    const b = renderAxmlAsXml(decodeMember('mms.apk', 'AndroidManifest.xml')).text;
    expect(a).toBe(b);
  });
});

// ---------------------------------------------------------------- synthetic and corrupt input

/** A ResChunk: u16 type, u16 header size, u32 size, then the rest of the header and the body. */
function chunk(type: number, headerRest: Buffer, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16LE(type, 0);
  head.writeUInt16LE(8 + headerRest.length, 2);
  head.writeUInt32LE(8 + headerRest.length + body.length, 4);
  return Buffer.concat([head, headerRest, body]);
}

function u32s(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => out.writeUInt32LE(value >>> 0, i * 4));
  return out;
}

/** A string pool written independently of the decoder: UTF-16 or UTF-8 (AOSP's length encodings). */
function stringPool(strings: string[], utf8: boolean): Buffer {
  const data: Buffer[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const text of strings) {
    offsets.push(at);
    let encoded: Buffer;
    if (utf8) {
      const bytes = Buffer.from(text, 'utf8');
      const units = text.length;
      const length = (n: number): Buffer => (n > 0x7f ? Buffer.from([0x80 | (n >> 8), n & 0xff]) : Buffer.from([n]));
      encoded = Buffer.concat([length(units), length(bytes.length), bytes, Buffer.from([0])]);
    } else {
      const units = text.length;
      const length = units > 0x7fff ? Buffer.from([(units >> 16) & 0xff, 0x80 | ((units >> 24) & 0x7f), units & 0xff, (units >> 8) & 0xff]) : Buffer.from([units & 0xff, units >> 8]);
      encoded = Buffer.concat([length, Buffer.from(text, 'utf16le'), Buffer.from([0, 0])]);
    }
    data.push(encoded);
    at += encoded.length;
  }
  let body = Buffer.concat([u32s(...offsets), ...data]);
  body = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const header = u32s(strings.length, 0, utf8 ? 0x100 : 0, 28 + strings.length * 4, 0);
  return chunk(0x0001, header, body);
}

function startElement(name: number, attributes: [nameIndex: number, type: number, data: number, raw?: number][] = [], line = 1): Buffer {
  const attrs = attributes.map(([nameIndex, type, data, raw]) => {
    const attribute = Buffer.alloc(20);
    attribute.writeUInt32LE(0xffffffff, 0);
    attribute.writeUInt32LE(nameIndex, 4);
    attribute.writeUInt32LE(raw ?? 0xffffffff, 8);
    attribute.writeUInt16LE(8, 12);
    attribute.writeUInt8(type, 15);
    attribute.writeUInt32LE(data >>> 0, 16);
    return attribute;
  });
  const ext = Buffer.alloc(20);
  ext.writeUInt32LE(0xffffffff, 0);
  ext.writeUInt32LE(name, 4);
  ext.writeUInt16LE(20, 8);
  ext.writeUInt16LE(20, 10);
  ext.writeUInt16LE(attributes.length, 12);
  return chunk(0x0102, u32s(line, 0xffffffff), Buffer.concat([ext, ...attrs]));
}

function endElement(name: number): Buffer {
  return chunk(0x0103, u32s(1, 0xffffffff), u32s(0xffffffff, name));
}

function axml(...parts: Buffer[]): Buffer {
  return chunk(0x0003, Buffer.alloc(0), Buffer.concat(parts));
}

const where = { file: 'crafted.apk', member: 'AndroidManifest.xml' };

function expectInputError(run: () => unknown, check?: (error: InputError) => void): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an InputError').toBeInstanceOf(InputError);
  const error = caught as InputError;
  expect(error.file).toBe(where.file);
  expect(error.format.startsWith(`apk › ${where.member} › `)).toBe(true);
  expect(typeof error.offset).toBe('number');
  check?.(error);
}

describe('string pools', () => {
  for (const utf8 of [false, true]) {
    it(`decodes ${utf8 ? 'UTF-8' : 'UTF-16'} strings, including long and non-ASCII ones`, () => {
      // UTF-8 pools store at most 0x7fff bytes per string; UTF-16 ones need the 2-unit length form above 0x7fff.
      const strings = ['manifest', 'package', 'com.example.ünïcödé', '短信', '', 'x'.repeat(300), 'y'.repeat(utf8 ? 20_000 : 40_000)];
      const document = decodeAxml(axml(stringPool(strings, utf8), startElement(0, [[1, ValueType.STRING, 2, 2]]), endElement(0)), where);
      expect(document.strings.utf8).toBe(utf8);
      expect(document.strings.all()).toEqual(strings);
      expect(document.root?.attributes[0]).toMatchObject({ name: 'package', rawValue: 'com.example.ünïcödé', value: { string: 'com.example.ünïcödé' } });
    });
  }

  it('reads the real manifest identically after re-encoding its pool as UTF-8', () => {
    const bytes = unzipMember(fixture('mms.apk'), 'AndroidManifest.xml');
    const original = decodeAxml(bytes, where);
    expect(original.strings.utf8).toBe(false);
    const poolSize = bytes.readUInt32LE(8 + 4);
    const utf8Pool = stringPool(original.strings.all(), true);
    const reencoded = axml(utf8Pool, bytes.subarray(8 + poolSize));
    const again = decodeAxml(reencoded, where);
    expect(again.strings.utf8).toBe(true);
    expect(renderAxmlAsXml(again).text).toBe(renderAxmlAsXml(original).text);
    expectSameTree(again.root as AxmlElement, aaptXmlTree(fixture('mms.apk'), 'AndroidManifest.xml')[0] as OracleElement, 'utf8');
  });
});

describe('corrupt binary XML', () => {
  const real = unzipMember(fixture('mms.apk'), 'AndroidManifest.xml');

  it('truncated at any offset: an InputError with file, format and offset', () => {
    for (let length = 0; length < real.length; length += 3) {
      expectInputError(() => decodeAxml(real.subarray(0, length), where));
    }
  });

  it('a bad string index names the attribute field', () => {
    const strings = stringPool(['manifest', 'package'], false);
    const bytes = axml(strings, startElement(0, [[7, ValueType.INT_DEC, 1]]), endElement(0));
    const field = 8 + strings.length + 16 + 20 + 4; // XML header, pool, node header, attrExt, attribute.name
    expect(bytes.readUInt32LE(field)).toBe(7);
    expectInputError(
      () => decodeAxml(bytes, where),
      (error) => {
        expect(error.format).toContain('ResXMLTree_attribute');
        expect(error.offset).toBe(field);
        expect(error.problem).toContain('string index 7');
      },
    );
  });

  it('huge declared sizes and counts', () => {
    const hugeChunk = Buffer.from(real);
    hugeChunk.writeUInt32LE(0xfffffff0, 4);
    expectInputError(() => decodeAxml(hugeChunk, where), (error) => expect(error.offset).toBe(0));
    const hugePool = Buffer.from(real);
    hugePool.writeUInt32LE(0x7fffffff, 8 + 8); // string count
    expectInputError(() => decodeAxml(hugePool, where), (error) => expect(error.format).toContain('string pool'));
    const hugeString = axml(stringPool(['a'], false));
    hugeString.writeUInt16LE(0x7fff, 8 + 28 + 4); // length of string 0
    // Strings are decoded lazily: the error comes when the string is read.
    expectInputError(() => decodeAxml(hugeString, where).strings.get(0), (error) => expect(error.format).toContain('string 0'));
    const hugeAttributes = axml(stringPool(['a'], false), startElement(0));
    hugeAttributes.writeUInt16LE(0xffff, hugeAttributes.length - 20 + 12); // attributeCount
    expectInputError(() => decodeAxml(hugeAttributes, where), (error) => expect(error.format).toContain('attributes'));
  });

  it('flipped bytes in every chunk header and random corruption: never anything but an InputError', () => {
    let state = 12345;
    const random = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
    const headers: number[] = [0, 8];
    for (let at = 8 + real.readUInt32LE(12); at < real.length; at += real.readUInt32LE(at + 4)) headers.push(at);
    const started = Date.now();
    let failures = 0;
    const attempt = (bytes: Buffer): void => {
      try {
        const document = decodeAxml(bytes, where);
        renderAxmlAsXml(document);
        document.strings.all();
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        failures++;
      }
    };
    for (const header of headers) {
      for (const field of [0, 2, 4]) {
        for (const value of [0, 1, 0xff, 0xffff, random() & 0xffff]) {
          const bytes = Buffer.from(real);
          if (field === 4) bytes.writeUInt32LE(value === 0xffff ? 0xffffffff : value, header + 4);
          else bytes.writeUInt16LE(value, header + field);
          attempt(bytes);
        }
      }
    }
    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.from(real);
      for (let n = 1 + (random() % 4); n > 0; n--) bytes[random() % bytes.length] = random() & 0xff;
      attempt(bytes);
    }
    expect(failures).toBeGreaterThan(50);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('deep nesting is bounded, and walking and rendering deep trees needs no recursion', () => {
    const pool = stringPool(['a'], false);
    const deep = (depth: number): Buffer => {
      const parts: Buffer[] = [pool];
      for (let i = 0; i < depth; i++) parts.push(startElement(0));
      for (let i = 0; i < depth; i++) parts.push(endElement(0));
      return axml(...parts);
    };
    const document = decodeAxml(deep(MAX_AXML_DEPTH), where);
    expect([...walkElements(document.root)]).toHaveLength(MAX_AXML_DEPTH);
    // Declaration, the opening lines, the innermost element self-closed, the closing lines, final newline.
    expect(renderAxmlAsXml(document).text.split('\n').length).toBe(1 + MAX_AXML_DEPTH + (MAX_AXML_DEPTH - 1) + 1);
    expectInputError(() => decodeAxml(deep(MAX_AXML_DEPTH + 1), where), (error) => expect(error.problem).toContain('nested'));
  });

  it('text (CDATA) nodes are kept in order and rendered escaped', () => {
    const text = chunk(0x0104, u32s(3, 0xffffffff), Buffer.concat([u32s(1), u32s(0x03000008, 1)]));
    const bytes = axml(stringPool(['item', 'a < b & "c"'], false), startElement(0), text, endElement(0));
    const document = decodeAxml(bytes, where);
    expect(document.root?.children).toEqual([{ kind: 'text', text: 'a < b & "c"', sourceLine: 3 }]);
    const rendered = renderAxmlAsXml(document).text;
    expect(rendered).toBe('<?xml version="1.0" encoding="utf-8"?>\n<item>\n  a &lt; b &amp; &quot;c&quot;\n</item>\n');
    expect(expatElements(rendered).map((element) => element.name)).toEqual(['item']);
  });

  it('hostile names still render as well-formed XML', () => {
    const bytes = axml(stringPool(['bad<name&', 'at"tr', 'va"l<ue>\n&', ''], false), startElement(0, [[1, ValueType.STRING, 2, 2], [3, ValueType.INT_BOOLEAN, 1]]), endElement(0));
    const text = renderAxmlAsXml(decodeAxml(bytes, where)).text;
    const [element] = expatElements(text);
    expect(element?.name).toBe('bad_name_');
    expect(element?.attributes).toEqual({ at_tr: 'va"l<ue>\n&', unnamed: 'true' });
  });
});
