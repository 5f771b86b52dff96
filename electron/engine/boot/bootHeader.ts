import { InputError } from '../errors.js';
import type { ByteSource } from '../io/byteSource.js';

/**
 * Android boot image headers, as AOSP's `bootimg.h` (system/tools/mkbootimg) lays them out:
 *
 * - `boot_img_hdr_v0..v2` (`ANDROID!`): kernel/ramdisk/second sizes and load addresses, tags,
 *   page_size at 36, header_version at 40, os_version at 44, name[16], cmdline[512], id[32],
 *   extra_cmdline[1024]; v1 adds recovery DTBO size/offset and header_size; v2 the DTB size and
 *   address. The kernel starts one page after the header.
 * - `boot_img_hdr_v3/v4` (`ANDROID!`, also init_boot): kernel_size, ramdisk_size, os_version,
 *   header_size, reserved[4], header_version at 40, cmdline[1536]; v4 adds signature_size. Pages
 *   are 4096 bytes, the kernel starts at 4096.
 * - `vendor_boot_img_hdr_v3/v4` (`VNDRBOOT`): header_version at 8, page_size at 12, no kernel and
 *   no os_version.
 *
 * os_version packs the OS version in its upper 21 bits (7 bits each of A.B.C) and the patch level
 * in its lower 11 (year − 2000 in 7 bits, month in 4).
 */

export const BOOT_MAGIC = 'ANDROID!';
export const VENDOR_BOOT_MAGIC = 'VNDRBOOT';
const V3_PAGE_SIZE = 4096;
/** The largest header read: a vendor boot v4 header is 2128 bytes, a v0–v2 boot header 1660. */
const HEADER_READ = 2128;

export interface BootHeader {
  kind: 'boot-image' | 'vendor-boot-image';
  headerVersion: number;
  pageSize: number;
  /** Where the kernel lies in the image; size 0 when the image holds none (init_boot, vendor_boot). */
  kernel: { offset: number; size: number };
  osVersion: string | null;
  securityPatch: string | null;
  /** The board/product name field (v0–v2 boot, vendor boot), trimmed at its NUL. */
  name: string;
  cmdline: string;
}

/** The header of a boot or vendor boot image, or null when `source` does not start with either magic. */
export async function readBootHeader(source: ByteSource, label: string): Promise<BootHeader | null> {
  if (source.size < 8) return null;
  const magic = (await source.read(0, 8)).toString('latin1');
  if (magic !== BOOT_MAGIC && magic !== VENDOR_BOOT_MAGIC) return null;
  const fail = (problem: string, offset: number, expected?: string): InputError =>
    new InputError(problem, { file: source.name, format: `${label} › boot image header`, offset, ...(expected === undefined ? {} : { expected }) });
  if (source.size < HEADER_READ) throw fail(`truncated: the image has ${source.size} bytes, less than a header`, 0, `at least ${HEADER_READ} bytes`);
  const header = await source.read(0, HEADER_READ);
  const parsed = magic === VENDOR_BOOT_MAGIC ? vendorBootHeader(header, fail) : bootHeader(header, fail);
  if (parsed.kernel.offset + parsed.kernel.size > source.size) {
    throw fail(`the kernel (${parsed.kernel.size} bytes at ${parsed.kernel.offset}) runs past the end of the image (${source.size} bytes)`, 8);
  }
  return parsed;
}

type Fail = (problem: string, offset: number, expected?: string) => InputError;

function bootHeader(header: Buffer, fail: Fail): BootHeader {
  const headerVersion = header.readUInt32LE(40);
  if (headerVersion > 4) throw fail(`boot image header version ${headerVersion} is not known`, 40, 'version 0 to 4');
  if (headerVersion >= 3) {
    return {
      kind: 'boot-image',
      headerVersion,
      pageSize: V3_PAGE_SIZE,
      kernel: { offset: V3_PAGE_SIZE, size: header.readUInt32LE(8) },
      ...osVersionFields(header.readUInt32LE(16)),
      name: '',
      cmdline: cString(header.subarray(44, 44 + 1536)),
    };
  }
  const pageSize = pageSizeAt(header, 36, fail);
  return {
    kind: 'boot-image',
    headerVersion,
    pageSize,
    kernel: { offset: pageSize, size: header.readUInt32LE(8) },
    ...osVersionFields(header.readUInt32LE(44)),
    name: cString(header.subarray(48, 64)),
    cmdline: cString(header.subarray(64, 576)) + cString(header.subarray(608, 1632)),
  };
}

function vendorBootHeader(header: Buffer, fail: Fail): BootHeader {
  const headerVersion = header.readUInt32LE(8);
  if (headerVersion < 3 || headerVersion > 4) throw fail(`vendor boot header version ${headerVersion} is not known`, 8, 'version 3 or 4');
  return {
    kind: 'vendor-boot-image',
    headerVersion,
    pageSize: pageSizeAt(header, 12, fail),
    kernel: { offset: 0, size: 0 },
    osVersion: null,
    securityPatch: null,
    name: cString(header.subarray(2080, 2096)),
    cmdline: cString(header.subarray(28, 28 + 2048)),
  };
}

/** The page size field at `offset`, which must be a power of two a flash page can have. */
function pageSizeAt(header: Buffer, offset: number, fail: Fail): number {
  const pageSize = header.readUInt32LE(offset);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw fail(`page size ${pageSize} is impossible`, offset, 'a power of two from 512 to 65536');
  return pageSize;
}

/** `os_version` → `{ osVersion: 'A.B.C', securityPatch: 'YYYY-MM' }`, each null when its bits are 0. */
export function osVersionFields(packed: number): { osVersion: string | null; securityPatch: string | null } {
  const version = packed >>> 11;
  const patch = packed & 0x7ff;
  const month = patch & 0xf;
  return {
    osVersion: version === 0 ? null : `${version >>> 14}.${(version >>> 7) & 0x7f}.${version & 0x7f}`,
    securityPatch: patch === 0 ? null : `${2000 + (patch >>> 4)}-${String(month).padStart(2, '0')}`,
  };
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('latin1');
}
