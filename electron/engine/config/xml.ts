import { InputError } from '../errors.js';

/**
 * A small, safe reader for the plain XML of Android's configuration files (SystemConfig permission
 * and sysconfig files, default-permissions): elements, attributes, text, CDATA, comments and
 * processing instructions. It never expands anything: `<!DOCTYPE …>` is skipped whole, and only the
 * five predefined entities and numeric character references are decoded, so no external entity and
 * no entity-expansion bomb can do harm; nor are attribute defaults declared there applied (expat
 * would apply them; Android's configuration files never rely on them). Namespaces are not processed
 * (names stay as written, like Android's non-namespace-aware pull parser). Line endings are normalised and attribute whitespace is
 * turned into spaces as the XML specification says, so results match expat's.
 */
export interface XmlElement {
  /** The name as written, prefix included (`android:foo`). */
  name: string;
  /** Attributes in document order. */
  attributes: ReadonlyMap<string, string>;
  children: XmlElement[];
  /** Character data directly inside this element (text and CDATA, comments left out), joined. */
  text: string;
  /** 1-based line of the `<` that opens the element. */
  line: number;
}

export interface XmlLimits {
  /** Largest input accepted, in UTF-16 code units of the decoded text. */
  maxChars: number;
  maxDepth: number;
  maxElements: number;
}

/** Android's configuration XMLs are a few hundred KiB at most; these limits leave a wide margin. */
export const DEFAULT_XML_LIMITS: XmlLimits = { maxChars: 8 * 1024 * 1024, maxDepth: 256, maxElements: 250_000 };

const FORMAT = 'xml';

const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
// eslint-disable-next-line no-misleading-character-class -- XML's Name production allows combining marks (U+0300–U+036F)
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'uy');
const WHITESPACE = /[ \t\n]*/y;
/** Characters XML 1.0 forbids anywhere in a document (after line-end normalisation removed `\r`). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const PREDEFINED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['apos', "'"],
  ['quot', '"'],
]);
/** Longest reference worth looking for a `;` in: `&#x10FFFF;` and the predefined names are short. */
const MAX_REFERENCE_LENGTH = 32;

/** Parses `text` (the decoded content of the file at device path `file`) and returns its root element. */
export function parseXml(text: string, file: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlElement {
  return new XmlReader(text, file, limits).readDocument();
}

/** The value of an attribute, or undefined when the element does not have it. */
export function attribute(element: XmlElement, name: string): string | undefined {
  return element.attributes.get(name);
}

/** Maps offsets in the normalised text back to UTF-8 byte offsets in the file as it was given. */
class SourceMap {
  /** Normalised offsets at which a `\r` of a `\r\n` pair was dropped, ascending. */
  private readonly droppedCarriageReturns: number[] = [];
  readonly normalised: string;

  constructor(
    private readonly original: string,
    private readonly bomLength: number,
  ) {
    const body = original.slice(bomLength);
    if (!body.includes('\r')) {
      this.normalised = body;
      return;
    }
    let dropped = 0;
    for (let at = body.indexOf('\r\n'); at !== -1; at = body.indexOf('\r\n', at + 2)) {
      this.droppedCarriageReturns.push(at - dropped);
      dropped += 1;
    }
    this.normalised = body.replace(/\r\n?/g, '\n');
  }

  byteOffset(normalisedOffset: number): number {
    let low = 0;
    let high = this.droppedCarriageReturns.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.droppedCarriageReturns[middle] ?? 0) <= normalisedOffset) low = middle + 1;
      else high = middle;
    }
    const originalOffset = this.bomLength + normalisedOffset + low;
    return Buffer.byteLength(this.original.slice(0, originalOffset), 'utf8');
  }
}

class XmlReader {
  private readonly text: string;
  private readonly source: SourceMap;
  private pos = 0;
  private elementCount = 0;
  private lineCursor = 0;
  private lineAtCursor = 1;

