/**
 * Code that a build keeps outside an app's APK, read once every file of the build is listed:
 *
 * - a preopted app whose APK holds no DEX: the DEX inside `oat/<arch>/<name>.vdex` beside it, when
 *   the VDEX version holds one (006–021; Android 12's 027 holds none);
 * - the platform (`android`, framework-res.apk): the jars beside framework-res.apk
 *   (`/system/framework/*.jar`), each jar's DEX, or its VDEX (`oat/<arch>/<jar>.vdex`, or
 *   `<arch>/boot-<jar>.vdex` for boot class path jars);
 * - an APEX: the jars of its `javalib/` folder, as the device mounts it at `/apex/<name>/javalib`.
 *
 * What cannot be found says so in the app's code status; what cannot be read is a problem.
 */
import type { AppCode, AppModel } from '../../../shared/app.js';
import type { FileEntry, Problem } from '../../../shared/model.js';
import { compareStrings, sortByKey } from '../../../shared/sort.js';
import { dexMemberSource, dexMembers } from '../android/code/apkCode.js';
import { CodeScan } from '../android/code/codeScan.js';
import { readVdex } from '../android/dex/vdexFile.js';
import { InputError } from '../errors.js';
import type { ByteSource } from '../io/byteSource.js';
import type { DeviceTree } from '../vfs/deviceTree.js';
import { ZipArchive } from '../zip/zipArchive.js';

/** Instruction sets in the order a 64-bit ARM device would prefer them. */
const ARCH_ORDER = ['arm64', 'arm', 'x86_64', 'x86', 'riscv64'];
const FRAMEWORK_RES = /^(\/[^/]+\/framework)\/framework-res\.apk$/;
const APEX_FILE = /^\/[^/]+\/apex\/([^/]+)\.(apex|capex)$/i;

export interface AppEntry {
  path: string;
  app: AppModel | null;
}

/** Reads the code each app keeps outside its APK into its `code`; problems go to `problems`. */
export async function completeAppCode(tree: DeviceTree, apps: readonly AppEntry[], files: readonly FileEntry[], problems: Problem[]): Promise<void> {
  const filePaths = new Set(files.filter((entry) => entry.type === 'file').map((entry) => entry.path));
  for (const { path, app } of apps) {
    if (app?.code === null || app?.code === undefined) continue;
    const found: Problem[] = [];
    const beside = new CodeBeside(tree, filePaths, found);
    const framework = FRAMEWORK_RES.exec(path);
    const apex = APEX_FILE.exec(path);
    if (app.package === 'android' && framework !== null) app.code = await beside.jarsCode(app.code, framework[1] as string, path);
    else if (apex !== null) app.code = await beside.jarsCode(app.code, `/apex/${apex[1]}/javalib`, path);
    else if (app.code.status === 'not-in-files') app.code = await beside.preoptedCode(app.code, path);
    // What could not be read is a problem of the build and of the app whose code it is.
    problems.push(...found);
    if (found.length > 0) app.problems = sortByKey([...app.problems, ...found], (problem) => problem.path);
  }
}

class CodeBeside {
  constructor(
    private readonly tree: DeviceTree,
    private readonly files: ReadonlySet<string>,
    private readonly problems: Problem[],
  ) {}

  /** The first of `oat/<arch>/<base>.vdex` (and `<arch>/boot-<base>.vdex` for jars) that the build has. */
  private vdexOf(folder: string, base: string, bootImage: boolean): string | null {
    const candidates = (arch: string): string[] => [`${folder}/oat/${arch}/${base}.vdex`, ...(bootImage ? [`${folder}/${arch}/boot-${base}.vdex`] : [])];
    const archs = [...new Set([...ARCH_ORDER, ...[...this.files].flatMap((path) => (path.startsWith(`${folder}/oat/`) ? [path.split('/').at(-2) as string] : [])).sort(compareStrings)])];
    for (const arch of archs) for (const candidate of candidates(arch)) if (this.files.has(candidate)) return candidate;
    return null;
  }

  /** An APK without DEX: its VDEX's DEX, or why there is none. */
  async preoptedCode(code: AppCode, apkPath: string): Promise<AppCode> {
    const { folder, base } = splitPath(apkPath, '.apk');
    const vdex = this.vdexOf(folder, base, false);
    const scan = new CodeScan();
    scan.addCode(code);
    if (vdex === null) return scan.result(`the APK holds no classes.dex and no ${folder}/oat/<arch>/${base}.vdex is beside it`);
    const noDex = await this.addVdex(scan, vdex);
    this.problems.push(...scan.problems);
    return scan.result(`the APK holds no classes.dex and ${noDex ?? 'its VDEX holds none'}`);
  }

  /** DEX of every jar in `folder`, each from the jar or its VDEX; jars whose code is nowhere are named. */
  async jarsCode(code: AppCode, folder: string, appPath: string): Promise<AppCode> {
    const jars = [...this.files].filter((path) => path.startsWith(`${folder}/`) && !path.slice(folder.length + 1).includes('/') && path.endsWith('.jar')).sort(compareStrings);
    if (jars.length === 0) return code;
    const scan = new CodeScan();
    scan.addCode(code);
    const missing: string[] = [];
    for (const jar of jars) {
      const before = scan.dexFileCount;
      await this.addJar(scan, jar);
      if (scan.dexFileCount > before) continue;
      const { base } = splitPath(jar, '.jar');
      const vdex = this.vdexOf(folder, base, true);
      const noDex = vdex === null ? null : await this.addVdex(scan, vdex);
      if (scan.dexFileCount === before) missing.push(`${jar} (${vdex === null ? 'no DEX in it, no VDEX beside it' : (noDex ?? 'its VDEX holds none')})`);
    }
    this.problems.push(...scan.problems);
    const result = scan.result(`${appPath} holds no classes.dex, nor do the jars beside it: ${missing.join(', ')}`);
    if (missing.length > 0 && result.status === 'read') {
      result.status = 'partial';
      result.reason = `code not in this build's files for ${missing.join(', ')}`;
    }
    return result;
  }

  private async addJar(scan: CodeScan, jar: string): Promise<void> {
    let zip: ZipArchive | null = null;
    try {
      zip = await ZipArchive.open(await this.tree.openSource(jar));
      for (const member of dexMembers(zip)) {
        const opened = zip;
        await scan.addDex(`${jar}!/${member.name}`, () => dexMemberSource(opened, member), jar, `${jar}!/${member.name}`);
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      scan.fail(jar, jar, error);
    } finally {
      await zip?.close();
    }
  }

  /** Reads the VDEX's DEX into `scan`; returns why it holds none, or null when it holds some. */
  private async addVdex(scan: CodeScan, vdexPath: string): Promise<string | null> {
    let source: ByteSource | null = null;
    try {
      source = await this.tree.openSource(vdexPath);
      const vdex = await readVdex(source, vdexPath);
      for (const dex of vdex.dexFiles) await scan.addDex(`${vdexPath}!/${dex.name}`, async () => dex.source, vdexPath, `${vdexPath}!/${dex.name}`);
      if (vdex.dexFiles.length > 0) return null;
      return `${vdexPath} holds no DEX: ${vdex.noDexReason ?? 'it lists none'}`;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      scan.fail(vdexPath, vdexPath, error);
      return `${vdexPath} could not be read`;
    } finally {
      await source?.close();
    }
  }
}

function splitPath(path: string, extension: string): { folder: string; base: string } {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  return { folder: path.slice(0, slash), base: name.toLowerCase().endsWith(extension) ? name.slice(0, -extension.length) : name };
}
