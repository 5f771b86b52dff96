/**
 * A minimal protocol-buffers wire-format reader: enough to walk a message field by field. Errors
 * carry the byte offset within the message; the caller adds the file and layer.
 */
export class ProtobufError extends Error {
  override readonly name = 'ProtobufError';
  constructor(
    problem: string,
    readonly offset: number,
  ) {
    super(problem);
  }
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

export interface ProtobufField {
  number: number;
  wireType: number;
  /** Offset of the field's value within the buffer. */
  offset: number;
}

export class ProtobufReader {
  private position: number;
  private readonly end: number;

  /** Reads `bytes[start, end)`; `base` is the offset of `bytes[0]` in the file, for errors. */
  constructor(
    private readonly bytes: Buffer,
    readonly start = 0,
    end = bytes.length,
    private readonly base = 0,
  ) {
    this.position = start;
    this.end = end;
  }

  /** Offset of this message's first byte in the file. */
  get fileOffset(): number {
    return this.base + this.start;
  }

  /** The next field's key, or undefined at the end of the message. */
  next(): ProtobufField | undefined {
    if (this.position >= this.end) return undefined;
    const at = this.position;
    const key = this.varint();
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    if (number === 0) throw new ProtobufError('field number 0', this.base + at);
    return { number, wireType, offset: this.position };
  }

  /** An unsigned varint as a number; values past 2^53 are refused rather than rounded. */
  varint(): number {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.position >= this.end) throw new ProtobufError('truncated varint', this.base + this.position);
      const byte = this.bytes[this.position++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (!Number.isSafeInteger(value)) throw new ProtobufError('integer too large', this.base + this.position - 1);
        return value;
      }
    }
    throw new ProtobufError('varint longer than 10 bytes', this.base + this.position);
  }

  /** A length-delimited field: a view into the buffer (no copy) and its start offset. */
  bytesField(): { bytes: Buffer; start: number } {
    const length = this.varint();
    const start = this.position;
    if (length > this.end - start) throw new ProtobufError(`field of ${length} bytes runs past the end of its message`, this.base + start);
    this.position += length;
    return { bytes: this.bytes.subarray(start, start + length), start };
  }

  /** A sub-message reader over a length-delimited field. */
  message(): ProtobufReader {
    const { bytes, start } = this.bytesField();
    return new ProtobufReader(this.bytes, start, start + bytes.length, this.base);
  }

  string(): string {
    return this.bytesField().bytes.toString('utf8');
  }

  skip(wireType: number): void {
    const at = this.position;
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.advance(8, at);
        return;
      case WIRE_BYTES:
        this.bytesField();
        return;
      case WIRE_FIXED32:
        this.advance(4, at);
        return;
      default:
        throw new ProtobufError(`unsupported wire type ${wireType}`, this.base + at);
    }
  }

  /** Throws unless the field has the wire type its schema gives it. */
  expect(field: ProtobufField, wireType: number): void {
    if (field.wireType !== wireType) throw new ProtobufError(`field ${field.number} has wire type ${field.wireType}, expected ${wireType}`, this.base + field.offset);
  }

  private advance(length: number, at: number): void {
    if (length > this.end - this.position) throw new ProtobufError('truncated field', this.base + at);
    this.position += length;
  }
}