  constructor(
    original: string,
    private readonly file: string,
    private readonly limits: XmlLimits,
  ) {
    if (original.length > limits.maxChars) {
      throw new InputError(`XML text of ${original.length} characters is larger than the ${limits.maxChars} accepted`, {
        file,
        format: FORMAT,
        offset: 0,
        expected: 'a configuration file of reasonable size',
      });
    }
    this.source = new SourceMap(original, original.startsWith('\uFEFF') ? 1 : 0);
    this.text = this.source.normalised;
    const forbidden = FORBIDDEN_CHAR.exec(this.text);
    if (forbidden !== null) {
      const code = forbidden[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      this.fail(`character U+${code} is not allowed in XML`, forbidden.index, 'text without control characters');
    }
  }

  readDocument(): XmlElement {
    if (this.text.startsWith('<?xml') && /^<\?xml[ \t\n?]/.test(this.text)) this.skipProcessingInstruction(true);
    this.skipMisc(true);
    if (this.pos >= this.text.length) this.fail('no root element', this.pos, 'a root element');
    if (this.text[this.pos] !== '<') this.fail('text before the root element', this.pos, 'a root element');
    const root = this.readElements();
    this.skipMisc(false);
    if (this.pos < this.text.length) {
      this.fail('content after the root element', this.pos, 'only comments, processing instructions or white space after the root element');
    }
    return root;
  }

  /** Comments, processing instructions, white space (and once, before the root, a DOCTYPE). */
  private skipMisc(doctypeAllowed: boolean): void {
    let doctypeSeen = false;
    for (;;) {
      this.skipWhitespace();
      if (this.text.startsWith('<!--', this.pos)) this.skipComment();
      else if (this.text.startsWith('<?', this.pos)) this.skipProcessingInstruction(false);
      else if (this.text.startsWith('<!DOCTYPE', this.pos)) {
        if (!doctypeAllowed || doctypeSeen) this.fail('misplaced <!DOCTYPE', this.pos, 'at most one DOCTYPE, before the root element');
        doctypeSeen = true;
        this.skipDoctype();
      } else return;
    }
  }

  /** Reads the root element and everything inside it, without recursion. */
  private readElements(): XmlElement {
    const root = this.readStartTag();
    if (root.selfClosing) return root.element;
    const open: XmlElement[] = [root.element];
    while (open.length > 0) {
      const current = open[open.length - 1] as XmlElement;
      const next = this.text.indexOf('<', this.pos);
      if (next === -1) this.fail(`element <${current.name}> is not closed`, this.text.length, `</${current.name}>`);
      if (next > this.pos) current.text += this.decodeReferences(this.text.slice(this.pos, next), this.pos, false);
      this.pos = next;
      if (this.text.startsWith('</', next)) {
        this.readEndTag(current.name);
        open.pop();
      } else if (this.text.startsWith('<!--', next)) this.skipComment();
      else if (this.text.startsWith('<![CDATA[', next)) current.text += this.readCdata();
      else if (this.text.startsWith('<?', next)) this.skipProcessingInstruction(false);
      else if (this.text.startsWith('<!', next)) this.fail('unexpected markup declaration inside an element', next, 'an element, comment, CDATA section or text');
      else {
        const child = this.readStartTag();
        current.children.push(child.element);
        if (!child.selfClosing) {
          if (open.length >= this.limits.maxDepth) {
            this.fail(`elements nested deeper than ${this.limits.maxDepth} levels`, next, `at most ${this.limits.maxDepth} levels of elements`);
          }
          open.push(child.element);
        }
      }
    }
    return root.element;
  }

  private readStartTag(): { element: XmlElement; selfClosing: boolean } {
    const tagStart = this.pos;
    this.elementCount += 1;
    if (this.elementCount > this.limits.maxElements) {
      this.fail(`more than ${this.limits.maxElements} elements`, tagStart, `at most ${this.limits.maxElements} elements`);
    }
    this.pos += 1;
    const name = this.readName('an element name after <');
    const attributes = new Map<string, string>();
    for (;;) {
      const beforeWhitespace = this.pos;
      this.skipWhitespace();
      if (this.text.startsWith('/>', this.pos)) {
        this.pos += 2;
        return { element: this.newElement(name, attributes, tagStart), selfClosing: true };
      }
      if (this.text[this.pos] === '>') {
        this.pos += 1;
        return { element: this.newElement(name, attributes, tagStart), selfClosing: false };
      }
      if (this.pos >= this.text.length) this.fail(`start tag <${name} is not closed`, tagStart, '> or />');
      if (this.pos === beforeWhitespace) this.fail(`unexpected character in start tag <${name}`, this.pos, 'white space, an attribute, > or />');
      this.readAttribute(name, attributes);
    }
  }

  private readAttribute(elementName: string, attributes: Map<string, string>): void {
    const nameStart = this.pos;
    const name = this.readName(`an attribute name, > or /> in <${elementName}>`);
    if (attributes.has(name)) this.fail(`attribute ${name} appears twice in <${elementName}>`, nameStart, 'each attribute once');
    this.skipWhitespace();
    if (this.text[this.pos] !== '=') this.fail(`attribute ${name} of <${elementName}> has no value`, this.pos, '=');
    this.pos += 1;
    this.skipWhitespace();
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'") this.fail(`value of attribute ${name} is not quoted`, this.pos, 'a value in single or double quotes');
    const valueStart = this.pos + 1;
    const valueEnd = this.text.indexOf(quote, valueStart);
    if (valueEnd === -1) this.fail(`value of attribute ${name} is not closed`, this.pos, `a closing ${quote}`);
    const raw = this.text.slice(valueStart, valueEnd);
    const lessThan = raw.indexOf('<');
    if (lessThan !== -1) this.fail(`< inside the value of attribute ${name}`, valueStart + lessThan, '&lt; instead of <');
    attributes.set(name, this.decodeReferences(raw, valueStart, true));
    this.pos = valueEnd + 1;
  }

  private readEndTag(expectedName: string): void {
    const tagStart = this.pos;
    this.pos += 2;
    const name = this.readName(`the name of </${expectedName}>`);
    if (name !== expectedName) this.fail(`</${name}> closes <${expectedName}>`, tagStart, `</${expectedName}>`);
    this.skipWhitespace();
    if (this.text[this.pos] !== '>') this.fail(`end tag </${name} is not closed`, this.pos, '>');
    this.pos += 1;
  }

  private newElement(name: string, attributes: Map<string, string>, tagStart: number): XmlElement {
    return { name, attributes, children: [], text: '', line: this.lineAt(tagStart) };
  }

  private readName(expected: string): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.text);
    if (match === null) this.fail('expected a name', this.pos, expected);
    this.pos = NAME.lastIndex;
    return match[0];
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  private skipComment(): void {
    const end = this.text.indexOf('-->', this.pos + 4);
    if (end === -1) this.fail('comment is not closed', this.pos, '-->');
    this.pos = end + 3;
  }

