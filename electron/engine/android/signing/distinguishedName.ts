/**
 * An X.501 Name as text, the way apksigner prints `certificate DN:` (Java's X500Name form): the
 * most specific part first (`CN=…, OU=…, O=…, C=…`), multi-valued parts joined by ` + ` in their
 * encoded order, Java's keywords (`ST`, `EMAILADDRESS`, `OID.1.2.3` for unknown types), values with
 * special characters in double quotes, and values that are not strings as `#` and their DER in hex.
 */
import { decodeObjectIdentifier, DerReader, TagClass, UniversalTag, type DerElement } from './der.js';

const KEYWORDS = new Map<string, string>([
  ['2.5.4.3', 'CN'],
  ['2.5.4.4', 'SURNAME'],
  ['2.5.4.5', 'SERIALNUMBER'],
  ['2.5.4.6', 'C'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.9', 'STREET'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.12', 'T'],
  ['2.5.4.42', 'GIVENNAME'],
  ['2.5.4.43', 'INITIALS'],
  ['2.5.4.44', 'GENERATION'],
  ['2.5.4.46', 'DNQ'],
  ['0.9.2342.19200300.100.1.1', 'UID'],
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['1.2.840.113549.1.9.1', 'EMAILADDRESS'],
  ['1.3.6.1.4.1.42.2.11.2.1', 'IP'],
]);

/** Characters that make Java quote a value. */
const SPECIAL = ',+=\n<>#;\\"';

export function formatDistinguishedName(reader: DerReader, name: DerElement): string {
  const parts = reader.childrenOf(name, UniversalTag.SEQUENCE, 'Name').map((rdn) =>
    reader
      .childrenOf(rdn, UniversalTag.SET, 'RelativeDistinguishedName')
      .map((attribute) => formatAttribute(reader, attribute))
      .join(' + '),
  );
  return parts.reverse().join(', ');
}

function formatAttribute(reader: DerReader, attribute: DerElement): string {
  const [type, value, extra] = reader.childrenOf(attribute, UniversalTag.SEQUENCE, 'AttributeTypeAndValue');
  reader.expect(type, TagClass.UNIVERSAL, UniversalTag.OBJECT_IDENTIFIER, 'attribute type', attribute.contentStart);
  if (value === undefined || extra !== undefined) reader.fail('attribute is not a type and one value', attribute.start);
  const oid = decodeObjectIdentifier(reader.content(type));
  if (oid === undefined) reader.fail('malformed object identifier', type.start);
  const keyword = KEYWORDS.get(oid) ?? `OID.${oid}`;
  const text = decodeString(reader, value);
  return `${keyword}=${text === undefined ? `#${reader.encoding(value).toString('hex')}` : quoteLikeJava(text)}`;
}

/** A directory string's text, decoded as Java does; undefined for values that are not strings. */
function decodeString(reader: DerReader, value: DerElement): string | undefined {
  if (value.tagClass !== TagClass.UNIVERSAL || value.constructed) return undefined;
  const content = reader.content(value);
  switch (value.tagNumber) {
    case UniversalTag.UTF8_STRING:
      return new TextDecoder('utf-8').decode(content);
    case UniversalTag.PRINTABLE_STRING:
    case UniversalTag.IA5_STRING:
    case UniversalTag.GENERAL_STRING:
      return decodeAscii(content);
    case UniversalTag.T61_STRING:
      return content.toString('latin1');
    case UniversalTag.BMP_STRING:
      return decodeUtf16BigEndian(content);
    case UniversalTag.UNIVERSAL_STRING:
      return decodeUtf32BigEndian(content);
    default:
      return undefined;
  }
}

/** Java's US-ASCII decoder: bytes above 0x7f become U+FFFD (Node's 'ascii' would map them to Latin-1). */
function decodeAscii(content: Buffer): string {
  const text = content.toString('latin1');
  return /[\u0080-\u00ff]/.test(text) ? text.replace(/[\u0080-\u00ff]/g, '\ufffd') : text;
}

function decodeUtf16BigEndian(content: Buffer): string {
  const even = content.length & ~1;
  const swapped = Buffer.from(content.subarray(0, even)).swap16();
  const text = new TextDecoder('utf-16le').decode(swapped);
  return even === content.length ? text : `${text}\ufffd`;
}

function decodeUtf32BigEndian(content: Buffer): string {
  let text = '';
  const whole = content.length - (content.length % 4);
  for (let offset = 0; offset < whole; offset += 4) {
    const codePoint = content.readUInt32BE(offset);
    const valid = codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
    text += valid ? String.fromCodePoint(codePoint) : '\ufffd';
  }
  return whole === content.length ? text : `${text}\ufffd`;
}

/**
 * Java's rule (RFC 1779 style): quote the value when it holds a special character, starts or ends
 * with white space, or has two white-space characters in a row; escape `"` and `\` inside. A value
 * already wrapped in double quotes is not wrapped again.
 */
function quoteLikeJava(value: string): string {
  const alreadyQuoted = value.length > 1 && value.startsWith('"') && value.endsWith('"');
  let quote = false;
  let previousWhite = false;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const char = value.charAt(i);
    if (alreadyQuoted && (i === 0 || i === value.length - 1)) {
      out += char;
      continue;
    }
    const special = SPECIAL.includes(char);
    if (!special && !isPrintableStringChar(char)) {
      previousWhite = false;
      out += char;
      continue;
    }
    const white = char === ' ' || char === '\n';
    if (special || (i === 0 && white) || (white && previousWhite)) quote = true;
    if (char === '"' || char === '\\') out += '\\';
    previousWhite = white;
    out += char;
  }
  if (out.endsWith(' ') || out.endsWith('\n')) quote = true;
  return quote && !alreadyQuoted ? `"${out}"` : out;
}

/** The PrintableString alphabet: letters, digits, space and `'()+,-./:=?`. */
function isPrintableStringChar(char: string): boolean {
  return /^[A-Za-z0-9 '()+,\-./:=?]$/.test(char);
}
