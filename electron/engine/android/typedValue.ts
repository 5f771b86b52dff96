/**
 * Android's typed values (`Res_value` in AOSP ResourceTypes.h): the value of a binary XML attribute
 * or of a resource table entry, and how a person reads it (the way Android's
 * `TypedValue.coerceToString` prints it).
 */

export interface TypedValue {
  /** `Res_value.dataType`, one of {@link ValueType}. */
  type: number;
  /** `Res_value.data`, unsigned 32-bit. */
  data: number;
  /** For strings: the text from the string pool the value points into. */
  string?: string;
}

export const ValueType = {
  NULL: 0x00,
  REFERENCE: 0x01,
  ATTRIBUTE: 0x02,
  STRING: 0x03,
  FLOAT: 0x04,
  DIMENSION: 0x05,
  FRACTION: 0x06,
  DYNAMIC_REFERENCE: 0x07,
  DYNAMIC_ATTRIBUTE: 0x08,
  INT_DEC: 0x10,
  INT_HEX: 0x11,
  INT_BOOLEAN: 0x12,
  INT_COLOR_ARGB8: 0x1c,
  INT_COLOR_RGB8: 0x1d,
  INT_COLOR_ARGB4: 0x1e,
  INT_COLOR_RGB4: 0x1f,
} as const;

/** `Res_value` of type NULL with this data means "explicitly empty" rather than "undefined". */
export const NULL_DATA_EMPTY = 1;

export function isReference(value: TypedValue): boolean {
  return value.type === ValueType.REFERENCE || value.type === ValueType.DYNAMIC_REFERENCE;
}

export function isIntegerType(type: number): boolean {
  return type >= ValueType.INT_DEC && type <= 0x1f;
}

export function isColorType(type: number): boolean {
  return type >= ValueType.INT_COLOR_ARGB8 && type <= ValueType.INT_COLOR_RGB4;
}

/** `0x7f050001` (lowercase, eight digits), the way aapt prints resource IDs. */
export function formatResourceId(id: number): string {
  return `0x${(id >>> 0).toString(16).padStart(8, '0')}`;
}

export interface FormatTypedValueOptions {
  /** Names a reference target, e.g. `0x7f050001` → `@bool/def_x`; unresolved ones print as `@0x7f050001`. */
  resolveReference?(id: number): string | undefined;
}

const DIMENSION_UNITS = ['px', 'dip', 'sp', 'pt', 'in', 'mm'];
const FRACTION_UNITS = ['%', '%p'];
// Radix shift for the 23-bit mantissa of a complex value (ResourceTypes.h COMPLEX_RADIX_*).
const RADIX_MULTIPLIERS = [1, 1 / (1 << 7), 1 / (1 << 15), 1 / (1 << 23)];

/** A complex (dimension/fraction) value's number, before units. */
export function complexToFloat(data: number): number {
  const mantissa = (data | 0) >> 8; // signed 24-bit: top 24 bits, sign kept
  const radix = (data >>> 4) & 0x3;
  return Math.fround(mantissa * (RADIX_MULTIPLIERS[radix] ?? 1));
}

/** The value as a person reads it: `true`, `15`, `0x1f`, `16.0dip`, `#ff00ff00`, `@0x7f050001`. */
export function formatTypedValue(value: TypedValue, options: FormatTypedValueOptions = {}): string {
  const data = value.data >>> 0;
  switch (value.type) {
    case ValueType.NULL:
      return data === NULL_DATA_EMPTY ? '' : '@null';
    case ValueType.REFERENCE:
    case ValueType.DYNAMIC_REFERENCE:
      if (data === 0) return '@null';
      return options.resolveReference?.(data) ?? `@${formatResourceId(data)}`;
    case ValueType.ATTRIBUTE:
    case ValueType.DYNAMIC_ATTRIBUTE:
      return `?${formatResourceId(data)}`;
    case ValueType.STRING:
      return value.string ?? '';
    case ValueType.FLOAT:
      return formatJavaFloat(floatFromBits(data));
    case ValueType.DIMENSION:
      return formatJavaFloat(complexToFloat(data)) + (DIMENSION_UNITS[data & 0xf] ?? `(unit ${data & 0xf})`);
    case ValueType.FRACTION:
      return formatJavaFloat(Math.fround(complexToFloat(data) * 100)) + (FRACTION_UNITS[data & 0xf] ?? `(unit ${data & 0xf})`);
    case ValueType.INT_DEC:
      return String(data | 0);
    case ValueType.INT_HEX:
      return `0x${data.toString(16)}`;
    case ValueType.INT_BOOLEAN:
      return data !== 0 ? 'true' : 'false';
    default:
      if (isColorType(value.type)) return `#${data.toString(16).padStart(8, '0')}`;
      return `(type 0x${value.type.toString(16)})0x${data.toString(16)}`;
  }
}

const floatView = new DataView(new ArrayBuffer(4));

export function floatFromBits(bits: number): number {
  floatView.setUint32(0, bits >>> 0, true);
  return floatView.getFloat32(0, true);
}

/**
 * A 32-bit float as Java's `Float.toString` prints it in the common cases: the shortest decimal
 * that reads back as the same float, with `.0` on whole numbers (`16.0`, `1.5`, `0.1`).
 */
export function formatJavaFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const target = Math.fround(value);
  let text = String(target);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = target.toPrecision(digits);
    if (Math.fround(Number(candidate)) === target) {
      text = String(Number(candidate));
      break;
    }
  }
  if (/e/i.test(text)) return text.replace(/e\+?/i, 'E').replace(/^(-?\d+)E/, '$1.0E');
  return text.includes('.') ? text : `${text}.0`;
}
