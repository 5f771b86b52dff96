/**
 * X.501 Names the way Java (and so apksigner and Android) handles them:
 *
 * - `displayName`: the text apksigner prints as `certificate DN:` (Java's X500Name form): the most
 *   specific part first (`CN=…, OU=…, O=…, C=…`), multi-valued parts joined by ` + ` in their
 *   encoded order, Java's keywords (`ST`, `EMAILADDRESS`, `OID.1.2.3` for unknown types), values
 *   with special characters in double quotes, values that are not strings as `#` and their DER.
 * - `canonicalName`: X500Principal's CANONICAL form, which Android compares when it matches a
 *   PKCS#7 signer's issuer to a certificate: PrintableString and UTF8String values as text (so
 *   the two spellings of one name are equal), other values in hex, white space collapsed, case
 *   folded, multi-valued parts sorted.
 */
import { InputError } from '../../errors.js';
import { childrenOf, contentOf, encodingOf, isUniversal, type Asn1, type Asn1Location } from './asn1.js';

const Tag = {
  OBJECT_IDENTIFIER: 0x06,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x10,
  SET: 0x11,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  GENERAL_STRING: 0x1b,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
} as const;

/** Java's X500Name keywords (RFC 1779 and its own additions). */
const DISPLAY_KEYWORDS = new Map<string, string>([
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

/** The RFC 2253 keywords, which the canonical form uses; any other type is written as its OID. */
const RFC2253_KEYWORDS = new Map<string, string>([
  ['2.5.4.3', 'cn'],
  ['2.5.4.6', 'c'],
  ['2.5.4.7', 'l'],
  ['2.5.4.8', 'st'],
  ['2.5.4.9', 'street'],
  ['2.5.4.10', 'o'],
  ['2.5.4.11', 'ou'],
  ['0.9.2342.19200300.100.1.1', 'uid'],
  ['0.9.2342.19200300.100.1.25', 'dc'],
]);

/** Characters that make Java quote a displayed value. */
const SPECIAL = ',+=\n<>#;\\"';
/** Characters RFC 2253 escapes with a backslash. */
const RFC2253_ESCAPED = ',+<>;"\\';

interface Attribute {
  oid: string;
  value: Asn1;
}

/** A Name's relative distinguished names in encoded order (most general first). */
function readName(name: Asn1, where: Asn1Location): Attribute[][] {
  const fail = (problem: string): never => {
    throw new InputError(problem, where);
  };
  if (!isUniversal(name, Tag.SEQUENCE)) fail('a name is not a SEQUENCE');
  return childrenOf(name).map((rdn) => {
    if (!isUniversal(rdn, Tag.SET)) fail('a relative distinguished name is not a SET');
    return childrenOf(rdn).map((attribute) => {
      const [type, value, extra] = childrenOf(attribute);
      if (!isUniversal(attribute, Tag.SEQUENCE) || type === undefined || value === undefined || extra !== undefined) fail('a name attribute is not a type and one value');
      if (!isUniversal(type as Asn1, Tag.OBJECT_IDENTIFIER)) fail('a name attribute type is not an OBJECT IDENTIFIER');
      return { oid: (type as unknown as { getValue(): string }).getValue(), value: value as Asn1 };
    });
  });
}

/** The name as apksigner and keytool print it. */
export function displayName(name: Asn1, where: Asn1Location): string {
  return readName(name, where)
    .map((rdn) => rdn.map((attribute) => displayAttribute(attribute)).join(' + '))
    .reverse()
    .join(', ');
}

function displayAttribute({ oid, value }: Attribute): string {
  const keyword = DISPLAY_KEYWORDS.get(oid) ?? `OID.${oid}`;
  const text = javaString(value);
  return `${keyword}=${text === undefined ? `#${encodingOf(value).toString('hex')}` : quoteLikeJava(text)}`;
}

/** X500Principal's CANONICAL form: two names are the same to Android when these are equal. */
export function canonicalName(name: Asn1, where: Asn1Location): string {
  return readName(name, where)
    .map((rdn) => rdn.map(canonicalAttribute).sort(compareCanonicalAttributes).join('+'))
    .reverse()
    .join(',');
}

function canonicalAttribute({ oid, value }: Attribute): string {
  const keyword = RFC2253_KEYWORDS.get(oid) ?? oid;
  const asText = RFC2253_KEYWORDS.has(oid) && value.idBlock.tagClass === 1 && !value.idBlock.isConstructed && (value.idBlock.tagNumber === Tag.PRINTABLE_STRING || value.idBlock.tagNumber === Tag.UTF8_STRING);
  const text = asText ? canonicalValue(javaString(value) ?? '') : `#${encodingOf(value).toString('hex')}`;
  return `${keyword}=${text}`.toUpperCase().toLowerCase().normalize('NFKD');
}

/** Keyword AVAs in alphabetical order, then OID ones in numeric order (AVAComparator). */
function compareCanonicalAttributes(a: string, b: string): number {
  const aOid = /^\d/.test(a);
  const bOid = /^\d/.test(b);
  if (aOid !== bOid) return aOid ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** RFC 2253 escapes, runs of white space as one, trimmed (AVA.toRFC2253CanonicalString). */
function canonicalValue(text: string): string {
  let out = '';
  let previousWhite = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    const escaped = RFC2253_ESCAPED.includes(char) || (i === 0 && char === '#');
    if (!escaped && !isPrintableStringChar(char)) {
      previousWhite = false;
      out += char;
      continue;
    }
    if (escaped) out += '\\';
    if (!/\s/.test(char)) {
      previousWhite = false;
      out += char;
    } else if (!previousWhite) {
      previousWhite = true;
      out += char;
    }
  }
  return javaTrim(out);
}

/** String.trim(): strips characters up to U+0020 at both ends. */
function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

/** A directory string's text, decoded as Java does; undefined for values that are not strings. */
function javaString(value: Asn1): string | undefined {
  if (value.idBlock.tagClass !== 1 || value.idBlock.isConstructed) return undefined;
  const content = contentOf(value);
  switch (value.idBlock.tagNumber) {
    case Tag.UTF8_STRING:
      return new TextDecoder('utf-8').decode(content);
    case Tag.PRINTABLE_STRING:
    case Tag.IA5_STRING:
    case Tag.GENERAL_STRING:
      return decodeAscii(content);
    case Tag.T61_STRING:
      return content.toString('latin1');
    case Tag.BMP_STRING:
      return decodeUtf16BigEndian(content);
    case Tag.UNIVERSAL_STRING:
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
