/**
 * A compressed blob that cannot be decoded, or would decode to more bytes than its container
 * allows. Codecs know nothing of files or offsets; the container that called them turns this into
 * an InputError naming the file, its layer and the blob's offset.
 */
export class CorruptDataError extends Error {
  override readonly name = 'CorruptDataError';
  constructor(
    readonly codec: 'xz' | 'bzip2' | 'zstd' | 'deflate' | 'lzma',
    /** What is wrong, without the codec's name. */
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${codec}: ${problem}`, options);
  }
}
