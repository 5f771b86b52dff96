/**
 * Android binary XML (AXML, `ResXMLTree` in AOSP ResourceTypes.h) → an element tree. Used for
 * AndroidManifest.xml and compiled `res/xml/*.xml` files.
 */
import { type TypedValue, ValueType } from '../typedValue.js';
import { BinaryInput, type ChunkHeader, ChunkType, type DecodeLocation, hex } from './chunks.js';
import { NO_STRING, type StringPool, readStringPool } from './stringPool.js';

export interface AxmlNamespace {
  prefix: string;
  uri: string;
}

export interface AxmlAttribute {
  /** Namespace URI, or null for attributes without one (like `package`). */
  namespaceUri: string | null;
  /** The name as stored in the string pool; may be stripped ("") or obfuscated. */
  name: string;
  /** The attribute's resource ID from the resource map, when it has one (framework attributes do). */
  resourceId?: number;
  /** The original text aapt kept for string values. */
  rawValue?: string;
  value: TypedValue;
}

export interface AxmlText {
  kind: 'text';
  text: string;
  sourceLine: number;
}

export interface AxmlElement {
  kind: 'element';
  namespaceUri: string | null;
  name: string;
  attributes: AxmlAttribute[];
  children: AxmlNode[];
  /** `xmlns:` declarations that open on this element. */
  namespaceDeclarations: AxmlNamespace[];
  /** Line in the XML source the compiler read (`line=` in `aapt dump xmltree`). */
  sourceLine: number;
  /** Offset of the start-element chunk in the AXML bytes. */
  offset: number;
}

export type AxmlNode = AxmlElement | AxmlText;

export interface AxmlDocument {
  /** The document element; null for a document without elements. */
  root: AxmlElement | null;
  strings: StringPool;
  /** Resource IDs by string index (the resource map). */
  resourceMap: readonly number[];
}

const ATTRIBUTE_MIN_SIZE = 20;
const NODE_HEADER_SIZE = 16;
/** Deeper nesting than this is no real XML file; refusing it keeps every later walk bounded. */
export const MAX_AXML_DEPTH = 4096;

/** Decodes AXML bytes (a whole `AndroidManifest.xml` or `res/xml/*.xml` member). */
export function decodeAxml(bytes: Buffer, where: DecodeLocation): AxmlDocument {
  const input: BinaryInput = new BinaryInput(bytes, where);
  const top = input.chunkAt(0, input.size, 'ResXMLTree_header');
  if (top.type !== ChunkType.XML) {
    input.fail(`not binary XML: first chunk type is ${hex(top.type)}`, 'ResXMLTree_header', 0, `chunk type ${hex(ChunkType.XML)}`);
  }
  return new AxmlReader(input, top).read();
}

class AxmlReader {
  private strings: StringPool | undefined;
  private resourceMap: number[] = [];
  private pendingNamespaces: AxmlNamespace[] = [];
  private root: AxmlElement | null = null;
  private readonly stack: AxmlElement[] = [];

  constructor(
    private readonly input: BinaryInput,
    private readonly top: ChunkHeader,
  ) {}

  read(): AxmlDocument {
    const end = this.top.offset + this.top.size;
    for (const chunk of this.input.chunksIn(this.top.offset + this.top.headerSize, end, 'XML chunk')) {
      switch (chunk.type) {
        case ChunkType.STRING_POOL:
          // Android uses the first pool; later ones (never written by aapt) are ignored the same way.
          this.strings ??= readStringPool(this.input, chunk, 'XML');
          break;
        case ChunkType.XML_RESOURCE_MAP:
          this.readResourceMap(chunk);
          break;
        case ChunkType.XML_START_NAMESPACE:
          this.readStartNamespace(chunk);
          break;
        case ChunkType.XML_END_NAMESPACE:
          break;
        case ChunkType.XML_START_ELEMENT:
          this.readStartElement(chunk);
          break;
        case ChunkType.XML_END_ELEMENT:
          this.stack.pop();
          break;
        case ChunkType.XML_CDATA:
          this.readText(chunk);
          break;
        default:
          // Unknown chunks are skipped, as Android's parser does.
          break;
      }
    }
    if (!this.strings) this.input.fail('binary XML has no string pool', 'XML chunk', this.top.offset, 'a string pool chunk (0x0001)');
    return { root: this.root, strings: this.strings, resourceMap: this.resourceMap };
  }

  private pool(chunk: ChunkHeader, structure: string): StringPool {
    if (!this.strings) this.input.fail('node appears before the string pool', structure, chunk.offset, 'the string pool first');
    return this.strings;
  }

  private nodeBody(chunk: ChunkHeader, structure: string, bodySize: number): number {
    if (chunk.headerSize < NODE_HEADER_SIZE) {
      this.input.fail(`node header is ${chunk.headerSize} bytes`, structure, chunk.offset, `at least ${NODE_HEADER_SIZE}`);
    }
    const body = chunk.offset + chunk.headerSize;
    this.input.need(body, bodySize, structure, chunk.offset + chunk.size);
    return body;
  }

  private readResourceMap(chunk: ChunkHeader): void {
    const count = Math.floor((chunk.size - chunk.headerSize) / 4);
    const ids = new Array<number>(count);
    const start = chunk.offset + chunk.headerSize;
    for (let i = 0; i < count; i++) ids[i] = this.input.u32(start + i * 4);
    this.resourceMap = ids;
  }

  private readStartNamespace(chunk: ChunkHeader): void {
    const structure = 'ResXMLTree_namespaceExt';
    const body = this.nodeBody(chunk, structure, 8);
    const pool = this.pool(chunk, structure);
    const prefix = pool.optional(this.input.u32(body), { offset: body, structure }) ?? '';
    const uri = pool.optional(this.input.u32(body + 4), { offset: body + 4, structure }) ?? '';
    this.pendingNamespaces.push({ prefix, uri });
  }

