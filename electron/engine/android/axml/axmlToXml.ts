/**
 * Decoded binary XML → readable, deterministic XML text (what `aapt dump xmltree` shows, as real
 * XML). Every element starts on its own line and attribute values never contain raw newlines, so
 * the line of an element in the text is stable and can back an evidence link.
 */
import { type FormatTypedValueOptions, ValueType, formatTypedValue } from '../typedValue.js';
import { ANDROID_NAMESPACE, androidAttributeName } from './androidAttributes.js';
import type { AxmlAttribute, AxmlDocument, AxmlElement, AxmlNode } from './decodeAxml.js';

export interface AxmlToXmlOptions extends FormatTypedValueOptions {
  /** Indentation per level; two spaces by default. */
  indent?: string;
}

export interface AxmlXmlText {
  text: string;
  /** 1-based line on which `element` starts in `text`. */
  lineOf(element: AxmlElement): number | undefined;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
/** Deeper levels are not indented further: keeps absurdly nested input from growing the text quadratically. */
const MAX_INDENT_LEVELS = 64;

/** Renders the document as XML text plus the line of every element. */
export function renderAxmlAsXml(document: AxmlDocument, options: AxmlToXmlOptions = {}): AxmlXmlText {
  const lines: string[] = [XML_DECLARATION];
  const lineByElement = new Map<AxmlElement, number>();
  const indentUnit = options.indent ?? '  ';
  const padFor = (depth: number): string => indentUnit.repeat(Math.min(depth, MAX_INDENT_LEVELS));
  if (document.root) {
    const prefixes = new PrefixScope();
    // Explicit stack of "open" and "close" steps: no recursion, whatever the nesting.
    type Step = { node: AxmlNode; depth: number } | { close: AxmlElement; depth: number; popScope: boolean };
    const steps: Step[] = [{ node: document.root, depth: 0 }];
    while (steps.length > 0) {
      const step = steps.pop() as Step;
      if ('close' in step) {
        lines.push(`${padFor(step.depth)}</${qualifiedName(step.close.namespaceUri, step.close.name, prefixes)}>`);
        if (step.popScope) prefixes.pop();
        continue;
      }
      const pad = padFor(step.depth);
      const node = step.node;
      if (node.kind === 'text') {
        const text = node.text.trim();
        if (text !== '') lines.push(pad + escapeXml(text));
        continue;
      }
      const declared = prefixes.push(node, node.namespaceDeclarations);
      const parts = [qualifiedName(node.namespaceUri, node.name, prefixes)];
      for (const declaration of declared) parts.push(`${declaration.attribute}="${escapeXml(declaration.uri)}"`);
      const seen = new Set<string>(parts.slice(1).map((part) => part.slice(0, part.indexOf('='))));
      for (const attribute of node.attributes) {
        // Duplicate names (possible in crafted files) would make the XML ill-formed.
        let name = attributeName(attribute, prefixes);
        for (let n = 2; seen.has(name); n++) name = `${attributeName(attribute, prefixes)}_${n}`;
        seen.add(name);
        parts.push(`${name}="${escapeXml(attributeText(attribute, options))}"`);
      }
      lineByElement.set(node, lines.length + 1);
      const popScope = prefixes.pushedFor(node);
      if (node.children.length === 0) {
        lines.push(`${pad}<${parts.join(' ')}/>`);
        if (popScope) prefixes.pop();
        continue;
      }
      lines.push(`${pad}<${parts.join(' ')}>`);
      steps.push({ close: node, depth: step.depth, popScope });
      for (let i = node.children.length - 1; i >= 0; i--) steps.push({ node: node.children[i] as AxmlNode, depth: step.depth + 1 });
    }
  }
  return { text: lines.join('\n') + '\n', lineOf: (element) => lineByElement.get(element) };
}

/** Just the XML text. */
export function axmlToXmlText(document: AxmlDocument, options: AxmlToXmlOptions = {}): string {
  return renderAxmlAsXml(document, options).text;
}

/**
 * An attribute's value as text, from the typed value as Android reads it (a raw string that says
 * otherwise, possible in crafted files, is not trusted); the raw string only when a string value
 * lost its text.
 */
export function attributeText(attribute: AxmlAttribute, options: FormatTypedValueOptions = {}): string {
  if (attribute.value.type === ValueType.STRING) return attribute.value.string ?? attribute.rawValue ?? '';
  return formatTypedValue(attribute.value, options);
}

/**
 * The name an attribute is shown under: a framework attribute known by resource ID gets its real
 * name (Android reads it by ID, whatever the pool says); otherwise the pool name.
 */
export function attributeDisplayName(attribute: AxmlAttribute): string {
  const known = attribute.resourceId === undefined ? undefined : androidAttributeName(attribute.resourceId);
  if (known !== undefined) return known;
  if (attribute.name !== '') return attribute.name;
  return attribute.resourceId === undefined ? 'unnamed' : `attr_0x${attribute.resourceId.toString(16).padStart(8, '0')}`;
}

/** A framework attribute whose namespace was stripped still belongs to the android namespace. */
function attributeNamespace(attribute: AxmlAttribute): string | null {
  if (attribute.namespaceUri !== null) return attribute.namespaceUri;
  return attribute.resourceId !== undefined && attribute.resourceId >>> 24 === 0x01 ? ANDROID_NAMESPACE : null;
}

function attributeName(attribute: AxmlAttribute, prefixes: PrefixScope): string {
  return qualifiedName(attributeNamespace(attribute), attributeDisplayName(attribute), prefixes);
}

function qualifiedName(uri: string | null, name: string, prefixes: PrefixScope): string {
  const local = safeName(name);
  if (uri === null || uri === '') return local;
  const prefix = prefixes.prefixFor(uri);
  return prefix === '' ? local : `${prefix}:${local}`;
}

const NAME_START = /[A-Za-z_\u00C0-\uFFFD]/;
const NAME_CHAR = /[A-Za-z0-9_.\-\u00B7\u00C0-\uFFFD]/;

/** Names from hostile files may hold anything; keep the output well-formed XML. */
function safeName(name: string): string {
  if (name === '') return 'unnamed';
  let out = '';
  for (const char of name) out += (out === '' ? NAME_START : NAME_CHAR).test(char) ? char : '_';
  return out;
}

export function escapeXml(text: string): string {
  // Control characters are escaped on purpose: they are not allowed raw in XML text.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[&<>"\n\r\t\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (char) => {
    switch (char) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case '\n':
        return '&#10;';
      case '\r':
        return '&#13;';
      case '\t':
        return '&#9;';
      default:
        // Other control characters are not allowed in XML 1.0, not even as references.
        return '\ufffd';
    }
  });
}

