import type { AppModel } from '../../../shared/app.js';
import type { InventoryApp, PackageInventory, PermissionGrant, SysconfigEntry, InitService } from '../../../shared/inventory.js';
import { SCHEMA_VERSION, type FileEntry, type Problem } from '../../../shared/model.js';
import { sortByKey } from '../../../shared/sort.js';
import type { NamedResourceValue } from '../android/resourceValues.js';
import { configFileKind, layerPropertyFiles, type ConfigFileKind, parseDefaultPermissions, parseInitRc, parseSystemConfigXml, type PropertyFileText } from '../config/index.js';
import { isFlagFile, readBuildFlags } from '../config/buildFlags.js';
import { InputError, throwIfAborted } from '../errors.js';
import { closePackage, openPackage } from '../formats/registry.js';
import { BufferByteSource } from '../io/byteSource.js';
import { countSpools } from '../io/spool.js';
import { hashPackageInWorker } from '../io/packageDigests.js';
import { buildFacts, readPropertyText } from '../buildFacts.js';
import type { DeviceTree } from '../vfs/deviceTree.js';
import { ARCHIVE_SEPARATOR } from '../vfs/deviceTree.js';
import { AppParserPool } from './appParserPool.js';
import { parseApp, SETTINGS_PROVIDER, type AppParseOptions, type AppParseResult } from './appParsing.js';
import { completeAppCode } from './codeBeside.js';
import { FileReaderPool, readerWorkersPayOff, READS_PER_WORKER } from './fileReaderPool.js';
import { readTreeFile, type FileRead, type ReadMode } from './fileReading.js';
import type { ParsedApps } from './parsedApps.js';
import { markPlatformSigned } from './platformKey.js';
import { impliedOnPlatform } from '../android/impliedPermissions.js';
import { settingsDefaults, type OverlaySource, type SettingsSource } from './settingsDefaults.js';
import { isSelinuxPolicyFile, POLICY_TEXT_LIMIT, readSecurityInventory } from '../security/securityInventory.js';

const APP_FILE = /\.(apk|apex|capex)$/i;
/** Files read whole into memory once, hashed and parsed from there; larger APKs are parsed in place. */
const APP_IN_MEMORY_LIMIT = 128 << 20;
const TEXT_FILE = /\.(xml|prop|rc|conf|cfg|txt|json|ini|sh|list)$|\/build\.prop$|\.default$/i;
const TEXT_LIMIT = 1 << 20;
/** aconfig flag files are read whole: a real build's largest (system's aconfig_flags.pb) is a few MiB. */
const FLAG_FILE_LIMIT = 32 << 20;
/**
 * Init scripts, permission and sysconfig XML parsed per build, in bytes: a real build has one or two
 * MiB of them. Property files do not count: there are a dozen, and every one matters.
 */
const CONFIG_TEXT_BUDGET = 8 << 20;
/** Texts kept for line diffs, at most this many bytes in all. */
const TEXT_BUDGET = 64 << 20;
/** Files read at once on this thread (listing waits while this many are being read). */
const IO_CONCURRENCY = 4;
/**
 * A file inside a package may decode to at most this many times the package's own size (and at
 * least FILE_SIZE_FLOOR): firmware compresses a few times over, while a size bomb (a 200 GiB
 * sparse file in a 4 MiB ext4 image, a partition of ZERO operations) would take hours to hash.
 */
const MAX_FILE_EXPANSION = 64;
/** Real ROMs hold a few hundred thousand entries; each listed one costs memory until the end. */
export const MAX_ENTRIES = 2_000_000;
const FILE_SIZE_FLOOR = 4 * 2 ** 30;
/**
 * Per-file time budget: a minute, or longer for files big enough to need it at 10 MB/s. A file
 * read slower than that (a pathological image) is reported and the comparison goes on.
 */
const FILE_TIME_FLOOR_MS = 60_000;
const FILE_MIN_BYTES_PER_SECOND = 10_000_000;
/** While a large file is read, progress is reported every this many bytes too. */
const PROGRESS_BYTES_STEP = 8 << 20;

export interface InventoryProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  appsDone: number;
  appsTotal: number;
}

