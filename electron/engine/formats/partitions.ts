/**
 * Partition names: which names mount where, and which folder names of an unpacked folder or a
 * file-based OTA are partitions.
 *
 * A logical partition of a payload, a super image or an image file is mounted at `/<name>` (slot
 * suffix dropped) whatever its name, as long as it holds a file system and its name is a safe
 * single path segment. Folders of an unpacked tree or members of a file OTA carry no such proof
 * of being a partition, so there only the names below count.
 */

/** Partitions AOSP itself mounts: system, its companions and the dlkm (kernel module) partitions. */
const AOSP_PARTITIONS = ['system', 'system_ext', 'product', 'vendor', 'odm', 'oem', 'vendor_dlkm', 'system_dlkm', 'odm_dlkm', 'product_services'];
/**
 * Partitions vendors add: Xiaomi `mi_ext`, Samsung `optics` (carrier) and `prism` (CSC), and
 * OPPO/OnePlus/realme `my_*` (my_product, my_stock, my_heytap, my_region, my_bigball, my_engineering,
 * my_carrier, my_manifest, my_company, my_preload…).
 */
const VENDOR_PARTITIONS = ['mi_ext', 'optics', 'prism'];
const VENDOR_PARTITION_PATTERN = /^my_[a-z0-9_]+$/;

/** The known partition names, in the order a listing shows them first. */
export const PARTITION_NAMES: readonly string[] = [...AOSP_PARTITIONS, ...VENDOR_PARTITIONS];

/** A name Android or a vendor uses for a partition (folders and zip members are tested with this). */
export function isPartitionName(name: string): boolean {
  return PARTITION_NAMES.includes(name) || VENDOR_PARTITION_PATTERN.test(name);
}

/** Mount names that cannot be a partition's: `/apex` is where APEX payloads are mounted. */
const RESERVED_MOUNT_NAMES = new Set(['apex']);
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

/**
 * Whether a partition name (from a payload manifest, super metadata or an image file name) can be
 * a mount point: one path segment of letters, digits, `_ . -`, not `.`/`..`, not `apex`.
 */
export function isMountableName(name: string): boolean {
  return SAFE_NAME.test(name) && name !== '..' && !RESERVED_MOUNT_NAMES.has(name);
}
