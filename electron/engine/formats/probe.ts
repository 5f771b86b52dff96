import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { describeFsError, InputError } from '../errors.js';
import { FileByteSource } from '../io/byteSource.js';
import { ZipArchive } from '../zip/zipArchive.js';

const ZIP_LOCAL_HEADER = Buffer.from('PK\x03\x04', 'latin1');
const ZIP_EMPTY_ARCHIVE = Buffer.from('PK\x05\x06', 'latin1');

/**
 * What format modules look at to recognise a package. It opens the file and the zip directory at
 * most once, however many modules ask; the module that opens the package takes them over.
 */
export class PackageProbe {
  private source: FileByteSource | null = null;
  private zipArchive: Promise<ZipArchive | null> | null = null;
  private claimed = false;

  private constructor(
    readonly path: string,
    readonly name: string,
    readonly stats: Stats,
  ) {}

  static async create(path: string): Promise<PackageProbe> {
    const absolute = resolve(path);
    const name = basename(absolute);
    let stats: Stats;
    try {
      stats = await stat(absolute);
    } catch (error) {
      throw new InputError(describeFsError(error), { file: path, format: 'file', cause: error });
    }
    if (!stats.isFile() && !stats.isDirectory()) {
      throw new InputError('not a regular file or a folder', { file: path, format: 'file' });
    }
    return new PackageProbe(absolute, name, stats);
  }

  get isDirectory(): boolean {
    return this.stats.isDirectory();
  }

  async fileSource(): Promise<FileByteSource> {
    if (this.source === null) {
      try {
        this.source = await FileByteSource.open(this.path, this.name);
      } catch (error) {
        throw new InputError(describeFsError(error), { file: this.name, format: 'file', cause: error });
      }
    }
    return this.source;
  }

  /** The first bytes of the file (fewer if the file is shorter). */
  async head(length: number): Promise<Buffer> {
    if (this.isDirectory) return Buffer.alloc(0);
    const source = await this.fileSource();
    return source.read(0, Math.min(length, source.size));
  }

  /** The file as a zip, or null when it does not start like one. A corrupt zip is an InputError. */
  zip(): Promise<ZipArchive | null> {
    this.zipArchive ??= (async () => {
      const head = await this.head(4);
      if (!head.equals(ZIP_LOCAL_HEADER) && !head.equals(ZIP_EMPTY_ARCHIVE)) return null;
      return ZipArchive.open(await this.fileSource());
    })();
    return this.zipArchive;
  }

  /** The opening module now owns the file and zip; close() will leave them open. */
  claim(): void {
    this.claimed = true;
  }

  async close(): Promise<void> {
    if (this.claimed) return;
    const zip = await this.zipArchive?.catch(() => null);
    if (zip) await zip.close();
    else await this.source?.close();
  }
}
