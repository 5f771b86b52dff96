import type { Readable } from 'node:stream';
import type { Problem } from '../../../shared/model.js';
import { InputError } from '../errors.js';
import { detectFileSystem } from '../fs/registry.js';
import type { ByteSource } from '../io/byteSource.js';
import { ZipArchive } from '../zip/zipArchive.js';
import { pathSegments, type FileTree, type TreeNode } from './fileTree.js';

const APEX_FOLDER = 'apex';
const APEX_FILE = /^(.+)\.(apex|capex)$/;
const APEX_PAYLOAD = 'apex_payload.img';
/** A compressed APEX (.capex) wraps the real one. */
const CAPEX_ORIGINAL = 'original_apex';

interface ApexFile {
  /** Mount name under /apex: the file name without its extension. */
  name: string;
  partitionTree: FileTree;
  path: string;
  compressed: boolean;
}

interface OpenedApex {
  tree: FileTree;
  close(): Promise<void>;
}

/**
 * `/apex/<name>`: the file system inside each APEX (`apex_payload.img`) found in the partitions'
 * `apex/` folders, as the device mounts them at boot. An APEX is opened when a path below its
 * mount point is first read; one that cannot be read lists as empty and its error is reported.
 */
export class ApexMount implements FileTree {
  private readonly opened = new Map<string, Promise<OpenedApex>>();
  /** The trees of the APEXes opened so far, for their problems. */
  private readonly openedTrees = new Map<string, FileTree>();

  private constructor(
    private readonly apexes: ReadonlyMap<string, ApexFile>,
    /** APEX files not mounted because an earlier one took their name. */
    private readonly clashes: readonly Problem[],
  ) {}

  /**
   * Finds the APEX files of the given partitions (name → tree); an earlier partition wins a name
   * clash, and the APEX left unmounted is reported. Null when there are none.
   */
  static async find(partitions: readonly (readonly [string, FileTree])[]): Promise<ApexMount | null> {
    const apexes = new Map<string, ApexFile & { devicePath: string }>();
    const clashes: Problem[] = [];
    for (const [partition, partitionTree] of partitions) {
      for (const node of (await partitionTree.list(APEX_FOLDER)) ?? []) {
        const match = APEX_FILE.exec(node.name);
        if (node.type !== 'file' || match?.[1] === undefined) continue;
        const devicePath = `/${partition}/${APEX_FOLDER}/${node.name}`;
        const first = apexes.get(match[1]);
        if (first !== undefined) {
          clashes.push({ path: match[1], message: `${devicePath} is not mounted here: ${first.devicePath} already is` });
          continue;
        }
        apexes.set(match[1], { name: match[1], partitionTree, path: `${APEX_FOLDER}/${node.name}`, compressed: match[2] === 'capex', devicePath });
      }
    }
    return apexes.size === 0 ? null : new ApexMount(apexes, clashes);
  }

  async list(path: string): Promise<TreeNode[] | null> {
    const [name, ...rest] = pathSegments(path);
    if (name === undefined) return [...this.apexes.keys()].sort().map((apex) => ({ name: apex, type: 'directory', size: 0 }));
    const apex = await this.open(name);
    return apex === null ? null : apex.tree.list(rest.join('/'));
  }

  async stat(path: string): Promise<TreeNode | null> {
    const [name, ...rest] = pathSegments(path);
    if (name === undefined) return { name: '', type: 'directory', size: 0 };
    const apex = await this.open(name);
    if (apex === null) return null;
    const node = await apex.tree.stat(rest.join('/'));
    return node !== null && rest.length === 0 ? { ...node, name } : node;
  }

  async openStream(path: string): Promise<Readable> {
    const [name, ...rest] = pathSegments(path);
    const apex = name === undefined ? null : await this.open(name);
    if (apex === null) throw new Error(`not a file in an APEX: ${path}`);
    return apex.tree.openStream(rest.join('/'));
  }

  async openSource(path: string): Promise<ByteSource> {
    const [name, ...rest] = pathSegments(path);
    const apex = name === undefined ? null : await this.open(name);
    if (apex === null) throw new Error(`not a file in an APEX: ${path}`);
    return apex.tree.openSource(rest.join('/'));
  }

  private async open(name: string): Promise<OpenedApex | null> {
    const file = this.apexes.get(name);
    if (file === undefined) return null;
    let opened = this.opened.get(name);
    if (opened === undefined) {
      opened = openApex(file);
      this.opened.set(name, opened);
      opened.then((apex) => this.openedTrees.set(name, apex.tree)).catch(() => undefined);
    }
    return opened;
  }

  /** APEXes left unmounted, and what the readers of the opened ones left out, with paths below /apex. */
  get problems(): Problem[] {
    const inside = [...this.openedTrees].flatMap(([name, tree]) => (tree.problems ?? []).map((problem) => ({ path: `${name}/${problem.path}`, message: problem.message })));
    return [...this.clashes, ...inside];
  }

  async close(): Promise<void> {
    const all = [...this.opened.values()];
    this.opened.clear();
    this.openedTrees.clear();
    for (const apex of all) await (await apex.catch(() => null))?.close();
  }
}

async function openApex(file: ApexFile): Promise<OpenedApex> {
  const zips: ZipArchive[] = [];
  const closeAll = async (): Promise<void> => {
    for (const zip of zips.reverse()) await zip.close();
  };
  try {
    let zip = await ZipArchive.open(await file.partitionTree.openSource(file.path));
    zips.push(zip);
    if (file.compressed) {
      const original = zip.get(CAPEX_ORIGINAL);
      if (original === undefined) throw new InputError(`no ${CAPEX_ORIGINAL} in the compressed APEX`, { file: file.path, format: 'capex' });
      zip = await ZipArchive.open(await zip.openSource(original));
      zips.push(zip);
    }
    const payload = zip.get(APEX_PAYLOAD);
    if (payload === undefined) throw new InputError(`no ${APEX_PAYLOAD} in the APEX`, { file: file.path, format: 'apex' });
    const image = await zip.openSource(payload);
    const fileSystem = await detectFileSystem(image);
    if (fileSystem === null) throw new InputError('the APEX payload is neither ext4 nor EROFS', { file: file.path, format: `apex › ${APEX_PAYLOAD}`, offset: 1024 });
    return { tree: await fileSystem.open(image), close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Partitions whose `apex/` folders hold APEXes, in the order a name clash is decided. */
const APEX_PARTITIONS = ['system', 'system_ext', 'product', 'vendor'];

/** Adds `/apex` to `mounts` when any partition carries APEXes; returns what must be closed. */
export async function mountApexes(mounts: Map<string, FileTree>): Promise<ApexMount | null> {
  const partitions = APEX_PARTITIONS.flatMap((name): [string, FileTree][] => {
    const tree = mounts.get(name);
    return tree === undefined ? [] : [[name, tree]];
  });
  const apex = await ApexMount.find(partitions);
  if (apex !== null && !mounts.has(APEX_FOLDER)) mounts.set(APEX_FOLDER, apex);
  return apex;
}