export interface InventoryOptions {
  signal?: AbortSignal | undefined;
  onOpened?: (() => void) | undefined;
  onProgress?: ((progress: InventoryProgress) => void) | undefined;
  /** The per-file time budget (default: a minute, or 10 MB/s for larger files). */
  fileTimeBudget?: { floorMs: number; bytesPerSecond: number };
  /**
   * Where apps are parsed: a worker pool shared with other inventories (the caller closes it), or
   * null to parse on this thread. By default the inventory starts and closes a pool of its own.
   */
  pool?: AppParserPool | null;
  /**
   * Where files are read and hashed: worker threads shared with other inventories (the caller
   * closes them), or null to read on this thread. By default the inventory starts its own for a
   * package of READER_WORKERS_FROM_BYTES or more or a folder, unless `pool` is null (then
   * everything runs on this thread) or the package cannot be opened again cheaply (its opening
   * decoded something into a temporary file).
   */
  readers?: FileReaderPool | null;
  /** Stop listing after this many entries (default MAX_ENTRIES): a hostile image may list millions. */
  maxEntries?: number;
  /** Read every app's code layer (DEX, VDEX, jars; servers in resources and XML); default true. */
  codeAnalysis?: boolean | undefined;
  /** Readings shared with the other build of a comparison, so an APK both hold is parsed once. */
  parsedApps?: ParsedApps | undefined;
}

export interface InventoryResult {
  inventory: PackageInventory;
  /**
   * Text of text-like files by device path, and decoded XML of APK manifests and preference
   * screens by `apk!/member`: what line diffs are made from. Not part of the JSON inventory.
   */
  texts: Map<string, string>;
  /**
   * Texts findings may cite but that are not diffed line by line: the SELinux CIL files by device
   * path, a file OTA's updater-script by member name. Not part of the JSON inventory.
   */
  evidenceTexts?: Map<string, string>;
}

interface ReadApp {
  entry: FileEntry;
  result: AppParseResult;
}

/**
 * The inventory of one package: every file hashed, every APK/APEX parsed into the app model (each
 * read once: hashed and parsed from the same bytes), property layers, SettingsProvider defaults
 * with their overlays, permission grants, sysconfig and init services.
 */
