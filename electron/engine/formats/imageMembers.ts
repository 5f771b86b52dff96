import { tmpdir } from 'node:os';
import { openSparseChunks } from '../containers/sparseChunks.js';
import type { PartitionImage } from '../containers/types.js';
import { InputError } from '../errors.js';
import type { ByteSource } from '../io/byteSource.js';
import { detectCompression, openDecompressed } from '../io/compression.js';
import { HeadFirstSource } from '../io/headFirstSource.js';
import type { ZipArchive } from '../zip/zipArchive.js';
import { isPartitionName } from './partitions.js';

/**
 * `images/system.img`, `vbmeta_a.img`, Samsung's `super.img.lz4` and `system.img.ext4.lz4`,
 * `images/super.img.zst`: a partition image, maybe compressed (the codec is told by the content).
 */
const IMAGE_FILE = /(?:^|\/)([a-z0-9_]+?)(?:_[ab])?\.img(?:\.ext4)?(?:\.(?:lz4|zst|gz|xz|bz2|br))?$/;
/** `super.img_sparsechunk.0` … `.N`: one image split into sparse chunks (Motorola). */
const SPARSE_CHUNK = /^(.*?)([a-z0-9_]+?)(?:_[ab])?\.img_sparsechunk\.(\d+)$/;
/** Odin tars also carry raw partition contents as `.bin` (`modem.bin.lz4`, `sboot.bin.lz4`, `NON-HLOS.bin`). */
const BINARY_FILE = /(?:^|\/)([A-Za-z0-9_-]+?)(?:_[ab])?\.bin(?:\.(?:lz4|zst|gz|xz|bz2|br))?$/;
const METHOD_STORED = 0;
/** What telling a partition's kind reads of a deflated image before it is copied to disk whole. */
const DEFLATED_HEAD_BYTES = 64 * 1024;

/** `images/system.img` → `system`, `super.img.lz4` → `super`, `vbmeta_a.img` → `vbmeta`; null for other files. */
export function imagePartitionName(memberName: string): string | null {
  return IMAGE_FILE.exec(memberName)?.[1] ?? SPARSE_CHUNK.exec(memberName)?.[2] ?? null;
}

/** Whether a list of member names holds a partition image worth mounting. */
export function hasMountableImage(names: Iterable<string>): boolean {
  for (const name of names) {
    const partition = imagePartitionName(name);
    if (partition !== null && (isPartitionName(partition) || partition === 'super')) return true;
  }
  return false;
}

/** A file of a package that may be a partition image (a zip or tar member, a file in a folder). */
export interface ImageFile {
  /** Its path in the package, e.g. `images/super.img.zst`. */
  name: string;
  size: number;
  open(): Promise<ByteSource>;
}

export interface FoundImage {
  image: PartitionImage;
  /** Where it came from, e.g. `images/super.img.zst`, `super.img_sparsechunk.0…3`. */
  origin: string;
}

/**
 * The partition images among a package's files, in the order given. A compressed image (told by
 * its magic: LZ4, zstd, gzip, xz, bzip2; brotli by its `.br` name) is decoded when opened: LZ4 by
 * random access, the others once into a temporary file. Split sparse chunks become one image; a
 * missing chunk makes that image unreadable (its partition becomes a problem) rather than
 * silently incomplete. `binaries`: `*.bin` files are partition contents too (Odin tars). Other
 * files are left out.
 */
export function findPartitionImages(files: readonly ImageFile[], options: { binaries?: boolean; spoolDirectory?: string } = {}): FoundImage[] {
  const spoolDirectory = options.spoolDirectory ?? tmpdir();
  const found: FoundImage[] = [];
  const chunkGroups = new Map<string, { partition: string; chunks: Map<number, ImageFile> }>();
  for (const file of files) {
    const chunk = SPARSE_CHUNK.exec(file.name);
    if (chunk !== null) {
      const key = `${chunk[1]}${chunk[2]}`;
      let group = chunkGroups.get(key);
      if (group === undefined) {
        group = { partition: chunk[2] as string, chunks: new Map() };
        chunkGroups.set(key, group);
        found.push({ image: chunkedImage(key, group.partition, group.chunks), origin: '' });
      }
      group.chunks.set(Number(chunk[3]), file);
      continue;
    }
    const partition = IMAGE_FILE.exec(file.name)?.[1] ?? (options.binaries === true ? BINARY_FILE.exec(file.name)?.[1]?.toLowerCase() : undefined);
    if (partition === undefined) continue;
    found.push({ image: { name: partition, size: file.size, open: () => openImageFile(file, spoolDirectory) }, origin: file.name });
  }
  for (const item of found) {
    if (item.origin !== '') continue;
    const image = item.image as ChunkedImage;
    const numbers = [...image.chunks.keys()].sort((a, b) => a - b);
    item.origin = `${image.baseName}.img_sparsechunk.${numbers.length === 1 ? numbers[0] : `${numbers[0]}…${numbers[numbers.length - 1]}`}`;
  }
  return found;
}

/** Opens an image file, decoding it when its content is compressed. */
async function openImageFile(file: ImageFile, spoolDirectory: string): Promise<ByteSource> {
  const source = await file.open();
  try {
    const compression = await detectCompression(source, file.name);
    return compression === null ? source : await openDecompressed(source, compression, { spoolDirectory });
  } catch (error) {
    await source.close();
    throw error;
  }
}

interface ChunkedImage extends PartitionImage {
  baseName: string;
  chunks: Map<number, ImageFile>;
}

function chunkedImage(baseName: string, partition: string, chunks: Map<number, ImageFile>): ChunkedImage {
  return {
    name: partition,
    baseName,
    chunks,
    get size() {
      return [...chunks.values()].reduce((sum, file) => sum + file.size, 0);
    },
    open: async () => {
      const numbers = [...chunks.keys()].sort((a, b) => a - b);
      const missing = numbers.length === 0 ? [] : Array.from({ length: (numbers.at(-1) as number) + 1 }, (_, index) => index).filter((index) => !chunks.has(index));
      if (missing.length > 0) {
        throw new InputError(`sparse chunk${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${baseName}.img ${missing.length > 1 ? 'are' : 'is'} missing (the package has ${numbers.join(', ')}): the image would be incomplete`, {
          file: `${baseName}.img_sparsechunk.${missing[0]}`,
          format: 'sparse chunks',
          expected: `chunks 0 to ${numbers.at(-1)}`,
        });
      }
      const opened: ByteSource[] = [];
      try {
        for (const number of numbers) opened.push(await (chunks.get(number) as ImageFile).open());
        return await openSparseChunks(`${baseName}.img`, opened);
      } catch (error) {
        for (const source of opened) await source.close();
        throw error;
      }
    },
  };
}

/**
 * A zip's partition images. A stored member is read in place; a deflated one is decoded once into
 * a temporary file when first read past its head, since a file system is read at random and
 * deflate can only be decoded from the start (a modem image that is only recognised, never read,
 * is not copied).
 */
export function zipPartitionImages(zip: ZipArchive): FoundImage[] {
  return findPartitionImages(zip.members.filter((member) => !member.isDirectory).map((member) => ({ name: member.name, size: member.uncompressedSize, open: () => openZipMember(zip, member) })));
}

/** A zip member by random access: in place when stored, else decoded once into a temporary file past its head. */
export async function openZipMember(zip: ZipArchive, member: ZipArchive['members'][number]): Promise<ByteSource> {
  const source = await zip.openSource(member);
  return member.compressionMethod === METHOD_STORED ? source : new HeadFirstSource(source, DEFLATED_HEAD_BYTES, tmpdir());
}
