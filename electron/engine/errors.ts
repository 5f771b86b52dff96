/**
 * Typed errors. Every error about the user's input names the file, the format layer being read,
 * the byte offset when there is one, and what was expected, so one line tells the whole story.
 */

export interface InputErrorDetails {
  /** The package file (base name or path as given by the user). */
  file: string;
  /** The format layer, e.g. `zip`, `zip › system/build.prop`, `build.prop`. */
  format: string;
  /** Byte offset in that layer where the problem was found. */
  offset?: number;
  /** What was expected there, e.g. `end of central directory record`. */
  expected?: string;
  /** The underlying cause, when another library reported it. */
  cause?: unknown;
}

/** The input is unreadable, unsupported or corrupt (CLI exit code 2). */
export class InputError extends Error {
  override readonly name: string = 'InputError';
  /** The problem alone, without the file and location prefix. */
  readonly problem: string;
  readonly file: string;
  readonly format: string;
  readonly offset: number | undefined;
  readonly expected: string | undefined;

  constructor(problem: string, details: InputErrorDetails) {
    super(composeMessage(problem, details), details.cause === undefined ? undefined : { cause: details.cause });
    this.problem = problem;
    this.file = details.file;
    this.format = details.format;
    this.offset = details.offset;
    this.expected = details.expected;
  }
}

/** The package kind is recognised but cannot be handled (yet), or nothing recognised it. */
export class UnsupportedFormatError extends InputError {
  override readonly name: string = 'UnsupportedFormatError';
}

/** A comparison was stopped by the user. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('comparison cancelled');
  }
}

function composeMessage(problem: string, details: InputErrorDetails): string {
  const where = details.offset === undefined ? details.format : `${details.format} at offset ${details.offset}`;
  const expected = details.expected === undefined ? '' : ` (expected ${details.expected})`;
  return `${details.file}: ${where}: ${problem}${expected}`;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** A Node file-system error in words a person understands. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, expected a file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'path too long';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