interface Declaration {
  attribute: string;
  uri: string;
}

/**
 * Namespace prefixes in scope. Declarations come from the file; a URI used without a declaration
 * (stripped files) gets an invented `nsN` prefix declared on the element that first needs it.
 */
class PrefixScope {
  private readonly frames: { element: AxmlElement; bindings: Map<string, string> }[] = [];
  private invented = 0;

  push(element: AxmlElement, declarations: readonly { prefix: string; uri: string }[]): Declaration[] {
    const bindings = new Map<string, string>();
    const out: Declaration[] = [];
    for (const { prefix, uri } of declarations) {
      const name = prefix === '' ? '' : safeName(prefix);
      bindings.set(uri, name);
      out.push({ attribute: name === '' ? 'xmlns' : `xmlns:${name}`, uri });
    }
    // URIs used without a declaration in scope; attributes also need a non-empty prefix.
    const used: [string | null, boolean][] = [[element.namespaceUri, false], ...element.attributes.map((a): [string | null, boolean] => [attributeNamespace(a), true])];
    for (const [uri, isAttribute] of used) {
      if (uri === null || uri === '') continue;
      const existing = bindings.get(uri) ?? this.lookup(uri);
      if (existing !== undefined && (existing !== '' || !isAttribute)) continue;
      const name = uri === ANDROID_NAMESPACE && !this.prefixTaken('android', bindings) ? 'android' : `ns${this.invented++}`;
      bindings.set(uri, name);
      out.push({ attribute: `xmlns:${name}`, uri });
    }
    if (bindings.size > 0) this.frames.push({ element, bindings });
    return out;
  }

  pushedFor(element: AxmlElement): boolean {
    return this.frames[this.frames.length - 1]?.element === element;
  }

  pop(): void {
    this.frames.pop();
  }

  prefixFor(uri: string): string {
    return this.lookup(uri) ?? '';
  }

  private lookup(uri: string): string | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const prefix = this.frames[i]?.bindings.get(uri);
      if (prefix !== undefined) return prefix;
    }
    return undefined;
  }

  private prefixTaken(prefix: string, current: Map<string, string>): boolean {
    for (const value of current.values()) if (value === prefix) return true;
    return this.frames.some((frame) => [...frame.bindings.values()].includes(prefix));
  }
}
