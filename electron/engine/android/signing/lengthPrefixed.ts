import { InputError } from '../../errors.js';

/**
 * A window of a Buffer read front to back as APK Signature Scheme blocks are laid out: u32
 * values and u32-length-prefixed items, each checked to fit in its parent, with errors located in
 * APK offsets.
 */
export class LengthPrefixed {
  private position: number;

  constructor(
    private readonly bytes: Buffer,
    private readonly start: number,
    private readonly end: number,
    /** APK offset of `bytes[0]`. */
    private readonly base: number,
    readonly file: string,
    readonly format: string,
  ) {
    this.position = start;
  }

  static over(bytes: Buffer, base: number, file: string, format: string): LengthPrefixed {
    return new LengthPrefixed(bytes, 0, bytes.length, base, file, format);
  }

  get atEnd(): boolean {
    return this.position >= this.end;
  }

  /** APK offset of the next item. */
  get offset(): number {
    return this.base + this.position;
  }

  readU32(what: string): number {
    this.need(4, what);
    const value = this.bytes.readUInt32LE(this.position);
    this.position += 4;
    return value;
  }

  /** The next u32-length-prefixed item, checked to fit in this one. */
  readPrefixed(what: string, format = this.format): LengthPrefixed {
    const at = this.position;
    const length = this.readU32(`length of ${what}`);
    if (length > this.end - this.position) {
      this.fail(`${what} length ${length} runs past the end of its sequence`, at, `at most ${this.end - this.position}`);
    }
    const start = this.position;
    this.position += length;
    return new LengthPrefixed(this.bytes, start, start + length, this.base, this.file, format);
  }

  /** The bytes of the next u32-length-prefixed item, as a view. */
  readBytes(what: string): Buffer {
    return this.readPrefixed(what).rest();
  }

  /** The remaining bytes of this item, as a view. */
  rest(): Buffer {
    return this.bytes.subarray(this.position, this.end);
  }

  /** All of this item's bytes, as a view. */
  whole(): Buffer {
    return this.bytes.subarray(this.start, this.end);
  }

  /** An error about this item as a whole, located at its start. */
  failHere(problem: string, expected?: string): never {
    this.fail(problem, this.start, expected);
  }

  private fail(problem: string, at: number, expected?: string): never {
    throw new InputError(problem, { file: this.file, format: this.format, offset: this.base + at, expected });
  }

  private need(count: number, what: string): void {
    if (this.end - this.position < count) this.fail(`truncated ${what}`, this.position, `${count} bytes, ${this.end - this.position} remain`);
  }
}
