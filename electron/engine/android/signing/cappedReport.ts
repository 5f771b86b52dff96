import type { InputError } from '../../errors.js';

/**
 * Passes on the first few problems of one kind and counts the rest, so a hostile block of a
 * million broken signers yields a dozen lines, not a million.
 */
export class CappedReport {
  private count = 0;

  constructor(
    private readonly report: (error: InputError) => void,
    private readonly limit = 10,
  ) {}

  add(error: InputError): void {
    if (this.count++ < this.limit) this.report(error);
  }

  /** Reports one more line saying how many were left out, if any were. */
  finish(leftOut: (count: number) => InputError): void {
    if (this.count > this.limit) this.report(leftOut(this.count - this.limit));
  }
}
