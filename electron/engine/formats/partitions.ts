/**
 * Partition folders a package may carry, mounted at `/<name>`. Order matters only for display;
 * the device tree sorts mounts by name.
 */
export const PARTITION_NAMES = ['system', 'system_ext', 'product', 'vendor', 'odm', 'oem'] as const;

export function isPartitionName(name: string): boolean {
  return (PARTITION_NAMES as readonly string[]).includes(name);
}
