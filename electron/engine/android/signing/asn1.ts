/**
 * ASN.1 through asn1js (BER and DER, with a nesting limit): parse errors become InputErrors that
 * name the file and the layer, and a few accessors spare callers asn1js's block objects.
 */
import * as asn1js from 'asn1js';
import { InputError } from '../../errors.js';

/** One parsed element (asn1js does not export its union type). */
export type Asn1 = ReturnType<typeof asn1js.fromBER>['result'];

/** Where bytes come from, for error messages. */
export interface Asn1Location {
  file: string;
  /** Format layer, e.g. `apk › META-INF/CERT.RSA › PKCS#7`. */
  format: string;
  /** Offset of the bytes in that layer, when they sit at a known place. */
  offset?: number;
}

/** Parses one BER/DER element that fills `bytes` exactly; anything else is an InputError. */
export function parseAsn1(bytes: Uint8Array, where: Asn1Location, what: string): Asn1 {
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(bytes);
  } catch (error) {
    // asn1js limits nesting itself; this only catches what slips past it on hostile input.
    throw new InputError(`${what} is not valid ASN.1: ${(error as Error).message}`, { ...where, cause: error });
  }
  if (parsed.offset === -1) throw new InputError(`${what} is not valid ASN.1: ${parsed.result.error}`, where);
  if (parsed.offset !== bytes.length) {
    throw new InputError(`${bytes.length - parsed.offset} bytes follow the ${what}`, { ...where, offset: (where.offset ?? 0) + parsed.offset, expected: 'nothing after it' });
  }
  return parsed.result;
}

/** The element's whole encoding (header and content) as a Buffer view. */
export function encodingOf(element: Asn1): Buffer {
  const view = element.valueBeforeDecodeView;
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/** The content octets of a primitive element, as a Buffer view. */
export function contentOf(element: Asn1): Buffer {
  const view = (element.valueBlock as { valueHexView?: Uint8Array }).valueHexView ?? new Uint8Array();
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/** The children of a constructed element (SEQUENCE, SET or a constructed tagged element). */
export function childrenOf(element: Asn1): Asn1[] {
  if (!element.idBlock.isConstructed) return [];
  const value = (element.valueBlock as { value?: unknown }).value;
  return Array.isArray(value) ? (value as Asn1[]) : [];
}

export const TagClass = { UNIVERSAL: 1, APPLICATION: 2, CONTEXT: 3, PRIVATE: 4 } as const;

export function isUniversal(element: Asn1, tagNumber: number): boolean {
  return element.idBlock.tagClass === TagClass.UNIVERSAL && element.idBlock.tagNumber === tagNumber;
}

/** An INTEGER's value, sign included, from its content octets. */
export function integerValue(content: Uint8Array): bigint {
  if (content.length === 0) return 0n;
  let value = 0n;
  for (const byte of content) value = (value << 8n) | BigInt(byte);
  return (content[0] as number) & 0x80 ? value - (1n << BigInt(content.length * 8)) : value;
}