export async function buildInventory(path: string, options: InventoryOptions = {}): Promise<InventoryResult> {
  const { result: handle, spools } = await countSpools(() => openPackage(path));
  const ownPool = options.pool === undefined ? new AppParserPool() : null;
  const pool = options.pool === undefined ? ownPool : options.pool;
  const ownReaders = options.readers === undefined && options.pool !== null && spools === 0 && readerWorkersPayOff(handle.probe.stats) ? new FileReaderPool() : null;
  const readers = spools > 0 ? null : options.readers === undefined ? ownReaders : options.readers;
  try {
    throwIfAborted(options.signal);
    options.onOpened?.();
    const problems: Problem[] = [...handle.opened.problems];
    const files: FileEntry[] = [];
    const maxEntries = options.maxEntries ?? MAX_ENTRIES;
    // The package file is read once for its SHA-256 and any digests it states (an Odin tar's MD5).
    const packageHash = hashPackageInWorker(handle.probe.path, !handle.probe.isDirectory, handle.opened.digestChecks ?? []);
    // An unpacked folder's files are real files on disk: their sizes are what they are.
    const sizeCap = handle.probe.isDirectory ? null : Math.max(FILE_SIZE_FLOOR, handle.probe.stats.size * MAX_FILE_EXPANSION);
    const fileSource = readers === null ? { tree: handle.opened.tree } : { tree: handle.opened.tree, readers, packagePath: handle.probe.path };
    const reader = new FileReader(fileSource, handle.probe.name, sizeCap, pool, options, problems, files);
    // Files are read while the walk goes on, so a file's data is read soon after its metadata,
    // while the image blocks holding both are still decoded (payload ops, compressed clusters).
    for await (const entry of handle.opened.tree.walk('/', problems)) {
      throwIfAborted(options.signal);
      if (files.length >= maxEntries) {
        problems.push({ path: entry.path, message: `not listed: the package has more than ${maxEntries} entries; this one and the rest are left out` });
        break;
      }
      await reader.add({ ...entry, sha256: null });
    }
    await reader.finish();
    if (options.codeAnalysis !== false) await completeAppCode(handle.opened.tree, reader.appsRead(), files, problems);
    const { sha256: packageSha256, problems: digestProblems } = await packageHash;
    problems.push(...digestProblems);
    throwIfAborted(options.signal);
    problems.push(...handle.opened.tree.treeProblems);
    const boot = (await handle.opened.readBoot?.()) ?? { boot: null, problems: [] };
    problems.push(...boot.problems);

    const configs = reader.configTexts();
    const properties = await layerWithImports(handle.opened.tree, configs.properties, problems);
    const grants: PermissionGrant[] = [];
    const sysconfig: SysconfigEntry[] = [];
    for (const file of configs.systemConfig) {
      const parsed = parseConfig(() => parseSystemConfigXml(file.text, file.path), file.path, problems);
      if (parsed) {
        grants.push(...parsed.grants);
        sysconfig.push(...parsed.entries);
      }
    }
    for (const file of configs.defaultPermissions) grants.push(...(parseConfig(() => parseDefaultPermissions(file.text, file.path), file.path, problems) ?? []));
    const initServices: InitService[] = configs.initRc.flatMap((file) => parseConfig(() => parseInitRc(file.text, file.path), file.path, problems) ?? []);

    const security = await readSecurityInventory(handle.opened, files, reader.policyTexts, problems);
    const flags = readBuildFlags(reader.flagFiles, properties, problems);
    const effective = Object.fromEntries(properties.map((property) => [property.name, property.value]));
    const apps = reader.apps(platformSdkOf(effective));
    const inventory: PackageInventory = {
      schemaVersion: SCHEMA_VERSION,
      package: {
        file: handle.probe.name,
        sha256: packageSha256,
        format: handle.opened.format,
        ...buildFacts(effective, handle.opened.otaMetadata),
        boot: boot.boot,
        partitions: handle.opened.partitions,
      },
      apps: apps.inventoryApps,
      properties,
      settings: settingsDefaults(apps.provider, apps.overlays),
      permissionGrants: sortByKey(grants, (grant) => `${grant.file} ${String(grant.line).padStart(8, '0')} ${grant.permission}`),
      sysconfig: sortByKey(sysconfig, (entry) => `${entry.file} ${String(entry.line).padStart(8, '0')}`),
      initServices: sortByKey(initServices, (service) => `${service.name} ${service.file}`),
      flags,
      files: sortByKey(files, (entry) => entry.path),
      problems: sortByKey(problems, (problem) => `${problem.path} ${problem.message}`),
      security,
    };
    return { inventory, texts: reader.texts, evidenceTexts: new Map([...reader.policyTexts, ...(handle.opened.memberTexts ?? [])]) };
  } finally {
    await ownReaders?.close();
    await ownPool?.close();
    await closePackage(handle);
  }
}

/** Rounds of reading imported property files: each round may find imports of the files just read. */
const IMPORT_ROUNDS = 8;

/**
 * The property layering, with the files `import` lines name read from the tree as they are found
 * (they may sit anywhere, e.g. `/my_product/etc/extra.prop`).
 */
async function layerWithImports(tree: DeviceTree, bootFiles: readonly PropertyFileText[], problems: Problem[]): Promise<ReturnType<typeof layerPropertyFiles>['properties']> {
  const files = [...bootFiles];
  const tried = new Set(files.map((file) => file.path));
  let layering = layerPropertyFiles(files);
  for (let round = 0; round < IMPORT_ROUNDS; round++) {
    const toRead = layering.missing.filter((path) => !tried.has(path));
    if (toRead.length === 0) break;
    for (const path of toRead) {
      tried.add(path);
      const { text } = await readPropertyText(tree, path, problems);
      if (text !== null) files.push({ path, text });
    }
    layering = layerPropertyFiles(files);
  }
  problems.push(...layering.problems);
  return layering.properties;
}

function parseConfig<T>(parse: () => T, path: string, problems: Problem[]): T | null {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push({ path, message: `not read: ${error.message}` });
    return null;
  }
}

