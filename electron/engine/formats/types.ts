import type { PackageFormat, PartitionSummary, Problem } from '../../../shared/model.js';
import type { DigestCheck } from '../io/packageDigests.js';
import type { DeviceTree } from '../vfs/deviceTree.js';
import type { PackageProbe } from './probe.js';

/** A package opened as a device tree. */
export interface OpenedPackage {
  format: PackageFormat;
  tree: DeviceTree;
  /** `META-INF/com/android/metadata` key/values, when the package has them. */
  otaMetadata: Record<string, string> | null;
  /** The partitions mounted in `tree`, in mount order. */
  partitions: PartitionSummary[];
  /** Members skipped while opening (unsafe names, unreadable links…). */
  problems: Problem[];
  /**
   * Digests the package states for parts of its files (an Odin tar's MD5 line), to be checked
   * when the inventory reads the package file whole for its SHA-256 anyway.
   */
  digestChecks?: DigestCheck[];
  close(): Promise<void>;
}

/** One package format: `detect` only looks (cheaply, through the probe); `open` builds the tree. */
export interface PackageFormatModule {
  id: PackageFormat;
  /** Plain-language name for messages, e.g. "file-based OTA zip". */
  description: string;
  detect(probe: PackageProbe): Promise<boolean>;
  open(probe: PackageProbe): Promise<OpenedPackage>;
}
