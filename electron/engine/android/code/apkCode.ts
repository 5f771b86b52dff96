/**
 * The code layer of an APK (or a jar): its DEX files in Android's load order (classes.dex,
 * classes2.dex… up to the first one missing), the strings of its XML, and its network security
 * config's `<domain>` names. Small deflated DEX files are inflated whole once; stored ones are
 * read in place and large deflated ones through the zip reader's bounded decoding window.
 */
import type { AppCode } from '../../../../shared/app.js';
import { BufferByteSource, type ByteSource } from '../../io/byteSource.js';
import { METHOD_STORED, type ZipArchive, type ZipMember } from '../../zip/zipArchive.js';
import { walkElements, type AxmlDocument, type AxmlElement } from '../axml/index.js';
import { multidexName } from '../dex/dexFile.js';
import type { CodeScan } from './codeScan.js';

/** A deflated DEX up to this size is inflated in one piece; a larger one is read through a window. */
const IN_MEMORY_DEX = 16 << 20;
/** Inflated DEX bytes an APK's reading keeps between the signature check and the code reader, at most. */
const IN_MEMORY_DEX_KEPT = 64 << 20;
const NETWORK_SECURITY_CONFIG = 'network-security-config';

/** The strings of a binary XML file, and the domains of a network security config. */
export function scanXmlDocument(scan: CodeScan, document: AxmlDocument, file: string, member: string): void {
  scan.addPoolStrings(document.strings, `${file}!/${member}`, member);
  if (document.root?.name === NETWORK_SECURITY_CONFIG) scan.addDeclaredHosts(domainsOf(document.root), member);
}

function domainsOf(root: AxmlElement): string[] {
  const domains: string[] = [];
  for (const element of walkElements(root)) {
    if (element.name !== 'domain') continue;
    const text = element.children.map((child) => (child.kind === 'text' ? child.text : '')).join('').trim();
    if (text !== '') domains.push(text);
  }
  return domains;
}

/** The multidex DEX members of a zip, in load order. */
export function dexMembers(zip: ZipArchive): ZipMember[] {
  const members: ZipMember[] = [];
  for (let index = 0; ; index++) {
    const member = zip.get(multidexName(index));
    if (member === undefined) return members;
    members.push(member);
  }
}

/**
 * Asks the zip to keep the DEX files it inflates before the code reader gets to them (the v1
 * signature check reads every entry), up to IN_MEMORY_DEX_KEPT bytes in all, so each is inflated once.
 */
export function keepDexInflated(zip: ZipArchive): void {
  let total = 0;
  const kept: ZipMember[] = [];
  for (const member of dexMembers(zip)) {
    if (member.compressionMethod === METHOD_STORED || member.uncompressedSize > IN_MEMORY_DEX || total + member.uncompressedSize > IN_MEMORY_DEX_KEPT) continue;
    total += member.uncompressedSize;
    kept.push(member);
  }
  zip.keepInflated(kept);
}

export function dexMemberSource(zip: ZipArchive, member: ZipMember): Promise<ByteSource> {
  if (member.compressionMethod === METHOD_STORED || member.uncompressedSize > IN_MEMORY_DEX) return zip.openSource(member);
  return zip.readAll(member, IN_MEMORY_DEX).then((bytes) => new BufferByteSource(`${zip.source.name} › ${member.name}`, bytes));
}

/**
 * Reads the APK's DEX files into `scan` and gives the app's code layer; `hasCode` is the manifest's
 * `android:hasCode` (an APK that has code but no DEX is said to have its code elsewhere).
 */
export async function readApkCode(zip: ZipArchive, file: string, scan: CodeScan, hasCode: boolean): Promise<AppCode> {
  for (const member of dexMembers(zip)) await scan.addDex(member.name, () => dexMemberSource(zip, member), file, `${file}!/${member.name}`);
  return scan.result(hasCode ? 'the APK holds no classes.dex' : null);
}
