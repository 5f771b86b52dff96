import type { PartitionKind } from '../../../shared/model.js';
import type { ByteSource } from '../io/byteSource.js';
import { BOOT_MAGIC, VENDOR_BOOT_MAGIC } from './bootHeader.js';

/**
 * What a partition without a file system holds, by its first bytes: the magic numbers of AOSP's
 * boot images (`bootimg.h`), Android Verified Boot metadata (`AVB0`, libavb `avb_vbmeta_image.h`),
 * the DTBO table (`dt_table_header`, magic 0xd7b7ab1e big-endian, libufdt), a flattened device tree
 * (0xd00dfeed big-endian) and ELF (modem and other firmware). Anything else is raw data.
 */
export interface RawPartitionKind {
  kind: Exclude<PartitionKind, 'file-system' | 'super' | 'apex' | 'unreadable'>;
  /** In words, for listings, e.g. `boot image (header v4)`. */
  description: string;
}

const MAGICS: readonly { bytes: Buffer; kind: RawPartitionKind['kind']; description: string }[] = [
  { bytes: Buffer.from(BOOT_MAGIC, 'latin1'), kind: 'boot-image', description: 'boot image' },
  { bytes: Buffer.from(VENDOR_BOOT_MAGIC, 'latin1'), kind: 'vendor-boot-image', description: 'vendor boot image' },
  { bytes: Buffer.from('AVB0', 'latin1'), kind: 'vbmeta', description: 'AVB vbmeta' },
  { bytes: Buffer.from([0xd7, 0xb7, 0xab, 0x1e]), kind: 'dtbo', description: 'DTBO table' },
  { bytes: Buffer.from([0xd0, 0x0d, 0xfe, 0xed]), kind: 'device-tree', description: 'device tree blob' },
  { bytes: Buffer.from([0x7f, 0x45, 0x4c, 0x46]), kind: 'elf', description: 'ELF firmware' },
];

export async function classifyRawPartition(source: ByteSource): Promise<RawPartitionKind> {
  const head = await source.read(0, Math.min(source.size, 44));
  for (const magic of MAGICS) {
    if (!head.subarray(0, magic.bytes.length).equals(magic.bytes)) continue;
    if (magic.kind === 'boot-image' && head.length >= 44) return { kind: magic.kind, description: `${magic.description} (header v${head.readUInt32LE(40)})` };
    if (magic.kind === 'vendor-boot-image' && head.length >= 12) return { kind: magic.kind, description: `${magic.description} (header v${head.readUInt32LE(8)})` };
    return { kind: magic.kind, description: magic.description };
  }
  return { kind: 'raw-data', description: 'raw data' };
}
