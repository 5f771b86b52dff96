/**
 * One APK → the app model: manifest facts, preference defaults, signers. Reads only the members it
 * needs through the random-access zip reader. A part that cannot be read becomes a problem on the
 * model and the rest is still read; only an APK without a readable manifest is an error.
 */
import type { AppModel, PreferenceDefault } from '../../../shared/app.js';
import type { Problem } from '../../../shared/model.js';
import { compareStrings, sortByKey } from '../../../shared/sort.js';
import { InputError } from '../errors.js';
import type { ByteSource } from '../io/byteSource.js';
import { ZipArchive } from '../zip/zipArchive.js';
import { apkStructureProblems } from './apkStructure.js';
import { ResourceResolver, parseResourceTable } from './arsc/index.js';
import { AndroidAttr, axmlToXmlText, childElements, decodeAxml, getAttribute } from './axml/index.js';
import { keepDexInflated, readApkCode, scanXmlDocument } from './code/apkCode.js';
import { CodeScan } from './code/codeScan.js';
import { ManifestError, readManifest } from './manifest.js';
import { isPreferenceScreen, readPreferenceDefaults } from './preferences.js';
import { resourceLookup } from './resourceLookup.js';
import { minimumPlatformLevel } from './sdkVersions.js';
import { readApkSigners } from './signing/index.js';
import { LITERAL_ONLY, resolvedBoolean, type ValueResolver } from './valueResolver.js';

export const MANIFEST = 'AndroidManifest.xml';
export const RESOURCE_TABLE = 'resources.arsc';
/** Binary XML and resource tables larger than this are no real app's. */
const MEMBER_LIMIT = 64 << 20;
const XML_RESOURCE_MEMBER = /^res\/xml(-[^/]+)?\/[^/]+\.xml$/;

export interface ApkLocation {
  /** How the user knows the APK: a host path, or a device path such as `/system/app/Mms/Mms.apk`. */
  file: string;
}

export interface ApkReadOptions {
  /** Read the code layer (DEX, hosts in resources and XML); default true. False leaves `code` null. */
  code?: boolean;
}

/** Reads an APK; closes `source` when done. */
export async function readApk(source: ByteSource, where: ApkLocation, options: ApkReadOptions = {}): Promise<AppModel> {
  const zip = await ZipArchive.open(source);
  try {
    return await readOpenedApk(zip, where, options);
  } finally {
    await zip.close();
  }
}

/** An APK read for an inventory: the model, plus what comparisons need beyond it. */
export interface ApkReading {
  app: AppModel;
  /** The resource table's resolver, when the APK has a readable one. */
  resources: ResourceResolver | null;
  /** Decoded XML text of AndroidManifest.xml and of every preference screen, by member name. */
  xmlTexts: Map<string, string>;
}

export async function readOpenedApk(zip: ZipArchive, where: ApkLocation, options: ApkReadOptions = {}): Promise<AppModel> {
  return (await readApkDetails(zip, where, options)).app;
}

export async function readApkDetails(zip: ZipArchive, where: ApkLocation, options: ApkReadOptions = {}): Promise<ApkReading> {
  const problems: Problem[] = [...zip.problems];
  const manifestMember = zip.get(MANIFEST);
  if (manifestMember === undefined) {
    throw new InputError('not an APK: no AndroidManifest.xml', { file: where.file, format: 'apk', expected: 'an AndroidManifest.xml member' });
  }
  const manifestDocument = decodeAxml(await zip.readAll(manifestMember, MEMBER_LIMIT), { file: where.file, member: MANIFEST });
  const packageName = manifestDocument.root?.attributes.find((attribute) => attribute.name === 'package' && attribute.namespaceUri === null)?.value.string;
  const codeScan = options.code === false ? null : new CodeScan();
  if (codeScan !== null) scanXmlDocument(codeScan, manifestDocument, where.file, MANIFEST);
  const resources = await readResources(zip, where, packageName, problems, codeScan);
  const resolver = resources === null ? LITERAL_ONLY : resourceLookup(resources);

  let facts;
  try {
    facts = readManifest(manifestDocument, resolver);
  } catch (error) {
    if (error instanceof ManifestError) throw new InputError(error.message, { file: where.file, format: `apk › ${MANIFEST}` });
    throw error;
  }
  const xmlTexts = new Map<string, string>([[MANIFEST, axmlToXmlText(manifestDocument, { resolveReference: (id) => resolver.nameOf(id) })]]);
  const preferences = await readPreferences(zip, where, resolver, problems, xmlTexts, codeScan);
  if (codeScan !== null) keepDexInflated(zip);
  const signing = await readApkSigners(zip.source, zip, { file: where.file, minSdk: minimumPlatformLevel(facts.minSdkVersion) });
  problems.push(...signing.problems, ...(await apkStructureProblems(zip, where.file, signing.signers, signing.signing)));
  const code = codeScan === null ? null : await readApkCode(zip, where.file, codeScan, declaresCode(manifestDocument, resolver));
  if (codeScan !== null) problems.push(...codeScan.problems);
  const app: AppModel = {
    ...facts,
    preferences,
    signers: signing.signers,
    signing: { ...signing.signing, platformSigned: null },
    code,
    problems: sortByKey(problems, (problem) => problem.path),
  };
  return { app, resources, xmlTexts };
}

/** `android:hasCode` of `<application>`: true unless it says false (Android's default). */
function declaresCode(manifest: ReturnType<typeof decodeAxml>, resolver: ValueResolver): boolean {
  const application = manifest.root === null ? undefined : childElements(manifest.root, 'application')[0];
  return resolvedBoolean(resolver, application === undefined ? undefined : getAttribute(application, AndroidAttr.hasCode)?.value, true);
}

async function readResources(zip: ZipArchive, where: ApkLocation, packageName: string | undefined, problems: Problem[], codeScan: CodeScan | null): Promise<ResourceResolver | null> {
  const member = zip.get(RESOURCE_TABLE);
  if (member === undefined) return null;
  try {
    const table = parseResourceTable(await zip.readAll(member, MEMBER_LIMIT), { file: where.file, member: RESOURCE_TABLE });
    if (codeScan !== null) codeScan.addPoolStrings(table.strings, `${where.file}!/${RESOURCE_TABLE}`, RESOURCE_TABLE);
    return new ResourceResolver(table, packageName === undefined ? {} : { packageName });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push({ path: `${where.file}!/${RESOURCE_TABLE}`, message: `resources not read, references left unresolved: ${error.message}` });
    return null;
  }
}

/** Preference defaults of every `res/xml` screen; every `res/xml` file's strings go to the code scan too. */
async function readPreferences(zip: ZipArchive, where: ApkLocation, resolver: ValueResolver, problems: Problem[], xmlTexts: Map<string, string>, codeScan: CodeScan | null): Promise<PreferenceDefault[]> {
  const preferences: PreferenceDefault[] = [];
  const members = zip.members.filter((member) => XML_RESOURCE_MEMBER.test(member.name)).sort((a, b) => compareStrings(a.name, b.name));
  for (const member of members) {
    try {
      const document = decodeAxml(await zip.readAll(member, MEMBER_LIMIT), { file: where.file, member: member.name });
      if (codeScan !== null) scanXmlDocument(codeScan, document, where.file, member.name);
      if (!isPreferenceScreen(document)) continue;
      const screen = readPreferenceDefaults(document, member.name, resolver);
      preferences.push(...screen.preferences);
      xmlTexts.set(member.name, screen.xml);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push({ path: `${where.file}!/${member.name}`, message: `not read: ${error.message}` });
    }
  }
  return preferences;
}
