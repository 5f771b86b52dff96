/**
 * The digests APK Signature Scheme v2, v3 and v3.1 sign: over the three zip sections outside the
 * APK Signing Block (the entries before it, the central directory, and the End of Central
 * Directory record with its central directory offset pointing at the block), either in 1 MiB
 * chunks (`H(0x5a · count · H(0xa5 · length · chunk)…)`, SHA-256 or SHA-512) or as a verity Merkle
 * tree of 4 KiB pages. Each kind is computed once per APK, however many signers ask for it.
 */
import { createHash } from 'node:crypto';
import type { ByteSource } from '../../io/byteSource.js';
import { readChunks } from '../../io/byteSource.js';
import type { ContentDigest } from './algorithms.js';

const CHUNK = 1 << 20;
const PAGE = 4096;
/** Read this much at a time for verity, a whole number of pages. */
const VERITY_READ = 1 << 20;
const VERITY_SALT = Buffer.alloc(8);

/** Where the APK's sections are. */
export interface ApkSections {
  signingBlockOffset: number;
  centralDirectoryOffset: number;
  endRecordOffset: number;
}

export class ContentDigests {
  private readonly computed = new Map<ContentDigest, Promise<Buffer>>();

  constructor(
    private readonly apk: ByteSource,
    private readonly sections: ApkSections,
  ) {}

  /** Why the verity digest cannot be checked (apksig requires the APK Signing Block on 4 KiB pages), or null. */
  verityProblem(): string | null {
    const { signingBlockOffset, centralDirectoryOffset } = this.sections;
    if (signingBlockOffset % PAGE === 0 && (centralDirectoryOffset - signingBlockOffset) % PAGE === 0) return null;
    return 'its verity signature needs the APK Signing Block to start and end on 4 KiB boundaries, and it does not';
  }

  get(kind: ContentDigest): Promise<Buffer> {
    let digest = this.computed.get(kind);
    if (digest === undefined) {
      digest = kind === 'verity-sha256' ? this.verity() : this.chunked(kind === 'chunked-sha256' ? 'sha256' : 'sha512');
      this.computed.set(kind, digest);
    }
    return digest;
  }

  /** The three sections as ranges of bytes, the End of Central Directory record patched. */
  private async *sectionChunks(size: number): AsyncGenerator<Buffer> {
    const { signingBlockOffset, centralDirectoryOffset, endRecordOffset } = this.sections;
    yield* readChunks(this.apk, 0, signingBlockOffset, size);
    yield* readChunks(this.apk, centralDirectoryOffset, endRecordOffset, size);
    const endRecord = Buffer.from(await this.apk.read(endRecordOffset, this.apk.size - endRecordOffset));
    endRecord.writeUInt32LE(signingBlockOffset, 16);
    yield endRecord;
  }

  private async chunked(hash: 'sha256' | 'sha512'): Promise<Buffer> {
    const { signingBlockOffset, centralDirectoryOffset, endRecordOffset } = this.sections;
    const sectionSizes = [signingBlockOffset, endRecordOffset - centralDirectoryOffset, this.apk.size - endRecordOffset];
    const count = sectionSizes.reduce((sum, size) => sum + Math.ceil(size / CHUNK), 0);
    const top = createHash(hash);
    const header = Buffer.alloc(5);
    header[0] = 0x5a;
    header.writeUInt32LE(count, 1);
    top.update(header);
    // Sections are chunked on their own: a chunk never spans two of them.
    for await (const chunk of this.sectionChunks(CHUNK)) {
      const prefix = Buffer.alloc(5);
      prefix[0] = 0xa5;
      prefix.writeUInt32LE(chunk.length, 1);
      top.update(createHash(hash).update(prefix).update(chunk).digest());
    }
    return top.digest();
  }

  /** apksig's VerityTreeBuilder: salted SHA-256 of 4 KiB pages, level by level, then root hash · data size. */
  private async verity(): Promise<Buffer> {
    let level: Buffer[] = [];
    let total = 0;
    let pending: Buffer = Buffer.alloc(0);
    const hashPages = (bytes: Buffer, final: boolean): Buffer => {
      const whole = final ? Math.ceil(bytes.length / PAGE) * PAGE : bytes.length - (bytes.length % PAGE);
      for (let offset = 0; offset < whole; offset += PAGE) {
        const page = offset + PAGE <= bytes.length ? bytes.subarray(offset, offset + PAGE) : Buffer.concat([bytes.subarray(offset), Buffer.alloc(offset + PAGE - bytes.length)]);
        level.push(createHash('sha256').update(VERITY_SALT).update(page).digest());
      }
      return bytes.subarray(whole);
    };
    for await (const chunk of this.sectionChunks(VERITY_READ)) {
      total += chunk.length;
      pending = hashPages(pending.length === 0 ? chunk : Buffer.concat([pending, chunk]), false);
    }
    hashPages(pending, true);
    let digests = Buffer.concat(level);
    while (digests.length > PAGE) {
      level = [];
      hashPages(digests, true);
      digests = Buffer.concat(level);
    }
    const root = Buffer.concat([digests, Buffer.alloc(PAGE - digests.length)]);
    const result = Buffer.alloc(40);
    createHash('sha256').update(VERITY_SALT).update(root).digest().copy(result, 0);
    result.writeBigUInt64LE(BigInt(total), 32);
    return result;
  }
}