  private readCdata(): string {
    const start = this.pos + '<![CDATA['.length;
    const end = this.text.indexOf(']]>', start);
    if (end === -1) this.fail('CDATA section is not closed', this.pos, ']]>');
    this.pos = end + 3;
    return this.text.slice(start, end);
  }

  private skipProcessingInstruction(declarationAllowed: boolean): void {
    const start = this.pos;
    this.pos += 2;
    const target = this.readName('a processing instruction target after <?');
    if (target.toLowerCase() === 'xml' && !declarationAllowed) this.fail('XML declaration not at the start of the file', start, 'the XML declaration only at the very start');
    const end = this.text.indexOf('?>', this.pos);
    if (end === -1) this.fail('processing instruction is not closed', start, '?>');
    this.pos = end + 2;
  }

  /**
   * Skips `<!DOCTYPE …>` with its internal subset without interpreting any declaration: quoted
   * literals, comments and processing instructions are stepped over so a `>` or `]` inside them does
   * not end the DOCTYPE early.
   */
  private skipDoctype(): void {
    const start = this.pos;
    const interesting = /["'<[\]>]/g;
    let depth = 0;
    interesting.lastIndex = start + '<!DOCTYPE'.length;
    for (;;) {
      const match = interesting.exec(this.text);
      if (match === null) this.fail('<!DOCTYPE is not closed', start, '>');
      const at = match.index;
      const char = match[0];
      if (char === '"' || char === "'") {
        const close = this.text.indexOf(char, at + 1);
        if (close === -1) this.fail('quoted literal in <!DOCTYPE is not closed', at, `a closing ${char}`);
        interesting.lastIndex = close + 1;
      } else if (char === '<') {
        if (this.text.startsWith('<!--', at)) {
          this.pos = at;
          this.skipComment();
          interesting.lastIndex = this.pos;
        } else if (this.text.startsWith('<?', at)) {
          this.pos = at;
          this.skipProcessingInstruction(false);
          interesting.lastIndex = this.pos;
        }
      } else if (char === '[') depth += 1;
      else if (char === ']') {
        if (depth === 0) this.fail('unbalanced ] in <!DOCTYPE', at, '[ before ]');
        depth -= 1;
      } else if (depth === 0) {
        this.pos = at + 1;
        return;
      }
    }
  }

  /** Decodes `&…;` references; in attribute values also turns tabs and newlines into spaces. */
  private decodeReferences(raw: string, rawOffset: number, inAttribute: boolean): string {
    const spaced = inAttribute ? raw.replace(/[\t\n]/g, ' ') : raw;
    if (!spaced.includes('&')) return spaced;
    let result = '';
    let from = 0;
    for (let amp = spaced.indexOf('&'); amp !== -1; amp = spaced.indexOf('&', from)) {
      result += spaced.slice(from, amp);
      const semicolon = spaced.indexOf(';', amp + 1);
      if (semicolon === -1 || semicolon - amp > MAX_REFERENCE_LENGTH) {
        this.fail('& that does not start a reference', rawOffset + amp, '&amp; or another reference ending with ;');
      }
      result += this.resolveReference(spaced.slice(amp + 1, semicolon), rawOffset + amp);
      from = semicolon + 1;
    }
    return result + spaced.slice(from);
  }

  private resolveReference(reference: string, offset: number): string {
    if (reference.startsWith('#')) {
      const code = /^#x[0-9A-Fa-f]+$/.test(reference)
        ? Number.parseInt(reference.slice(2), 16)
        : /^#[0-9]+$/.test(reference)
          ? Number.parseInt(reference.slice(1), 10)
          : Number.NaN;
      if (!isXmlChar(code)) this.fail(`character reference &${reference}; is not a valid XML character`, offset, 'a reference to a character XML allows');
      return String.fromCodePoint(code);
    }
    const predefined = PREDEFINED_ENTITIES.get(reference);
    if (predefined === undefined) {
      this.fail(`entity &${reference}; is not one of XML's five predefined entities (entities declared in a DOCTYPE are never expanded)`, offset, '&lt; &gt; &amp; &apos; &quot; or a character reference');
    }
    return predefined;
  }

  /** 1-based line of a normalised offset; offsets must not decrease between calls. */
  private lineAt(offset: number): number {
    for (let newline = this.text.indexOf('\n', this.lineCursor); newline !== -1 && newline < offset; newline = this.text.indexOf('\n', newline + 1)) {
      this.lineAtCursor += 1;
      this.lineCursor = newline + 1;
    }
    return this.lineAtCursor;
  }

  private fail(problem: string, offset: number, expected: string): never {
    const lineStart = this.text.lastIndexOf('\n', offset - 1) + 1;
    let line = 1;
    for (let newline = this.text.indexOf('\n'); newline !== -1 && newline < offset; newline = this.text.indexOf('\n', newline + 1)) line += 1;
    throw new InputError(`line ${line}, column ${offset - lineStart + 1}: ${problem}`, {
      file: this.file,
      format: FORMAT,
      offset: this.source.byteOffset(offset),
      expected,
    });
  }
}

function isXmlChar(code: number): boolean {
  if (!Number.isInteger(code)) return false;
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}
