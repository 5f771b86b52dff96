import { InputError } from '../errors.js';
import type { DeviceTree } from '../vfs/deviceTree.js';
import { ARCHIVE_SEPARATOR } from '../vfs/deviceTree.js';
import { ResourceResolver, parseResourceTable } from './arsc/index.js';
import { axmlToXmlText, decodeAxml } from './axml/index.js';
import { RESOURCE_TABLE } from './apkReader.js';

const AXML_CHUNK_TYPE = 0x0003;
const AXML_HEADER_SIZE = 8;
const DECODE_LIMIT = 64 << 20;

export function isBinaryXml(head: Buffer): boolean {
  return head.length >= 8 && head.readUInt16LE(0) === AXML_CHUNK_TYPE && head.readUInt16LE(2) === AXML_HEADER_SIZE;
}

/**
 * A file's text for people: binary XML decoded to XML (references named through the enclosing
 * APK's resources.arsc when the file is inside one), anything else as it is. Null when the file
 * is not binary XML.
 */
export async function decodeBinaryXmlFile(tree: DeviceTree, devicePath: string, packageName: string): Promise<string | null> {
  const source = await tree.openSource(devicePath);
  try {
    if (source.size > DECODE_LIMIT) return null;
    return await decodeBinaryXml(await source.read(0, source.size), tree, devicePath, packageName);
  } finally {
    await source.close();
  }
}

/** The same for a file's bytes already read; null when they are not binary XML. */
export async function decodeBinaryXml(bytes: Buffer, tree: DeviceTree, devicePath: string, packageName: string): Promise<string | null> {
  if (!isBinaryXml(bytes)) return null;
  const document = decodeAxml(bytes, { file: packageName, member: devicePath });
  const resolver = await enclosingResources(tree, devicePath, packageName);
  return axmlToXmlText(document, resolver === null ? {} : { resolveReference: (id) => resolver.nameOf(id) });
}

async function enclosingResources(tree: DeviceTree, devicePath: string, packageName: string): Promise<ResourceResolver | null> {
  const cut = devicePath.lastIndexOf(ARCHIVE_SEPARATOR);
  if (cut < 0) return null;
  const tablePath = `${devicePath.slice(0, cut)}${ARCHIVE_SEPARATOR}${RESOURCE_TABLE}`;
  const entry = await tree.stat(tablePath);
  if (entry?.type !== 'file' || entry.size > DECODE_LIMIT) return null;
  const source = await tree.openSource(tablePath);
  try {
    return new ResourceResolver(parseResourceTable(await source.read(0, source.size), { file: packageName, member: tablePath }));
  } catch (error) {
    if (error instanceof InputError) return null; // names stay numeric; the XML itself is still shown
    throw error;
  } finally {
    await source.close();
  }
}
