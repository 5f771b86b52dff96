import type { BootInfo, PartitionSummary, Problem } from '../../../shared/model.js';
import { readBootImage, summarizeBoot } from '../boot/bootImage.js';
import { classifyRawPartition } from '../boot/partitionKind.js';
import { isSparseImage, openSparseImage } from '../containers/sparse.js';
import { isSuperImage, openSuperImage } from '../containers/superImage.js';
import type { PartitionImage } from '../containers/types.js';
import { InputError } from '../errors.js';
import { detectFileSystem } from '../fs/registry.js';
import type { ByteSource } from '../io/byteSource.js';
import { mountApexes, type ApexMount } from '../vfs/apexMount.js';
import { DeviceTree } from '../vfs/deviceTree.js';
import type { FileTree } from '../vfs/fileTree.js';
import { SubTree } from '../vfs/subTree.js';
import { isMountableName, isPartitionName } from './partitions.js';
import type { OpenedPackage } from './types.js';

const SUPER = 'super';

/**
 * Turns partition images into mounts, whatever they are wrapped in: a sparse image is read through
 * its chunk map, a super.img is opened into its logical partitions, and the file system (ext4 or
 * EROFS) is detected; every partition that holds one mounts at `/<name>`, whatever its name
 * (system, vendor_dlkm, my_stock…). A system-as-root image, whose root holds `system/`, mounts
 * that folder at /system. A partition without a file system is listed with its kind (boot image,
 * vbmeta, DTBO, raw data…), read by its first bytes only. A partition that cannot be read becomes
 * a problem; the others are still mounted.
 */
export class PartitionMounts {
  readonly mounts = new Map<string, FileTree>();
  readonly partitions: PartitionSummary[] = [];
  readonly problems: Problem[] = [];
  /** Partitions that could not be mounted: name → the problem, for the device tree to say so. */
  private readonly unreadable = new Map<string, string>();
  private readonly sources: ByteSource[] = [];
  /** Each partition's image bytes after sparse decoding, by name, for `otalens extract`. */
  private readonly images = new Map<string, ByteSource>();
  private readonly bootImages: { partition: string; source: ByteSource }[] = [];
  private boot: Promise<{ boot: BootInfo | null; problems: Problem[] }> | null = null;
  private apex: ApexMount | null = null;

  constructor(private readonly packageName: string) {}

  /** Adds one partition image; `origin` says where it came from (`payload.bin`, `images/system.img`). */
  async add(image: PartitionImage, origin: string): Promise<void> {
    this.problems.push(...(image.problems ?? []));
    if (!isMountableName(image.name)) {
      this.problems.push({ path: origin, message: `a partition named ${JSON.stringify(image.name)} was left out: that name cannot be a folder of the device` });
      return;
    }
    if (this.images.has(image.name) || this.partitions.some((partition) => partition.name === image.name)) {
      this.problems.push({ path: `/${image.name}`, message: `a second ${image.name} partition (from ${origin}) was ignored` });
      return;
    }
    try {
      await this.mount(image, origin);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.partitions.push({ name: image.name, fileSystem: 'unreadable', size: image.size, origin, kind: 'unreadable' });
      this.problems.push({ path: `/${image.name}`, message: `partition not read: ${error.message}` });
      this.unreadable.set(image.name, error.message);
    }
  }

  private async mount(image: PartitionImage, origin: string): Promise<void> {
    let source = await image.open();
    this.sources.push(source);
    let where = origin;
    if (await isSparseImage(source)) {
      source = await openSparseImage(source);
      where = `${origin} (sparse)`;
    }
    if (await isSuperImage(source)) {
      const opened = await openSuperImage(source);
      // A super image is `super` whatever its file was called (a bare `super.simg` is opened as system first).
      this.images.set(SUPER, source);
      this.partitions.push({ name: SUPER, fileSystem: 'super (dynamic partitions)', size: source.size, origin: where, kind: 'super' });
      for (const partition of opened.partitions) await this.add(partition, `${where} › ${partition.fullName}`);
      return;
    }
    if (image.name === SUPER) throw new InputError('not a super image (no liblp geometry)', { file: this.packageName, format: where, offset: 4096 });
    const fileSystem = await detectFileSystem(source);
    if (fileSystem === null) {
      const raw = await classifyRawPartition(source);
      this.images.set(image.name, source);
      // A partition Android or a vendor mounts (system, vendor, my_stock…) without a file system is
      // damaged, not data: a problem, though its image can still be extracted.
      if (raw.kind === 'raw-data' && source.size > 0 && isPartitionName(image.name)) {
        const magic = (await source.read(0, Math.min(8, source.size))).toString('hex');
        throw new InputError(`no ext4 or EROFS file system found (starts with ${magic})`, { file: this.packageName, format: where, offset: 1024, expected: 'an ext4 or EROFS superblock' });
      }
      if (raw.kind === 'boot-image' || raw.kind === 'vendor-boot-image') this.bootImages.push({ partition: image.name, source });
      this.partitions.push({ name: image.name, fileSystem: raw.description, size: source.size, origin: where, kind: raw.kind });
      return;
    }
    let tree = await fileSystem.open(source);
    if (image.name === 'system' && (await tree.stat('system/build.prop'))?.type === 'file') {
      tree = new SubTree(tree, 'system'); // system-as-root: the image's root is the device's /
      where = `${where}, system-as-root`;
    }
    this.images.set(image.name, source);
    this.mounts.set(image.name, tree);
    this.partitions.push({ name: image.name, fileSystem: fileSystem.id, size: source.size, origin: where, kind: 'file-system' });
  }

  /** The boot images' facts, read once when first asked for (the kernel banner may need decoding). */
  readBoot(): Promise<{ boot: BootInfo | null; problems: Problem[] }> {
    this.boot ??= (async () => {
      const problems: Problem[] = [];
      const images = [];
      for (const { partition, source } of this.bootImages) {
        try {
          const info = await readBootImage(partition, source, problems);
          if (info !== null) images.push(info);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          problems.push({ path: `/${partition}`, message: `boot image not read: ${error.message}` });
        }
      }
      return { boot: summarizeBoot(images), problems };
    })();
    return this.boot;
  }

  /** Call once every partition is added: mounts the APEXes found in them at /apex. */
  async mountApexes(): Promise<void> {
    this.apex = await mountApexes(this.mounts);
    if (this.apex !== null) this.partitions.push({ name: 'apex', fileSystem: 'APEX payloads', size: null, origin: 'apex/ folders of the partitions', kind: 'apex' });
  }

  /**
   * The package over these mounts, once every partition is added (APEXes are mounted now).
   * `closeContainer` closes what the images were read from, after the mounts.
   */
  async finish(package_: Pick<OpenedPackage, 'format' | 'otaMetadata'> & { problems: readonly Problem[]; closeContainer: () => Promise<void> }): Promise<OpenedPackage> {
    await this.mountApexes();
    return {
      format: package_.format,
      tree: new DeviceTree(this.mounts, this.packageName, this.unreadable),
      otaMetadata: package_.otaMetadata,
      partitions: this.partitions,
      problems: [...package_.problems, ...this.problems],
      readBoot: () => this.readBoot(),
      partitionImage: (name) => this.images.get(name) ?? null,
      close: async () => {
        await this.close();
        await package_.closeContainer();
      },
    };
  }

  async close(): Promise<void> {
    await this.apex?.close();
    for (const source of this.sources.splice(0)) await source.close();
  }
}
