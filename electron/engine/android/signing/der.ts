/**
 * A small, bounded reader for ASN.1 DER, enough for certificates and PKCS#7 SignedData. It also
 * accepts the BER indefinite lengths that some old JAR signing tools wrote. It never copies: an
 * element is a set of offsets into the caller's buffer, checked against its parent's end before
 * anything looks inside it.
 */
import { InputError } from '../../errors.js';

/** Where the buffer comes from, for error messages. */
export interface DerLocation {
  file: string;
  /** Format layer, e.g. `apk › META-INF/CERT.RSA › PKCS#7`. */
  format: string;
  /** Offset of the buffer's first byte within that layer. */
  baseOffset: number;
}

export const TagClass = { UNIVERSAL: 0, APPLICATION: 1, CONTEXT: 2, PRIVATE: 3 } as const;

export const UniversalTag = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
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

export interface DerElement {
  readonly tagClass: number;
  readonly constructed: boolean;
  readonly tagNumber: number;
  /** Offsets in the reader's buffer: header start, content start, content end, element end. */
  readonly start: number;
  readonly contentStart: number;
  readonly contentEnd: number;
  /** After the end-of-contents octets for an indefinite length, else `contentEnd`. */
  readonly end: number;
  /** Nesting level below the element the walk started from. */
  readonly depth: number;
}

/** Deeper nesting than any certificate or SignedData needs; bounds recursion on hostile input. */
const MAX_DEPTH = 48;
/** Tag numbers above 2^28 do not occur in the structures read here. */
const MAX_TAG_NUMBER_BYTES = 4;
/** Four length octets reach 4 GiB, far more than any buffer this reader sees. */
const MAX_LENGTH_OCTETS = 4;

export class DerReader {
  constructor(
    readonly bytes: Buffer,
    private readonly location: DerLocation,
  ) {}

  /** The element whose header starts at `offset`; it must end by `limit`. */
  elementAt(offset: number, limit: number = this.bytes.length, depth = 0): DerElement {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`, offset);
    const bytes = this.bytes;
    let position = offset;
    const need = (count: number, what: string): void => {
      if (position + count > limit) this.fail(`truncated ${what}`, position, `${count} more bytes, ${Math.max(0, limit - position)} remain`);
    };

    need(1, 'tag');
    const first = bytes[position++] as number;
    const tagClass = first >> 6;
    const constructed = (first & 0x20) !== 0;
    let tagNumber = first & 0x1f;
    if (tagNumber === 0x1f) {
      tagNumber = 0;
      for (let count = 0; ; count++) {
        if (count === MAX_TAG_NUMBER_BYTES) this.fail('tag number too large', offset);
        need(1, 'tag number');
        const byte = bytes[position++] as number;
        tagNumber = tagNumber * 128 + (byte & 0x7f);
        if ((byte & 0x80) === 0) break;
      }
    }

    need(1, 'length');
    const lengthByte = bytes[position++] as number;
    if (lengthByte === 0x80) {
      if (!constructed) this.fail('indefinite length on a primitive element', offset, 'a definite length');
      return this.indefinite({ tagClass, constructed, tagNumber, start: offset, contentStart: position, depth }, limit);
    }
    let length = lengthByte;
    if (lengthByte > 0x80) {
      const octets = lengthByte & 0x7f;
      if (octets > MAX_LENGTH_OCTETS) this.fail(`length field of ${octets} bytes`, offset, `at most ${MAX_LENGTH_OCTETS}`);
      need(octets, 'length');
      length = 0;
      for (let i = 0; i < octets; i++) length = length * 256 + (bytes[position++] as number);
    }
    if (length > limit - position) {
      this.fail(`element of ${length} bytes runs past the end of its parent`, offset, `at most ${limit - position} bytes`);
    }
    const contentEnd = position + length;
    return { tagClass, constructed, tagNumber, start: offset, contentStart: position, contentEnd, end: contentEnd, depth };
  }

  /** The elements directly inside a constructed element, in order. */
  children(parent: DerElement): DerElement[] {
    if (!parent.constructed) this.fail('expected a constructed element', parent.start);
    const result: DerElement[] = [];
    for (let offset = parent.contentStart; offset < parent.contentEnd; ) {
      const child = this.elementAt(offset, parent.contentEnd, parent.depth + 1);
      result.push(child);
      offset = child.end;
    }
    return result;
  }

  /** The children of a SEQUENCE or SET, after checking that `element` is one. */
  childrenOf(element: DerElement | undefined, tagNumber: number, what: string, missingAt?: number): DerElement[] {
    this.expect(element, TagClass.UNIVERSAL, tagNumber, what, missingAt);
    return this.children(element);
  }

  /** Checks an element's tag; `missingAt` is where a missing element was looked for. */
  expect(element: DerElement | undefined, tagClass: number, tagNumber: number, what: string, missingAt?: number): asserts element is DerElement {
    if (element === undefined) this.fail(`missing ${what}`, missingAt, describeTag({ tagClass, tagNumber }));
    if (element.tagClass !== tagClass || element.tagNumber !== tagNumber) {
      this.fail(`unexpected ${describeTag(element)} where ${what} belongs`, element.start, describeTag({ tagClass, tagNumber }));
    }
  }

  /** The content octets (without header), as a view into the buffer. */
  content(element: DerElement): Buffer {
    return this.bytes.subarray(element.contentStart, element.contentEnd);
  }

  /** The whole encoding (header and content), as a view into the buffer. */
  encoding(element: DerElement): Buffer {
    return this.bytes.subarray(element.start, element.end);
  }

  fail(problem: string, offset?: number, expected?: string): never {
    throw this.error(problem, offset, expected);
  }

  /** An InputError at `offset` of this buffer, in the layer's terms. */
  error(problem: string, offset?: number, expected?: string): InputError {
    return new InputError(problem, {
      file: this.location.file,
      format: this.location.format,
      offset: offset === undefined ? undefined : this.location.baseOffset + offset,
      expected,
    });
  }

  /** Finds where an indefinite-length element ends by walking its children up to the end-of-contents octets. */
  private indefinite(head: Omit<DerElement, 'contentEnd' | 'end'>, limit: number): DerElement {
    let offset = head.contentStart;
    for (;;) {
      if (offset + 2 > limit) this.fail('indefinite-length element has no end-of-contents octets', head.start);
      if (this.bytes[offset] === 0 && this.bytes[offset + 1] === 0) {
        return { ...head, contentEnd: offset, end: offset + 2 };
      }
      offset = this.elementAt(offset, limit, head.depth + 1).end;
    }
  }
}

/** Dotted form of an OBJECT IDENTIFIER's content octets, or undefined when they are malformed. */
export function decodeObjectIdentifier(content: Buffer): string | undefined {
  if (content.length === 0 || (content[content.length - 1] as number) & 0x80) return undefined;
  const arcs: bigint[] = [];
  let value = 0n;
  for (const byte of content) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    }
  }
  const first = arcs[0] as bigint;
  const root = first < 40n ? 0n : first < 80n ? 1n : 2n;
  return [root, first - root * 40n, ...arcs.slice(1)].join('.');
}

function describeTag(tag: { tagClass: number; tagNumber: number }): string {
  const names = ['universal', 'application', 'context', 'private'];
  return `${names[tag.tagClass] ?? 'unknown'} tag ${tag.tagNumber}`;
}
