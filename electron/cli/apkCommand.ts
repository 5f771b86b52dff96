import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { ApkSigner, AppCode, AppModel } from '../../shared/app.js';
import { sdkText } from '../../shared/codeDiff.js';
import { isTrackerCategory } from '../../shared/sdks.js';
import { toCanonicalJson } from '../../shared/canonicalJson.js';
import { readApk } from '../engine/android/apkReader.js';
import { describeFsError, InputError } from '../engine/errors.js';
import { withPackage } from '../engine/formats/registry.js';
import { markPlatformSigned } from '../engine/inventory/platformKey.js';
import { FileByteSource } from '../engine/io/byteSource.js';
import { writeStdout, writeText } from './output.js';
import { UsageError } from './usage.js';

/** `otalens apk APK` (an APK file) or `otalens apk PKG /system/app/X/X.apk` (one inside a package). */
export async function apkCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [path, devicePath, ...extra] = positionals;
  if (path === undefined || extra.length > 0) throw new UsageError('usage: otalens apk APK [--json]  or  otalens apk PKG DEVICE_PATH [--json]');
  const app = devicePath === undefined ? await readApkFile(path) : await readApkInPackage(path, devicePath);
  if (values.json) await writeStdout(toCanonicalJson(app));
  else await writeText(appSummary(app));
}

async function readApkFile(path: string): Promise<AppModel> {
  let source: FileByteSource;
  try {
    source = await FileByteSource.open(path, basename(path));
  } catch (error) {
    throw new InputError(describeFsError(error), { file: path, format: 'file', cause: error });
  }
  try {
    return await readApk(source, { file: basename(path) });
  } catch (error) {
    await source.close().catch(() => undefined); // a file that is no zip at all was never handed to one
    throw error;
  }
}

const FRAMEWORK_RES = '/system/framework/framework-res.apk';

/** The APK, with `platformSigned` told by the package's framework-res.apk when it has one. */
async function readApkInPackage(packagePath: string, devicePath: string): Promise<AppModel> {
  return withPackage(packagePath, async (handle) => {
    const { tree } = handle.opened;
    const entry = await tree.stat(devicePath);
    if (entry?.type !== 'file') throw new InputError('no such APK in the package', { file: handle.probe.name, format: devicePath });
    const app = await readApk(await tree.openSource(devicePath), { file: devicePath });
    if ((await tree.stat(FRAMEWORK_RES))?.type === 'file' && devicePath !== FRAMEWORK_RES) {
      const framework = await readApk(await tree.openSource(FRAMEWORK_RES), { file: FRAMEWORK_RES }).catch((error: unknown) => {
        if (error instanceof InputError) return null;
        throw error;
      });
      if (framework !== null) markPlatformSigned([{ path: FRAMEWORK_RES, partition: 'system', sha256: '', app: framework }, { path: devicePath, partition: '', sha256: '', app }]);
    }
    return app;
  });
}

function signerLine(signer: ApkSigner): string {
  const marks = [
    signer.verified ? 'verified' : `NOT VERIFIED (${signer.failure ?? 'no reason given'})`,
    ...(signer.testKey === undefined ? [] : [`AOSP test key "${signer.testKey}"`]),
    ...(signer.platformKey === true ? ['platform key'] : []),
    ...(signer.sdkRange === undefined ? [] : [`API ${signer.sdkRange.min}–${signer.sdkRange.max >= 0x7fffffff ? '' : signer.sdkRange.max}`]),
    ...(signer.rotatedFrom === undefined ? [] : [`rotated from ${signer.rotatedFrom.join(', ')}`]),
  ];
  return `${signer.scheme.padEnd(4)}  ${signer.certificateSha256}  ${signer.subject}  [${marks.join('; ')}]`;
}

