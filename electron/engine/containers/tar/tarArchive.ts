import type { Problem } from '../../../../shared/model.js';
import { InputError } from '../../errors.js';
import { SliceByteSource, type ByteSource } from '../../io/byteSource.js';
import { decodedSource, decodeStream } from '../../io/streamDecoding.js';
import { RandomAccessTarInput, StreamTarInput } from './tarInput.js';
import { Spool } from '../../io/spool.js';
import { walkTar, type TarEntry, type TarMemberType, type TarWalkResult } from './tarWalk.js';

export type { TarMemberType } from './tarWalk.js';

export interface TarMember {
  /** Path inside the archive, without leading `./` or trailing `/`. */
  readonly name: string;
  readonly type: TarMemberType;
  /** Content bytes: a file's own, a hard link's target's; 0 for the rest. */
  readonly size: number;
  /** Symlink target as stored, or the hard link's target member name. */
  readonly linkTarget?: string;
  readonly mode: number;
  /** Seconds since 1970. */
  readonly mtime: number;
  /** Where the member's header starts in the (decompressed) archive. */
  readonly headerOffset: number;
  /** The content of a regular file (or a hard link's target) by random access. */
  open(): ByteSource;
}

export type TarCompression = 'none' | 'gzip';

export interface TarOpenOptions {
  /**
   * For gzip archives: a folder where the listing pass keeps a decompressed copy, so members are
   * then read at random from disk instead of by decoding again from the start (worth it for
   * multi-GB factory packages whose images are read at random). Removed on close.
   */
  spoolDirectory?: string;
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/**
 * A tar archive, plain or gzip-compressed (`.tgz`, `.tar.gz`, found by its magic), read by random
 * access. Plain tar members are windows of the file. A gzip archive is decoded once, front to back,
 * to list it (which also tells its decompressed length; the gzip trailer only holds it modulo
 * 2^32); its members are then windows of a cached sequential decoder, which decodes again from the
 * start when a read goes back beyond its cache, or of a decompressed copy kept on disk during
 * that pass (`spoolDirectory`).
 */
export class TarArchive {
  private readonly byName = new Map<string, TarMember>();

  private constructor(
    readonly source: ByteSource,
    readonly compression: TarCompression,
    readonly members: readonly TarMember[],
    readonly problems: readonly Problem[],
    private readonly decoded: ByteSource | null,
  ) {
    for (const member of members) this.byName.set(member.name, member);
  }

  static async open(source: ByteSource, options: TarOpenOptions = {}): Promise<TarArchive> {
    const head = source.size >= 2 ? await source.read(0, 2) : Buffer.alloc(0);
    const compression: TarCompression = head.equals(GZIP_MAGIC) ? 'gzip' : 'none';
    const format = compression === 'gzip' ? 'gzip › tar' : 'tar';
    if (compression === 'none') {
      const walk = await walkTar(new RandomAccessTarInput(source), source.name, format);
      return new TarArchive(source, compression, linkMembers(walk.entries, source, source.name, format), walk.problems, null);
    }

    const spool = options.spoolDirectory === undefined ? null : await Spool.create(options.spoolDirectory);
    const decoded = decodeStream(source, 'gzip');
    const input = new StreamTarInput(spool === null ? decoded : spool.tee(decoded));
    let walk: TarWalkResult;
    try {
      walk = await walkTar(input, source.name, format);
    } catch (error) {
      await spool?.discard();
      throw error;
    } finally {
      await input.close();
    }
    const content = spool === null ? decodedSource(source, 'gzip', walk.dataEnd) : await spool.finish(`${source.name} (decompressed)`);
    return new TarArchive(source, compression, linkMembers(walk.entries, content, source.name, format), walk.problems, content);
  }

  /** The last member of that name (tar appends; a later copy replaces an earlier one). */
  get(name: string): TarMember | undefined {
    return this.byName.get(name);
  }

  async close(): Promise<void> {
    await this.decoded?.close();
    await this.source.close();
  }
}

function linkMembers(entries: readonly TarEntry[], content: ByteSource, archiveName: string, format: string): TarMember[] {
  const latestFile = new Map<string, TarEntry>();
  const members: TarMember[] = [];
  for (const entry of entries) {
    let data: TarEntry | undefined;
    if (entry.type === 'file') {
      data = entry;
      latestFile.set(entry.name, entry);
    } else if (entry.type === 'hardlink' && entry.linkTarget !== undefined) {
      data = latestFile.get(entry.linkTarget);
      // A link to a link shares the same data.
      if (data !== undefined) latestFile.set(entry.name, data);
    }
    const source = data;
    const member: TarMember = {
      name: entry.name,
      type: entry.type,
      size: source?.size ?? 0,
      mode: entry.mode,
      mtime: entry.mtime,
      headerOffset: entry.headerOffset,
      ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }),
      open: () => {
        if (source === undefined) {
          throw new InputError(
            entry.type === 'hardlink' ? `hard link to ${JSON.stringify(entry.linkTarget)}, which no earlier member provides` : `${entry.type} has no content to read`,
            { file: archiveName, format: `${format} › ${entry.name}`, offset: entry.headerOffset, expected: 'a regular file' },
          );
        }
        return new SliceByteSource(`${archiveName} › ${entry.name}`, content, source.dataOffset, source.size);
      },
    };
    members.push(member);
  }
  return members;
}
