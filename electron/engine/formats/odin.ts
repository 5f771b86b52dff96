import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { PackageFormat, Problem } from '../../../shared/model.js';
import { readMd5Trailer } from '../containers/odin/md5Trailer.js';
import { TarArchive } from '../containers/tar/tarArchive.js';
import { FileByteSource, readChunks, SliceByteSource, viewOf, type ByteSource } from '../io/byteSource.js';
import type { DigestCheck } from '../io/packageDigests.js';
import { spoolStream } from '../io/spool.js';
import type { ZipArchive, ZipMember } from '../zip/zipArchive.js';
import { findPartitionImages } from './imageMembers.js';
import { PartitionMounts } from './partitionMounts.js';
import type { PackageProbe } from './probe.js';
import type { OpenedPackage, PackageFormatModule } from './types.js';

/** `AP_G991BXXU5CVLL_CL…_QB…_REV00_user_low_ship_MULTI_CERT_meta_OS13.tar.md5`, `HOME_CSC_OXM_….tar.md5`. */
const ODIN_TAR = /(?:^|\/)(AP|BL|CP|CSC|HOME_CSC|USERDATA)_[^/]*\.tar(?:\.md5)?$/i;
/** The order Odin's slots come in; HOME_CSC is CSC that keeps user data: the same partitions. */
const SLOTS = ['AP', 'BL', 'CP', 'CSC', 'HOME_CSC', 'USERDATA'];
const USTAR_OFFSET = 257;

/** One `.tar.md5` (or `.tar`) of the set, before it is opened. */
interface OdinTarFile {
  /** Its name as shown: a base name, or a zip member's path. */
  name: string;
  slot: string;
  open(): Promise<OpenedTarFile>;
}

interface OpenedTarFile {
  /** The whole file, trailer line included. */
  source: ByteSource;
  /** Where the bytes lie on disk when they are stored as they are: checked in the package hash pass. */
  onDisk: { path: string; offset: number } | null;
  /** The MD5 of the tar part, when it was computed while the file was decoded whole anyway. */
  md5: string | null;
}

function slotOf(name: string): string | null {
  return ODIN_TAR.exec(name)?.[1]?.toUpperCase() ?? null;
}

/**
 * A single Samsung Odin firmware tar (`AP_….tar.md5`): a ustar archive followed by the line
 * `<md5>  <name>`. Its members (`super.img.lz4`, `boot.img.lz4`, `vbmeta.img.lz4`, …) are
 * partition images, LZ4-compressed and often sparse inside.
 */
export const odinTarFormat: PackageFormatModule = {
  id: 'odin-tar',
  description: 'Samsung Odin firmware (.tar.md5)',
  async detect(probe) {
    if (probe.isDirectory) return false;
    const head = await probe.head(USTAR_OFFSET + 5);
    return head.toString('latin1', USTAR_OFFSET, USTAR_OFFSET + 5) === 'ustar' && (await readMd5Trailer(await probe.fileSource())) !== null;
  },
  async open(probe) {
    const file = await probe.fileSource();
    const tar: OdinTarFile = {
      name: probe.name,
      slot: slotOf(probe.name) ?? 'AP',
      open: async () => ({ source: viewOf(file), onDisk: { path: probe.path, offset: 0 }, md5: null }),
    };
    return openOdinSet(probe, 'odin-tar', [tar], async () => {});
  },
};

/**
 * A Samsung firmware download as it comes: a zip or a folder holding the set of Odin tars (`AP_`,
 * `BL_`, `CP_`, `CSC_` and `HOME_CSC_` `.tar.md5`). Together they are one device: the system
 * partitions from AP, the carrier partitions (`optics`, `prism`) from CSC, modem from CP…
 */
export const odinSetFormat: PackageFormatModule = {
  id: 'odin-set',
  description: 'Samsung Odin firmware set',
  async detect(probe) {
    if (probe.isDirectory) return (await folderTars(probe.path)).length > 0;
    const zip = await probe.zip();
    return zip !== null && zip.members.some((member) => !member.isDirectory && ODIN_TAR.test(member.name));
  },
  async open(probe) {
    if (probe.isDirectory) {
      const tars = (await folderTars(probe.path)).map(
        (name): OdinTarFile => ({
          name,
          slot: slotOf(name) as string,
          open: async () => ({ source: await FileByteSource.open(join(probe.path, name), name), onDisk: { path: join(probe.path, name), offset: 0 }, md5: null }),
        }),
      );
      return openOdinSet(probe, 'odin-set', tars, async () => {});
    }
    const zip = (await probe.zip()) as ZipArchive;
    probe.claim();
    const tars = zip.members
      .filter((member) => !member.isDirectory && ODIN_TAR.test(member.name))
      .map((member): OdinTarFile => ({ name: member.name, slot: slotOf(member.name) as string, open: () => openZipTar(zip, member, probe.path) }));
    try {
      return await openOdinSet(probe, 'odin-set', tars, () => zip.close(), zip.problems);
    } catch (error) {
      await zip.close();
      throw error;
    }
  },
};