/** The code layer: how it was read, the SDKs with their evidence, the servers and what is no server. */
export function codeLines(code: AppCode): string[] {
  const dex = code.dexFiles.length === 0 ? 'no DEX read' : `${code.dexFiles.length} DEX ${code.dexFiles.length === 1 ? 'file' : 'files'} (${code.dexFiles.join(', ')}), ${code.classCount} classes`;
  const lines = [`  code           ${code.status}: ${dex}${code.reason === undefined ? '' : `; ${code.reason}`}`];
  lines.push(`  ${code.sdks.length} SDKs${code.sdks.length > 0 ? ':' : ''}`);
  for (const sdk of code.sdks) {
    lines.push(`    ${sdkText(sdk)}${isTrackerCategory(sdk.category) ? ' [tracker]' : ''}  ${sdk.evidence.className} in ${sdk.evidence.dexFile}${sdk.classCount > 1 ? ` (+${sdk.classCount - 1} classes)` : ''}`);
  }
  lines.push(`  ${code.hosts.length} servers${code.hosts.length > 0 ? ':' : ''}`);
  for (const host of code.hosts) lines.push(`    ${host.host}  "${host.sample}" in ${[host.foundIn, ...(host.alsoIn ?? [])].join(', ')}`);
  if (code.nonEndpoints.length > 0) lines.push(`  not servers    ${code.nonEndpoints.map((host) => `${host.host} (${host.reason})`).join(', ')}`);
  return lines;
}

function appSummary(app: AppModel): string {
  const lines = [
    `${app.package}  ${app.label === null ? '' : `"${app.label}"`}`.trimEnd(),
    `  version        ${app.versionName ?? '(no name)'} (code ${app.versionCode ?? '?'})`,
    `  SDK            min ${app.minSdkVersion ?? '?'}, target ${app.targetSdkVersion ?? '?'}`,
  ];
  if (app.sharedUserId !== null) lines.push(`  shared user    ${app.sharedUserId}`);
  if (app.overlay !== null) lines.push(`  overlay for    ${app.overlay.targetPackage} (priority ${app.overlay.priority ?? '?'}${app.overlay.isStatic ? ', static' : ''})`);
  const flags = Object.entries(app.application).filter(([, value]) => value === true).map(([name]) => name);
  lines.push(`  application    ${flags.join(', ') || '(no flags set)'}`);
  lines.push(`  uses ${app.usesPermissions.length} permissions${app.usesPermissions.length ? ':' : ''}`);
  for (const permission of app.usesPermissions) {
    const implied = permission.implied === undefined ? '' : `  (implied: ${permission.implied.reason})`;
    lines.push(`    ${permission.name}${permission.maxSdkVersion === undefined ? '' : ` (up to SDK ${permission.maxSdkVersion})`}${implied}`);
  }
  if (app.permissions.length > 0) {
    lines.push(`  declares ${app.permissions.length} permissions:`);
    for (const permission of app.permissions) lines.push(`    ${permission.name}  [${permission.protectionLevel}]`);
  }
  const exported = app.components.filter((component) => component.exported);
  lines.push(`  ${app.components.length} components, ${exported.length} exported${exported.length ? ':' : ''}`);
  for (const component of exported) lines.push(`    ${component.type} ${component.name}${component.permission ? `  (needs ${component.permission})` : ''}`);
  if (app.preferences.length > 0) {
    lines.push(`  ${app.preferences.length} preferences with defaults:`);
    for (const preference of app.preferences) {
      const source = preference.defaultSource === 'resource' ? `from ${preference.defaultResource}` : preference.defaultSource;
      const title = preference.title === null ? '' : `  "${preference.title}"`;
      lines.push(`    ${preference.key} = ${preference.defaultValue ?? '(none)'}  [${source}]${title}  (${preference.file})`);
    }
  }
  if (app.code !== null) lines.push(...codeLines(app.code));
  lines.push(`  signatures     ${app.signing.verified ? 'verify, as Android checks them' : `DO NOT VERIFY: ${app.signing.failure ?? 'no reason given'}`}`);
  if (app.signing.testKeys.length > 0) lines.push(`  test keys      signed with AOSP's public test key ${app.signing.testKeys.join(', ')}: anyone can sign an update to it`);
  if (app.signing.platformSigned !== null) lines.push(`  platform key   ${app.signing.platformSigned ? 'yes (signed like framework-res.apk)' : 'no'}`);
  lines.push(`  signers:${app.signers.length === 0 ? ' none' : ''}`);
  for (const signer of app.signers) lines.push(`    ${signerLine(signer)}`);
  for (const problem of app.problems) lines.push(`  ! ${problem.path}: ${problem.message}`);
  return `${lines.join('\n')}\n`;
}
