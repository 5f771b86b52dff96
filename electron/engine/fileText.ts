import type { FileText } from '../../shared/api.js';
import { describeFileType } from '../../shared/fileTypes.js';
import { decodeBinaryXml } from './android/decodeMember.js';
import { InputError } from './errors.js';
import { withPackage } from './formats/registry.js';
import { readSavedInventory, savedInventoryEncoding } from './inventory/savedInventory.js';

/** Larger files are not shown as text: a reader wants configuration, not a dump. */
export const FILE_TEXT_LIMIT = 4 << 20;
/** A NUL among the first bytes marks a binary file, as `grep` and `diff` decide. */
const BINARY_SNIFF = 8192;

/**
 * One file of a package as people read it: binary XML decoded to XML (names resolved through the
 * enclosing APK), text as it is. A folder, a binary file or a file over the limit is an InputError
 * that says so.
 */
export async function readFileText(packagePath: string, devicePath: string): Promise<FileText> {
  const saved = await savedInventoryEncoding(packagePath);
  if (saved !== null) return savedText(packagePath, saved, devicePath);
  return withPackage(packagePath, async (handle) => {
    const tree = handle.opened.tree;
    const packageName = handle.probe.name;
    const where = { file: packageName, format: devicePath };
    const entry = await tree.stat(devicePath);
    if (entry === null) throw new InputError('no such file in the package', where);
    if (entry.type !== 'file') throw new InputError(`a ${describeFileType(entry.type, entry.device)}, not a file`, where);
    if (entry.size > FILE_TEXT_LIMIT) throw new InputError(`${entry.size} bytes: too large to show as text`, { ...where, expected: `at most ${FILE_TEXT_LIMIT} bytes` });
    const source = await tree.openSource(devicePath);
    let bytes: Buffer;
    try {
      bytes = await source.read(0, source.size);
    } finally {
      await source.close();
    }
    const decoded = await decodeBinaryXml(bytes, tree, devicePath, packageName);
    if (decoded !== null) return { text: decoded, decoded: true };
    if (bytes.subarray(0, BINARY_SNIFF).includes(0)) throw new InputError('a binary file: there is no text to show (its size and SHA-256 are in Files)', where);
    return { text: bytes.toString('utf8'), decoded: false };
  });
}

/** A file's text from a saved inventory, which keeps text-like files and decoded XML (not other files). */
async function savedText(path: string, encoding: Parameters<typeof readSavedInventory>[1], devicePath: string): Promise<FileText> {
  const { inventory, texts } = await readSavedInventory(path, encoding);
  const text = texts.get(devicePath);
  if (text === undefined) {
    throw new InputError('the saved inventory keeps no text of this file (it keeps text files and decoded XML up to a budget; read the package itself for the rest)', { file: inventory.package.file, format: devicePath });
  }
  return { text, decoded: devicePath.includes('!/') };
}