async function folderTars(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && ODIN_TAR.test(entry.name)).map((entry) => entry.name);
}

/**
 * A tar inside the zip. A stored one is read in place (and its MD5 checked in the package's hash
 * pass, as a range of the zip); a deflated one is decoded once into a temporary file, and its
 * MD5 computed on the way.
 */
async function openZipTar(zip: ZipArchive, member: ZipMember, zipPath: string): Promise<OpenedTarFile> {
  const source = await zip.openSource(member);
  if (member.compressionMethod === 0) return { source, onDisk: { path: zipPath, offset: await zip.dataStart(member) }, md5: null };
  const hash = new TrailingMd5();
  const spooled = await spoolStream(hash.tap(readChunks(source)), tmpdir(), source.name);
  return { source: spooled, onDisk: null, md5: hash.digestBefore(await readMd5Trailer(spooled)) };
}

/**
 * The MD5 of a stream's bytes up to its trailer line, whose length is only known at the end: the
 * last few KiB are held back from the hash until then.
 */
class TrailingMd5 {
  private readonly hash = createHash('md5');
  private held: Buffer = Buffer.alloc(0);
  private total = 0;
  private static readonly HOLD = 4096;

  async *tap(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) {
      this.total += chunk.length;
      this.held = Buffer.concat([this.held, chunk]);
      if (this.held.length > TrailingMd5.HOLD) {
        this.hash.update(this.held.subarray(0, this.held.length - TrailingMd5.HOLD));
        this.held = Buffer.from(this.held.subarray(this.held.length - TrailingMd5.HOLD));
      }
      yield chunk;
    }
  }

  /** The MD5 of the bytes before the trailer (null without one). */
  digestBefore(trailer: { tarLength: number } | null): string | null {
    if (trailer === null) return null;
    const heldStart = this.total - this.held.length;
    this.hash.update(this.held.subarray(0, Math.max(0, trailer.tarLength - heldStart)));
    return this.hash.digest('hex');
  }
}

function slotRank(slot: string): number {
  const rank = SLOTS.indexOf(slot);
  return rank === -1 ? SLOTS.length : rank;
}

/** Opens every tar of the set and mounts what they hold as one device. */
async function openOdinSet(probe: PackageProbe, format: PackageFormat, files: OdinTarFile[], closeContainer: () => Promise<void>, containerProblems: readonly Problem[] = []): Promise<OpenedPackage> {
  const problems: Problem[] = [...containerProblems];
  const digestChecks: DigestCheck[] = [];
  const opened: { tar: TarArchive; source: ByteSource }[] = [];
  const mounts = new PartitionMounts(probe.name);
  const closeAll = async (): Promise<void> => {
    for (const { tar, source } of opened.splice(0)) {
      await tar.close();
      await source.close();
    }
    await closeContainer();
  };
  const sorted = [...files].sort((a, b) => slotRank(a.slot) - slotRank(b.slot) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hasCsc = sorted.some((file) => file.slot === 'CSC');
  try {
    for (const file of sorted) {
      if (file.slot === 'HOME_CSC' && hasCsc) {
        problems.push({ path: file.name, message: 'not read: it holds the same partitions as the CSC file next to it (HOME_CSC only keeps user data when flashed)' });
        continue;
      }
      const { source, onDisk, md5 } = await file.open();
      const trailer = await readMd5Trailer(source);
      const tarLength = trailer?.tarLength ?? source.size;
      const tarName = probe.name === file.name ? file.name : `${probe.name} › ${file.name}`;
      const tar = await TarArchive.open(new SliceByteSource(tarName, source, 0, tarLength)).catch(async (error: unknown) => {
        await source.close();
        throw error;
      });
      opened.push({ tar, source });
      problems.push(...tar.problems.map((problem) => ({ ...problem, path: `${file.name} › ${problem.path}` })));
      if (trailer === null) {
        if (file.name.toLowerCase().endsWith('.md5')) problems.push({ path: file.name, message: 'MD5 not checked: the file does not end with an MD5 line (`<md5>  <name>`)' });
      } else if (md5 !== null) {
        if (md5 !== trailer.md5) problems.push({ path: file.name, message: `MD5 mismatch: the file states ${trailer.md5}, its bytes hash to ${md5}: the download is damaged (get it again)` });
      } else if (onDisk !== null) {
        digestChecks.push({ path: onDisk.path, start: onDisk.offset, end: onDisk.offset + tarLength, algorithm: 'md5', expected: trailer.md5, subject: file.name });
      }
      const members = tar.members.filter((member) => member.type === 'file').map((member) => ({ name: member.name, size: member.size, open: async () => member.open() }));
      for (const { image, origin } of findPartitionImages(members, { binaries: true })) await mounts.add(image, `${basename(file.name)} › ${origin}`);
    }
    const result = await mounts.finish({ format, otaMetadata: null, problems, closeContainer: closeAll });
    return { ...result, digestChecks };
  } catch (error) {
    await mounts.close();
    await closeAll();
    throw error;
  }
}