/** Where the files are read: on this thread from the tree, or by worker threads that open the package themselves. */
type FileSource = { tree: DeviceTree } | { tree: DeviceTree; readers: FileReaderPool; packagePath: string };

/** Reads every file once: hashes it, keeps texts, hands APK bytes to the parsers. */
class FileReader {
  readonly texts = new Map<string, string>();
  /** SELinux CIL files by device path, read whole for the policy summary. */
  readonly policyTexts = new Map<string, string>();
  /** aconfig flag files (protobufs and storage files), by device path. */
  readonly flagFiles = new Map<string, Buffer>();
  private textBytes = 0;
  private readonly readApps: ReadApp[] = [];
  private readonly progress: InventoryProgress;
  private nextProgressAt = PROGRESS_BYTES_STEP;
  private readonly configFiles = new Map<string, { kind: NonNullable<ReturnType<typeof configFileKind>>; text: string }>();

  private readonly tree: DeviceTree;
  private readonly concurrency: number;

  constructor(
    private readonly source: FileSource,
    private readonly packageName: string,
    private readonly sizeCap: number | null,
    private readonly pool: AppParserPool | null,
    private readonly options: InventoryOptions,
    private readonly problems: Problem[],
    private readonly files: FileEntry[],
  ) {
    this.progress = { filesDone: 0, filesTotal: 0, bytesDone: 0, appsDone: 0, appsTotal: 0 };
    this.tree = source.tree;
    this.concurrency = 'readers' in source ? source.readers.size * READS_PER_WORKER : IO_CONCURRENCY;
  }

  private readonly running = new Set<Promise<void>>();
  /** Bytes of the configuration files chosen for parsing so far, in walk order. */
  private configBytes = 0;
  private failure: unknown = null;

