// The XML reader checked against expat (Python's pyexpat, an independent parser): the same inputs,
// the same elements, attributes, text and line numbers; and on broken input both must refuse.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../electron/engine/errors.js';
import { DEFAULT_XML_LIMITS, parseXml, type XmlElement } from '../../electron/engine/config/xml.js';

interface PlainElement {
  name: string;
  attributes: [string, string][];
  children: PlainElement[];
  text: string;
  line: number;
}

type ExpatResult = { root: PlainElement } | { error: string; line: number };

const EXPAT_SCRIPT = `
import json, sys, xml.parsers.expat
def read(data):
    parser = xml.parsers.expat.ParserCreate()
    parser.ordered_attributes = True
    parser.buffer_text = True
    stack, result = [], {}
    def start(name, attrs):
        element = {'name': name, 'attributes': [[attrs[i], attrs[i + 1]] for i in range(0, len(attrs), 2)],
                   'children': [], 'text': '', 'line': parser.CurrentLineNumber}
        if stack:
            stack[-1]['children'].append(element)
        else:
            result['root'] = element
        stack.append(element)
    def end(name):
        stack.pop()
    def characters(text):
        if stack:
            stack[-1]['text'] += text
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(data, True)
        return result
    except xml.parsers.expat.ExpatError as error:
        return {'error': xml.parsers.expat.errors.messages[error.code], 'line': error.lineno}
inputs = json.loads(sys.stdin.buffer.read().decode('utf-8'))
print(json.dumps({key: read(text.encode('utf-8')) for key, text in inputs.items()}))
`;

/** Expat's reading of each text's UTF-8 bytes, in one python3 run. Fails loudly when python3 is missing. */
function expatAll(inputs: Record<string, string>): Record<string, ExpatResult> {
  try {
    const out = execFileSync('python3', ['-c', EXPAT_SCRIPT], { input: JSON.stringify(inputs), maxBuffer: 256 << 20 });
    return JSON.parse(out.toString('utf8')) as Record<string, ExpatResult>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('oracle tool "python3" is not installed (CI installs it: see .ci/run)', { cause: error });
    throw error;
  }
}

function expat(xml: string): ExpatResult {
  return expatAll({ xml }).xml as ExpatResult;
}

function plain(element: XmlElement): PlainElement {
  return {
    name: element.name,
    attributes: [...element.attributes],
    children: element.children.map(plain),
    text: element.text,
    line: element.line,
  };
}

const FILE = '/system/etc/permissions/test.xml';

