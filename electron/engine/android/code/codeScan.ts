/**
 * The code layer of one app, gathered from wherever its code and strings are: DEX files (in the
 * APK, a VDEX beside it, jars), resources.arsc and XML. A DEX that cannot be read becomes a problem
 * of the app and its strings are left out whole, so a corrupt file never contributes half-read
 * evidence; the rest is still read.
 */
import type { AppCode, CodeStatus } from '../../../../shared/app.js';
import type { Problem } from '../../../../shared/model.js';
import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byteSource.js';
import type { StringPool } from '../axml/stringPool.js';
import { classNameOf, readDex } from '../dex/dexFile.js';
import { HOST_STRINGS, HostCollector, mayNameHost } from './hostFinder.js';
import { SdkMatcher } from './sdkMatcher.js';

export class CodeScan {
  private readonly sdks = new SdkMatcher();
  private readonly hosts = new HostCollector();
  private readonly dexFiles: string[] = [];
  private readonly failedDexFiles: string[] = [];
  private classCount = 0;
  readonly problems: Problem[] = [];

  /**
   * Reads one DEX (`dexFile` names it in evidence; `file` is the APK or device file for messages,
   * `problemPath` where a failure is reported). `open` gives its bytes; the source is closed after.
   */
  async addDex(dexFile: string, open: () => Promise<ByteSource>, file: string, problemPath: string): Promise<void> {
    const candidates: string[] = [];
    let source: ByteSource | null = null;
    try {
      source = await open();
      const contents = await readDex(source, { file, dex: dexFile }, (text) => {
        if (mayNameHost(text)) candidates.push(text);
      }, { filter: HOST_STRINGS });
      for (const descriptor of contents.classDescriptors) {
        const className = classNameOf(descriptor);
        if (className !== null) this.sdks.addClass(className, dexFile);
      }
      this.classCount += contents.classDescriptors.length;
      for (const text of candidates) this.hosts.add(text, dexFile);
      this.dexFiles.push(dexFile);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.fail(dexFile, problemPath, error);
    } finally {
      await source?.close();
    }
  }

  /**
   * Code that could not be read: a DEX, or the VDEX or jar holding the app's DEX (`place`), is a
   * problem at `problemPath`, and the app's code is partly read or unreadable, never "not there".
   */
  fail(place: string, problemPath: string, error: InputError): void {
    this.failedDexFiles.push(place);
    this.problems.push({ path: problemPath, message: `code not read: ${error.message}` });
  }

  /** Strings of resources or XML, found in `place` (`resources.arsc`, `res/xml/config.xml`). */
  addStrings(strings: Iterable<string>, place: string): void {
    for (const text of strings) this.hosts.add(text, place);
  }

  /**
   * Every string of a resource or XML string pool; a string that cannot be decoded is a problem at
   * `problemPath`, and the pool's later strings are left unsearched.
   */
  addPoolStrings(pool: StringPool, problemPath: string, place: string): void {
    for (let index = 0; index < pool.count; index++) {
      let text: string;
      try {
        text = pool.get(index);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        this.problems.push({ path: problemPath, message: `strings from ${index} on not searched for servers: ${error.message}` });
        return;
      }
      this.hosts.add(text, place);
    }
  }

  /** Host names an app declares as such (network security config `<domain>` elements). */
  addDeclaredHosts(domains: Iterable<string>, place: string): void {
    for (const domain of domains) this.hosts.addDeclared(domain, place);
  }

  /** What another reading of the app found (the APK's, when the DEX is read from a VDEX or jars). */
  addCode(code: AppCode): void {
    this.sdks.addFound(code.sdks);
    this.hosts.addFound([...code.hosts, ...code.nonEndpoints]);
    this.dexFiles.push(...code.dexFiles);
    this.classCount += code.classCount;
  }

  get dexFileCount(): number {
    return this.dexFiles.length + this.failedDexFiles.length;
  }

  /**
   * The app's code layer. `noDexReason` says why there is no DEX when none was found: null when the
   * manifest says the app has no code.
   */
  result(noDexReason: string | null): AppCode {
    const { hosts, nonEndpoints } = this.hosts.result();
    const code: AppCode = { status: 'read', dexFiles: [...this.dexFiles], classCount: this.classCount, sdks: this.sdks.result(), hosts, nonEndpoints };
    const set = (status: CodeStatus, reason: string): void => {
      code.status = status;
      code.reason = reason;
    };
    if (this.failedDexFiles.length > 0) {
      const failed = this.failedDexFiles.join(', ');
      if (this.dexFiles.length > 0) set('partial', `${failed} could not be read (see the problems); the other DEX files were`);
      else set('unreadable', `${failed} could not be read (see the problems)`);
    } else if (this.dexFiles.length === 0) {
      if (noDexReason === null) set('no-code', 'the manifest says the app has no code (android:hasCode="false")');
      else set('not-in-files', `code not in this build's files: ${noDexReason}`);
    }
    return code;
  }
}
