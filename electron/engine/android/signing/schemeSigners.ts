/**
 * Signers of APK Signature Scheme v2, v3 and v3.1 blocks. All three are nested sequences of
 * u32-length-prefixed items: signers → signer → signed data → certificates → DER certificate.
 * A signer's own certificate is the first; v3 key rotation lists older ones in an attribute,
 * which is not the signer's identity and is not reported.
 */
import type { ApkSigner, SignatureScheme } from '../../../../shared/app.js';
import { InputError } from '../../errors.js';
import { CappedReport } from './cappedReport.js';
import { readCertificate } from './certificate.js';
import { SIGNING_BLOCK_FORMAT, type SigningBlockPair } from './signingBlock.js';

export const SCHEME_BLOCK_IDS: ReadonlyMap<number, SignatureScheme> = new Map([
  [0x7109871a, 'v2'],
  [0xf05368c0, 'v3'],
  [0x1b93ad61, 'v3.1'],
]);

/** Real APKs have one signer per scheme (a few with v3.1 SDK ranges); more is a hostile block. */
export const MAX_SIGNERS = 1000;

/** A window of a Buffer read front to back, with offsets reported in APK terms. */
class PrefixedSequence {
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
  readPrefixed(what: string, format = this.format): PrefixedSequence {
    const at = this.position;
    const length = this.readU32(`length of ${what}`);
    if (length > this.end - this.position) {
      this.fail(`${what} length ${length} runs past the end of its sequence`, at, `at most ${this.end - this.position}`);
    }
    const start = this.position;
    this.position += length;
    return new PrefixedSequence(this.bytes, start, start + length, this.base, this.file, format);
  }

  /** The remaining bytes of this item, as a view. */
  rest(): Buffer {
    return this.bytes.subarray(this.position, this.end);
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

/**
 * Reads every signer of one scheme block. A signer that cannot be read is reported and the next
 * one is still read; a corrupt list of signers is reported and ends the scheme.
 */
export function readSchemeSigners(pair: SigningBlockPair, scheme: SignatureScheme, file: string, report: (error: InputError) => void): ApkSigner[] {
  const signers: ApkSigner[] = [];
  const schemeFormat = `${SIGNING_BLOCK_FORMAT} › ${scheme}`;
  try {
    const block = new PrefixedSequence(pair.value, 0, pair.value.length, pair.offset, file, schemeFormat);
    const list = block.readPrefixed('signer list');
    if (list.atEnd) list.failHere('no signers', 'at least one signer');
    const unreadable = new CappedReport(report);
    for (let index = 1; !list.atEnd; index++) {
      if (index > MAX_SIGNERS) {
        report(new InputError(`more than ${MAX_SIGNERS} signers; the rest are not read`, { file, format: schemeFormat, offset: list.offset }));
        break;
      }
      const signer = list.readPrefixed(`signer ${index}`, `${schemeFormat} signer ${index}`);
      try {
        signers.push(readSigner(signer, scheme));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        unreadable.add(error);
      }
    }
    unreadable.finish((count) => new InputError(`${count} more unreadable signers`, { file, format: schemeFormat, offset: pair.offset }));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    report(error);
  }
  return signers;
}

function readSigner(signer: PrefixedSequence, scheme: SignatureScheme): ApkSigner {
  const signedData = signer.readPrefixed('signed data');
  signedData.readPrefixed('digests');
  const certificates = signedData.readPrefixed('certificates');
  if (certificates.atEnd) certificates.failHere('signer has no certificate', 'at least one certificate');
  const first = certificates.readPrefixed('certificate 1');
  const summary = readCertificate(first.rest(), { file: signer.file, format: signer.format, baseOffset: first.offset });
  return { scheme, certificateSha256: summary.sha256, subject: summary.subject };
}