  /** Lists an entry and, for a file, starts reading it once one of the reads in flight is done. */
  async add(entry: FileEntry): Promise<void> {
    this.files.push(entry);
    if (entry.type !== 'file') return;
    this.progress.filesTotal += 1;
    if (APP_FILE.test(entry.path)) this.progress.appsTotal += 1;
    while (this.running.size >= this.concurrency) await Promise.race(this.running);
    this.throwFailure();
    const configKind = this.configKindToParse(entry);
    const job: Promise<void> = this.readOne(entry, configKind)
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.running.delete(job));
    this.running.add(job);
  }

  /** Waits for the reads in flight; an error that is no input problem (a bug, a cancel) is thrown here. */
  async finish(): Promise<void> {
    await Promise.all(this.running);
    this.throwFailure();
    this.options.onProgress?.({ ...this.progress });
  }

  private throwFailure(): void {
    if (this.failure !== null) throw this.failure;
  }

  private async readOne(entry: FileEntry, configKind: ConfigFileKind | null): Promise<void> {
    throwIfAborted(this.options.signal);
    const budget = this.options.fileTimeBudget ?? { floorMs: FILE_TIME_FLOOR_MS, bytesPerSecond: FILE_MIN_BYTES_PER_SECOND };
    const budgetMs = Math.max(budget.floorMs, (entry.size / budget.bytesPerSecond) * 1000);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), budgetMs);
    const signal = this.options.signal === undefined ? timeout.signal : AbortSignal.any([this.options.signal, timeout.signal]);
    try {
      await this.read(entry, configKind, signal);
    } catch (error) {
      const timedOut = timeout.signal.aborted && !(this.options.signal?.aborted ?? false);
      if (timedOut) this.problems.push({ path: entry.path, message: `not read: took longer than ${Math.round(budgetMs / 1000)} s (the time allowed for a file of this size)` });
      else if (error instanceof InputError) this.problems.push({ path: entry.path, message: `not read: ${error.message}` });
      else throw error;
    } finally {
      clearTimeout(timer);
    }
    this.progress.filesDone += 1;
    this.options.onProgress?.({ ...this.progress });
  }

  private async read(entry: FileEntry, configKind: ConfigFileKind | null, signal: AbortSignal): Promise<void> {
    if (this.sizeCap !== null && entry.size > this.sizeCap) {
      throw new InputError(`declares ${entry.size} bytes, more than ${MAX_FILE_EXPANSION} times the package: not read (a size bomb?)`, {
        file: this.packageName,
        format: entry.path,
        expected: `at most ${this.sizeCap} bytes`,
      });
    }
    if (isFlagFile(entry.path)) {
      if (entry.size > FLAG_FILE_LIMIT) {
        this.problems.push({ path: entry.path, message: `flags not read: ${entry.size} bytes, more than the ${FLAG_FILE_LIMIT >> 20} MiB any real flag file needs (hashed and compared as a file)` });
        entry.sha256 = (await this.readFile(entry, 'hash', signal)).sha256;
        return;
      }
      const read = await this.readFile(entry, 'bytes', signal);
      entry.sha256 = read.sha256;
      this.flagFiles.set(entry.path, read.bytes ?? Buffer.alloc(0));
      return;
    }
    const isApp = APP_FILE.test(entry.path);
    const isPolicy = isSelinuxPolicyFile(entry.path) && entry.size <= POLICY_TEXT_LIMIT;
    if (isSelinuxPolicyFile(entry.path) && !isPolicy) {
      this.problems.push({ path: entry.path, message: `SELinux policy file not read: ${entry.size} bytes, more than the ${POLICY_TEXT_LIMIT >> 20} MiB any real one needs (hashed and compared as a file; its domains and rules are left out)` });
    }
    const keepText = configKind !== null || isPolicy || (TEXT_FILE.test(entry.path) && entry.size <= TEXT_LIMIT);
    if (isApp && entry.size > APP_IN_MEMORY_LIMIT) {
      entry.sha256 = (await this.readFile(entry, 'hash', signal)).sha256;
      await this.addApp(entry, await parseApp(await this.tree.openSource(entry.path), entry.path, this.parseOptions()));
      return;
    }
    if (!isApp && !keepText) {
      entry.sha256 = (await this.readFile(entry, 'hash', signal)).sha256;
      return;
    }
    const read = await this.readFile(entry, 'bytes', signal);
    const bytes = read.bytes ?? Buffer.alloc(0);
    entry.sha256 = read.sha256;
    if (isApp) {
      const parse = () => this.parse(bytes, entry.path);
      await this.addApp(entry, await (this.options.parsedApps?.reading(entry.path, entry.sha256 ?? '', parse) ?? parse()));
      return;
    }
    const text = bytes.toString('utf8');
    if (isPolicy) {
      this.policyTexts.set(entry.path, text);
      return;
    }
    if (configKind !== null) this.configFiles.set(entry.path, { kind: configKind, text });
    this.keepText(entry.path, text);
  }

  /**
   * Which parser reads this file as platform configuration, or null. Real init scripts, permission
   * XML and property files are tens of KiB, a whole build's one or two MiB; a file of megabytes, or
   * files past CONFIG_TEXT_BUDGET in all, would cost far more memory parsed than they could be worth, so
   * they are only hashed, and reported. Decided in walk order, so the same files are parsed each run.
   */
  private configKindToParse(entry: FileEntry): ConfigFileKind | null {
    const kind = configFileKind(entry.path);
    if (kind === null) return null;
    const notRead = (why: string): null => {
      this.problems.push({ path: entry.path, message: `not read as a configuration file: ${why} (hashed and compared as a file)` });
      return null;
    };
    if (entry.size > TEXT_LIMIT) return notRead(`${entry.size} bytes, more than the ${TEXT_LIMIT >> 20} MiB any real one needs`);
    if (kind === 'properties') return kind;
    if (this.configBytes + entry.size > CONFIG_TEXT_BUDGET) return notRead(`the ${CONFIG_TEXT_BUDGET >> 20} MiB of configuration files read per build were reached (${this.configBytes} bytes before it)`);
    this.configBytes += entry.size;
    return kind;
  }

  private parseOptions(): AppParseOptions {
    return { code: this.options.codeAnalysis !== false };
  }

  private async parse(bytes: Buffer, path: string): Promise<AppParseResult> {
    if (this.pool === null) return parseApp(new BufferByteSource(path, bytes), path, this.parseOptions());
    try {
      return await this.pool.parse(bytes, path, this.parseOptions());
    } catch (error) {
      return { app: null, error: `parser failed: ${(error as Error).message}`, resourceValues: null, xmlTexts: [] };
    }
  }

  private async addApp(entry: FileEntry, result: AppParseResult): Promise<void> {
    this.readApps.push({ entry, result });
    if (result.error !== null) this.problems.push({ path: entry.path, message: `app not read: ${result.error}` });
    // What the APK reader could not read or verify (signatures that do not verify, a Janus prefix…) is a problem of the build.
    for (const problem of result.app?.problems ?? []) this.problems.push(problem);
    for (const [member, text] of result.xmlTexts) this.keepText(`${entry.path}${ARCHIVE_SEPARATOR}${member}`, text);
    this.progress.appsDone += 1;
  }

  private keepText(path: string, text: string): void {
    if (this.textBytes + text.length > TEXT_BUDGET) return;
    this.textBytes += text.length;
    this.texts.set(path, text);
  }

  /** One file's SHA-256 (and bytes), read by the worker threads or on this thread. */
  private readFile(entry: FileEntry, mode: ReadMode, signal: AbortSignal): Promise<FileRead> {
    const count = (bytes: number): void => this.countBytes(bytes);
    if ('readers' in this.source) return this.source.readers.read(this.source.packagePath, entry.path, entry.size, mode, signal, count);
    return readTreeFile(this.tree, entry.path, mode, signal, count);
  }

  private countBytes(bytes: number): void {
    this.progress.bytesDone += bytes;
    if (this.progress.bytesDone < this.nextProgressAt) return;
    this.nextProgressAt = this.progress.bytesDone + PROGRESS_BYTES_STEP;
    this.options.onProgress?.({ ...this.progress });
  }

  configTexts(): Record<'properties' | 'systemConfig' | 'defaultPermissions' | 'initRc', { path: string; text: string }[]> {
    const of = (kind: string) =>
      sortByKey([...this.configFiles].filter(([, file]) => file.kind === kind).map(([path, file]) => ({ path, text: file.text })), (file) => file.path);
    return { properties: of('properties'), systemConfig: of('system-config'), defaultPermissions: of('default-permissions'), initRc: of('init-rc') };
  }

  /** Every app read so far, by device path. */
  appsRead(): { path: string; app: AppModel | null }[] {
    return sortByKey(this.readApps, (read) => read.entry.path).map((read) => ({ path: read.entry.path, app: read.result.app }));
  }

  /** The apps read, for a build of Android API level `platformSdk` (null when unknown). */
  apps(platformSdk: number | null): { inventoryApps: InventoryApp[]; provider: SettingsSource | null; overlays: OverlaySource[] } {
    const inventoryApps: InventoryApp[] = [];
    let provider: SettingsSource | null = null;
    const overlays: OverlaySource[] = [];
    for (const { entry, result } of sortByKey(this.readApps, (read) => read.entry.path)) {
      // Permissions implied by a split the build's Android version does not know are not implied on it.
      if (result.app !== null && platformSdk !== null) result.app.usesPermissions = impliedOnPlatform(result.app.usesPermissions, platformSdk);
      inventoryApps.push({ path: entry.path, partition: partitionOf(entry.path), sha256: entry.sha256 ?? '', app: result.app });
      if (result.app === null || result.resourceValues === null) continue;
      const values = new Map<string, NamedResourceValue>(result.resourceValues);
      if (result.app.package === SETTINGS_PROVIDER) provider ??= { path: entry.path, package: result.app.package, values };
      else if (result.app.overlay !== null) overlays.push({ path: entry.path, package: result.app.package, values, priority: result.app.overlay.priority });
    }
    markPlatformSigned(inventoryApps);
    return { inventoryApps, provider, overlays };
  }
}

/** `ro.build.version.sdk`, when the build states a number. */
function platformSdkOf(properties: Record<string, string>): number | null {
  const sdk = Number.parseInt(properties['ro.build.version.sdk'] ?? '', 10);
  return Number.isFinite(sdk) ? sdk : null;
}

function partitionOf(devicePath: string): string {
  return devicePath.split('/')[1] ?? '';
}