  private readStartElement(chunk: ChunkHeader): void {
    const structure = 'ResXMLTree_attrExt';
    const input = this.input;
    const body = this.nodeBody(chunk, structure, 20);
    const pool = this.pool(chunk, structure);
    const chunkEnd = chunk.offset + chunk.size;
    const namespaceUri = pool.optional(input.u32(body), { offset: body, structure }) ?? null;
    const name = pool.get(input.u32(body + 4), { offset: body + 4, structure });
    const attributeStart = input.u16(body + 8);
    const attributeSize = input.u16(body + 10);
    const attributeCount = input.u16(body + 12);
    if (attributeCount > 0 && attributeSize < ATTRIBUTE_MIN_SIZE) {
      input.fail(`attribute size ${attributeSize} is too small`, structure, body + 10, `at least ${ATTRIBUTE_MIN_SIZE}`);
    }
    const first = body + attributeStart;
    input.need(first, attributeCount * attributeSize, `${structure} › attributes of <${name}>`, chunkEnd);

    const attributes: AxmlAttribute[] = [];
    for (let i = 0; i < attributeCount; i++) {
      attributes.push(this.readAttribute(first + i * attributeSize, pool));
    }
    const element: AxmlElement = {
      kind: 'element',
      namespaceUri,
      name,
      attributes,
      children: [],
      namespaceDeclarations: this.pendingNamespaces,
      sourceLine: input.u32(chunk.offset + 8),
      offset: chunk.offset,
    };
    this.pendingNamespaces = [];
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.children.push(element);
    else if (this.root === null) this.root = element;
    else return; // A second top-level element: Android ignores everything after the document element.
    if (this.stack.length >= MAX_AXML_DEPTH) input.fail(`elements nested deeper than ${MAX_AXML_DEPTH}`, structure, chunk.offset);
    this.stack.push(element);
  }

  private readAttribute(at: number, pool: StringPool): AxmlAttribute {
    const structure = 'ResXMLTree_attribute';
    const input = this.input;
    const namespaceUri = pool.optional(input.u32(at), { offset: at, structure }) ?? null;
    const nameIndex = input.u32(at + 4);
    const name = pool.get(nameIndex, { offset: at + 4, structure });
    const rawIndex = input.u32(at + 8);
    const rawValue = pool.optional(rawIndex, { offset: at + 8, structure });
    const value = this.readValue(at + 12, pool, structure);
    const attribute: AxmlAttribute = { namespaceUri, name, value };
    const resourceId = this.resourceMap[nameIndex];
    if (resourceId !== undefined && resourceId !== 0) attribute.resourceId = resourceId;
    if (rawValue !== undefined) attribute.rawValue = rawValue;
    return attribute;
  }

  /** A `Res_value` (size u16, res0 u8, dataType u8, data u32). */
  private readValue(at: number, pool: StringPool, structure: string): TypedValue {
    const type = this.input.u8(at + 3);
    const data = this.input.u32(at + 4);
    const value: TypedValue = { type, data };
    if (type === ValueType.STRING && data !== NO_STRING) value.string = pool.get(data, { offset: at + 4, structure: `${structure} › Res_value` });
    return value;
  }

  private readText(chunk: ChunkHeader): void {
    const structure = 'ResXMLTree_cdataExt';
    const body = this.nodeBody(chunk, structure, 12);
    const pool = this.pool(chunk, structure);
    const text = pool.optional(this.input.u32(body), { offset: body, structure }) ?? '';
    const parent = this.stack[this.stack.length - 1];
    parent?.children.push({ kind: 'text', text, sourceLine: this.input.u32(chunk.offset + 8) });
  }
}

/**
 * An attribute found by its resource ID (how Android itself reads framework attributes), so that
 * stripped or obfuscated names still work. Only when no attribute carries the ID, an attribute
 * *without* a resource ID named `fallbackName` is accepted (binary XML without a resource map).
 * An attribute with the right name but a different ID is ignored, as Android ignores it.
 */
export function getAttribute(element: AxmlElement, resourceId: number, fallbackName?: string): AxmlAttribute | undefined {
  for (const attribute of element.attributes) if (attribute.resourceId === resourceId) return attribute;
  if (fallbackName === undefined) return undefined;
  return element.attributes.find((attribute) => attribute.resourceId === undefined && attribute.name === fallbackName);
}

/** An attribute by namespace and name, for attributes that have no resource ID (`package`, vendor ones). */
export function getAttributeByName(element: AxmlElement, name: string, namespaceUri: string | null = null): AxmlAttribute | undefined {
  return element.attributes.find((attribute) => attribute.name === name && attribute.namespaceUri === namespaceUri);
}

/** Child elements, optionally only those named `name`. */
export function childElements(element: AxmlElement, name?: string): AxmlElement[] {
  const out: AxmlElement[] = [];
  for (const child of element.children) {
    if (child.kind === 'element' && (name === undefined || child.name === name)) out.push(child);
  }
  return out;
}

/** Every element in document order (iterative: hostile nesting cannot overflow the stack). */
export function* walkElements(root: AxmlElement | null): Generator<AxmlElement> {
  if (!root) return;
  const pending: AxmlElement[] = [root];
  while (pending.length > 0) {
    const element = pending.pop() as AxmlElement;
    yield element;
    for (let i = element.children.length - 1; i >= 0; i--) {
      const child = element.children[i];
      if (child?.kind === 'element') pending.push(child);
    }
  }
}
