import type { BootInfo, PackageFormat, PartitionSummary, Problem } from '../../../shared/model.js';
import type { ByteSource } from '../io/byteSource.js';
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
  /**
   * The boot images' facts (header patch level, OS version, kernel banner), read when first asked
   * for, with what could not be read. Absent for packages made of folders or zip members.
   */
  readBoot?: () => Promise<{ boot: BootInfo | null; problems: Problem[] }>;
  /**
   * A partition's image bytes (after sparse, payload or super decoding) by partition name; null
   * when there is no such partition image. Absent for packages made of folders or zip members.
   */
  partitionImage?: (name: string) => ByteSource | null;
  /**
   * Texts of package members (not device files) that findings may cite, by member name: a file
   * OTA's `META-INF/com/google/android/updater-script`, whose lines set file metadata.
   */
  memberTexts?: ReadonlyMap<string, string>;
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