function parseError(xml: string): InputError {
  try {
    parseXml(xml, FILE);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

const PRIVAPP_SAMPLE = `<?xml version="1.0" encoding="utf-8"?>
<!--
  ~ Copyright (C) 2017 The Android Open Source Project
  ~ Licensed under the Apache License, Version 2.0
  -->

<!--
This XML file declares which signature|privileged permissions should be granted to privileged
applications that come with the platform
-->
<permissions>
    <privapp-permissions package="com.android.backupconfirm">
        <permission name="android.permission.BACKUP"/>
        <permission name="android.permission.CRYPT_KEEPER"/>
    </privapp-permissions>

    <privapp-permissions package="com.android.launcher3">
        <permission name="android.permission.BIND_APPWIDGET"/>
        <permission name="android.permission.CONTROL_REMOTE_APP_TRANSITION_ANIMATIONS"/>
        <deny-permission name="android.permission.READ_LOGS" />
    </privapp-permissions>
</permissions>
`;

const PLATFORM_SAMPLE = `<?xml version="1.0" encoding="utf-8"?>
<permissions>

    <!-- The following tags are associating low-level group IDs with
         permission names. -->

    <permission name="android.permission.BLUETOOTH_ADMIN" >
        <group gid="net_bt_admin" />
    </permission>

    <permission name="android.permission.INTERNET" >
        <group gid="inet" />
    </permission>

    <assign-permission name="android.permission.MODIFY_AUDIO_SETTINGS" uid="media" />
    <assign-permission name="android.permission.ACCESS_SURFACE_FLINGER" uid="media" />

    <split-permission name="android.permission.ACCESS_FINE_LOCATION"
                      targetSdk="29">
        <new-permission name="android.permission.ACCESS_BACKGROUND_LOCATION" />
    </split-permission>

    <library name="android.test.runner"
            file="/system/framework/android.test.runner.jar" />

    <allow-in-power-save package="com.android.providers.downloads" />
    <allow-in-data-usage-save package="com.android.providers.downloads" />
</permissions>
`;

const PARITY_CASES: Record<string, string> = {
  'privapp-permissions in the AOSP style': PRIVAPP_SAMPLE,
  'platform.xml in the AOSP style': PLATFORM_SAMPLE,
  'single quotes, the five entities and character references': `<config a='x "y" &amp; &lt;z&gt;' b="it&apos;s &quot;q&quot;" c="&#65;&#x42;&#x1F600;">t&amp;&#169;</config>`,
  'tabs and newlines inside attribute values become spaces, but not escaped ones': '<config a="one\ttwo\nthree" b="x&#10;y&#9;z"/>',
  'CRLF and lone CR line endings': '<?xml version="1.0"?>\r\n<permissions>\r\n  <feature name="a"/>\r  <feature\r\n   name="b"/>\r\n</permissions>\r\n',
  'a byte order mark before the declaration': '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<config>\n<a/>\n</config>',
  'CDATA, comments and processing instructions between elements': '<config>a<![CDATA[<not> & element]]>b<!-- c <d> -->e<?pi some data?>\n<x>1</x><y/>f</config>',
  'a DOCTYPE whose internal subset hides > and ] in literals and comments': `<?xml version="1.0"?>
<!DOCTYPE permissions SYSTEM "perm.dtd" [
  <!ENTITY label "a > b ] c">
  <!-- ] > inside a comment -->
  <!ENTITY other '1>2 ] "'>
  <!ELEMENT permissions (feature)*>
]>
<permissions><feature name="x"/></permissions>`,
  'non-ASCII element, attribute names and values': '<permissions><ünï név="名前 ünïcödé">κείμενο</ünï></permissions>',
  'names with colons, dots, dashes and digits': '<a:b xmlns:a="urn:x" c.d-e_1="v"><f-g.h/></a:b>',
  'white space around = and before />': '<config\n  a = "1"\n  b\t=\t\'2\'  >\n<x   />\n</config   >',
  'comments and processing instructions after the root element': '<config/>\n<!-- trailing -->\n<?pi x?>\n',
  'empty attribute values and empty elements': '<config a="" b=\'\'><e></e><f/></config>',
};

describe('parseXml against expat', () => {
  let oracles: Record<string, ExpatResult> = {};
  beforeAll(() => {
    oracles = expatAll(PARITY_CASES);
  });

  for (const [title, xml] of Object.entries(PARITY_CASES)) {
    it(`reads ${title} as expat does`, () => {
      const oracle = oracles[title] as ExpatResult;
      if (!('root' in oracle)) throw new Error(`expat rejected the sample: ${oracle.error}`);
      expect(plain(parseXml(xml, FILE))).toEqual(oracle.root);
    });
  }

  it('reads a 4 MiB attribute value completely and quickly', () => {
    const big = 'v'.repeat(4 << 20);
    const xml = `<config name="${big}" small="1"><x/></config>`;
    const oracle = expat(xml);
    if (!('root' in oracle)) throw new Error(`expat rejected the sample: ${oracle.error}`);
    const started = performance.now();
    const root = parseXml(xml, FILE);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(root.attributes.get('name')?.length).toBe(oracle.root.attributes[0]?.[1].length);
    expect(root.attributes.get('small')).toBe('1');
  });
});

const BROKEN_CASES: Record<string, string> = {
  'an unterminated start tag': '<permissions><feature name="a"</permissions>',
  'an element never closed': '<permissions><feature name="a">',
  'a mismatched end tag': '<permissions><a></b></permissions>',
  'a duplicate attribute': '<config a="1" a="2"/>',
  'an unquoted attribute value': '<config a=1/>',
  'an attribute without value': '<config a/>',
  'a < inside an attribute value': '<config a="x<y"/>',
  'a bare ampersand': '<config>fish & chips</config>',
  'an undefined entity': '<config>&nbsp;</config>',
  'a reference to a forbidden character': '<config>&#0;</config>',
  'two root elements': '<a/><b/>',
  'text after the root element': '<a/>tail',
  'text before the root element': 'head<a/>',
  'no root element at all': '<!-- only a comment -->',
  'an empty document': '',
  'a control character': '<config>\u0001</config>',
  'attributes without white space between them': '<config a="1"b="2"/>',
  'an XML declaration that is not at the start': '\n<?xml version="1.0"?><a/>',
  'an unclosed comment': '<a><!-- never closed</a>',
  'an unclosed CDATA section': '<a><![CDATA[ never closed</a>',
  'a DOCTYPE after the root element': '<a/><!DOCTYPE a>',
  'an unclosed DOCTYPE': '<!DOCTYPE a [ <!ENTITY x "y"> <a/>',
};

describe('parseXml on broken input', () => {
  let oracles: Record<string, ExpatResult> = {};
  beforeAll(() => {
    oracles = expatAll(BROKEN_CASES);
  });

  for (const [title, xml] of Object.entries(BROKEN_CASES)) {
    it(`refuses ${title}, as expat does, with a typed error naming the file`, () => {
      expect(oracles[title]).toHaveProperty('error');
      const error = parseError(xml);
      expect(error.file).toBe(FILE);
      expect(error.format).toBe('xml');
      expect(typeof error.offset).toBe('number');
      expect(error.expected).toBeTruthy();
    });
  }

  it('reports the byte offset in the original file and the line, across CRLF and multi-byte text', () => {
    const xml = '<permissions>\r\n<ünï a="é"/>\r\n<feature name="x" name="y"/>\r\n</permissions>';
    const error = parseError(xml);
    // The independent answer: where the second `name` starts in the UTF-8 bytes.
    const bytes = Buffer.from(xml, 'utf8');
    expect(error.offset).toBe(bytes.indexOf('name="y"'));
    expect(error.problem).toMatch(/^line 3, column 19: attribute name appears twice/);
    expect(error.message).toContain(FILE);
  });
});

describe('parseXml on hostile input', () => {
  it('never expands entities declared in a DOCTYPE (billion laughs): a typed error, at once', () => {
    const declarations = ['<!ENTITY lol "lol">'];
    for (let level = 1; level <= 9; level += 1) declarations.push(`<!ENTITY lol${level} "${`&lol${level - 1 === 0 ? '' : level - 1};`.repeat(10)}">`);
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n ${declarations.join('\n ')}\n]>\n<lolz>&lol9;</lolz>`;
    const started = performance.now();
    const error = parseError(xml);
    expect(performance.now() - started).toBeLessThan(500);
    expect(error.problem).toContain('&lol9;');
    expect(error.offset).toBe(Buffer.from(xml, 'utf8').indexOf('&lol9;</lolz>'));
  });

  it('skips a DOCTYPE naming an external entity without fetching or reading anything', () => {
    const xml = '<!DOCTYPE config [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>\n<config a="1"/>';
    expect(parseXml(xml, FILE).attributes.get('a')).toBe('1');
    expect(parseError('<!DOCTYPE config [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>\n<config>&secret;</config>').problem).toContain('&secret;');
  });

  it('applies no attribute default declared in a DOCTYPE (unlike expat, it interprets no declaration)', () => {
    const xml = "<!DOCTYPE config [ <!ATTLIST config injected CDATA 'yes'> ]>\n<config a='1'/>";
    const oracle = expat(xml);
    expect('root' in oracle && oracle.root.attributes).toEqual([['a', '1'], ['injected', 'yes']]);
    expect([...parseXml(xml, FILE).attributes]).toEqual([['a', '1']]);
  });

  it('refuses nesting deeper than the limit without exhausting the stack', () => {
    const depth = 100_000;
    const xml = '<a>'.repeat(depth) + '</a>'.repeat(depth);
    const error = parseError(xml);
    expect(error.problem).toContain(`deeper than ${DEFAULT_XML_LIMITS.maxDepth} levels`);
    expect(error.offset).toBe(3 * DEFAULT_XML_LIMITS.maxDepth);
  });

  it('accepts nesting up to the limit', () => {
    const depth = DEFAULT_XML_LIMITS.maxDepth;
    let element = parseXml('<a>'.repeat(depth) + '</a>'.repeat(depth), FILE);
    let levels = 1;
    while (element.children[0] !== undefined) {
      element = element.children[0];
      levels += 1;
    }
    expect(levels).toBe(depth);
  });

  it('refuses text larger than the limit before reading it', () => {
    const error = (() => {
      try {
        parseXml('<a/>' + ' '.repeat(64), FILE, { ...DEFAULT_XML_LIMITS, maxChars: 32 });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).offset).toBe(0);
  });

  it('refuses more elements than the limit', () => {
    const xml = `<a>${'<b/>'.repeat(20)}</a>`;
    expect(() => parseXml(xml, FILE, { ...DEFAULT_XML_LIMITS, maxElements: 10 })).toThrow(InputError);
  });

  it('does not take quadratic time on many unclosed-looking fragments', () => {
    const xml = `<a>${'&amp;<!-- x -->'.repeat(200_000)}</a>`;
    const started = performance.now();
    expect(parseXml(xml, FILE).text.length).toBe(200_000);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
