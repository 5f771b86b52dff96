/**
 * The data model shared by the engine (Node), the CLI, the Electron main process and the renderer.
 * Pure types: nothing here may import Node, Electron or the DOM.
 */

import type { AppDiff, GrantDiff, InitServiceDiff, SettingDiff, SysconfigDiff, TextDiff } from './appDiff.js';
import type { FlagDiff } from './flags.js';
import type { KeyClaimCheck, KeyFact } from './keyClaims.js';
import type { SecurityDiff } from './security.js';
import type { ClaimCheck, DefaultChange, FeatureVerdict } from './verdict.js';

export const SCHEMA_VERSION = 3 as const;

/** How a package was recognised. */
export type PackageFormat =
  | 'directory'
  | 'file-ota-zip'
  | 'ab-ota-zip'
  | 'block-ota-zip'
  | 'factory-zip'
  | 'factory-tar'
  | 'raw-image'
  | 'payload-bin'
  | 'odin-tar'
  | 'odin-set'
  | 'factory-folder'
  | 'super-empty'
  | 'apk';

export interface PackageInfo {
  /** Base name of the package file or folder, never a full path (results are shareable). */
  file: string;
  /** SHA-256 of the package file; null for a directory, which has no single byte stream. */
  sha256: string | null;
  format: PackageFormat;
  /** `ro.build.fingerprint` (or a partition-specific variant), else the OTA metadata `post-build`. */
  fingerprint: string | null;
  /** Where the fingerprint came from, as a device path or `META-INF/com/android/metadata`. */
  fingerprintSource: string | null;
  /** `ro.build.version.release`, e.g. `4.4.2`, `14`. */
  androidVersion: string | null;
  /** `ro.build.version.security_patch` (Android 6+), e.g. `2024-01-05`. */
  securityPatch: string | null;
  /** What the boot images' headers say (patch level, OS version, kernel); null when the package has none. */
  boot: BootInfo | null;
}

/**
 * What a partition holds: a mounted file system (ext4, EROFS, a folder, zip members), the super
 * partition or the APEX mount, or a partition without a file system recognised by its magic
 * bytes: an Android boot image (`ANDROID!`: boot, init_boot, recovery), a vendor boot image
 * (`VNDRBOOT`), AVB metadata (`AVB0`), a DTBO table, a flattened device tree, an ELF file
 * (firmware), or raw data; `unreadable` when it could not be read.
 */
export type PartitionKind =
  | 'file-system'
  | 'super'
  | 'apex'
  | 'boot-image'
  | 'vendor-boot-image'
  | 'vbmeta'
  | 'dtbo'
  | 'device-tree'
  | 'elf'
  | 'raw-data'
  | 'unreadable'
  /** A partition of a `super_empty.img`: a place in the layout, no data. */
  | 'layout-only';

/** One boot image's header facts: boot, init_boot, recovery (`ANDROID!`) or vendor_boot (`VNDRBOOT`). */
export interface BootImageInfo {
  /** Partition name without slot suffix: `boot`, `init_boot`, `vendor_boot`, `recovery`. */
  partition: string;
  kind: 'boot-image' | 'vendor-boot-image';
  /** Boot image header version, 0–4. */
  headerVersion: number;
  /** `os_version` of the header, e.g. `14.0.0`; null when the header leaves it 0 (vendor boot headers have none). */
  osVersion: string | null;
  /** The header's security patch level, `YYYY-MM`; null when 0 or absent. */
  securityPatch: string | null;
  /** Kernel release from the kernel's `Linux version …` banner, e.g. `6.1.57-android14-11-g0123abcd`. */
  kernelVersion: string | null;
  /** The whole banner line, e.g. `Linux version 6.1.57-… (build-user@build-host) (clang …) #1 SMP PREEMPT …`. */
  kernelBanner: string | null;
  /** How the kernel is stored: `none` (the image holds no kernel), `raw`, `gzip`, `lz4` (the kernel's legacy LZ4 format), or `unknown`. */
  kernelEncoding: 'none' | 'raw' | 'gzip' | 'lz4' | 'unknown';
}

/** The boot images of a package and the facts a reader wants first (from boot, then init_boot, recovery, vendor_boot). */
export interface BootInfo {
  /** Boot security patch level, `YYYY-MM`, from the first image that states one. */
  securityPatch: string | null;
  /** Android version in the boot header, e.g. `14.0.0`. */
  osVersion: string | null;
  /** Kernel release, from the first image that holds a kernel. */
  kernelVersion: string | null;
  /** Every boot image read, by partition name. */
  images: BootImageInfo[];
}

/** One partition found in a package, for `otalens info` and the report header. */
export interface PartitionSummary {
  /** Mount name without slot suffix: `system`, `vendor`… */
  name: string;
  /** What was found inside: `ext4`, `erofs`, `folder`, `zip members`. */
  fileSystem: string;
  /** Bytes of the partition image, null when it is a folder or zip members. */
  size: number | null;
  /** Where it came from, e.g. `payload.bin`, `super.img › system_a`, `images/system.img (sparse)`. */
  origin: string;
  /** What it holds; `file-system` partitions are mounted at `/<name>`. */
  kind: PartitionKind;
}

/** What `otalens info` reports about one package. */
export interface PackageDescription {
  file: string;
  format: PackageFormat;
  fingerprint: string | null;
  fingerprintSource: string | null;
  androidVersion: string | null;
  securityPatch: string | null;
  boot: BootInfo | null;
  /** `META-INF/com/android/metadata` key/values, when the package has them. */
  otaMetadata: Record<string, string> | null;
  partitions: PartitionSummary[];
  problems: Problem[];
}

/**
 * What a tree entry is. Device nodes, FIFOs and sockets hold no content but are part of the tree
 * (an image that ships `/vendor/dev/…` nodes says something).
 */
export type FileType = 'file' | 'directory' | 'symlink' | 'char-device' | 'block-device' | 'fifo' | 'socket';

/** A device node's numbers (Linux `major:minor`). */
export interface DeviceNumbers {
  major: number;
  minor: number;
}

/**
 * File capabilities (`security.capability`, the kernel's `vfs_cap_data`): what a process gains
 * when it executes the file, whoever runs it.
 */
export interface FileCapabilities {
  /** `vfs_cap_data` revision: 1 (32 capabilities), 2 (64), 3 (64 and the namespace's root user). */
  version: 1 | 2 | 3;
  /** Capabilities the process is permitted, by kernel name (`CAP_NET_RAW`), in bit order; `CAP_<n>` for bits Linux has no name for. */
  permitted: string[];
  /** Capabilities kept from the process's inheritable set, the same way. */
  inheritable: string[];
  /** Whether the permitted ones are raised at once (the effective flag, `+e` in getcap's words). */
  effective: boolean;
  /** Revision 3 only: the user namespace's root user id the capabilities apply under. */
  rootUid?: number;
}

/** For a file-based OTA: the 1-based updater-script lines that set each field last (as the updater runs them, in order). */
export interface MetadataLines {
  /** The script, as a member of the package: `META-INF/com/google/android/updater-script`. */
  file: string;
  mode?: number;
  uid?: number;
  gid?: number;
  selinuxLabel?: number;
  capabilities?: number;
}

/**
 * Owner, permissions, SELinux label and file capabilities of a tree entry, as the device sees them:
 * from the inode and its extended attributes (ext4, EROFS), or, in a file-based OTA, from the
 * updater-script's `set_perm`/`set_metadata` lines. Absent where the package does not record it (a
 * folder on disk, zip members of an APK, a file OTA entry no line sets).
 */
export interface FileMetadata {
  /** Permission bits with setuid (0o4000), setgid (0o2000) and sticky (0o1000), i.e. `st_mode & 0o7777`; null when unknown. */
  mode: number | null;
  /** Owner and group ids (Android's AID numbers: 0 root, 1000 system, 2000 shell…); null when unknown. */
  uid: number | null;
  gid: number | null;
  /** `security.selinux`, e.g. `u:object_r:system_file:s0`; null when the entry has none (or, in a file OTA, no line sets one). */
  selinuxLabel: string | null;
  /** Decoded `security.capability`; null when the entry has none. */
  capabilities: FileCapabilities | null;
  /** File-based OTAs: which updater-script line set each value. */
  setBy?: MetadataLines;
}

/** One entry of a device tree, addressed by its absolute device path (`/system/build.prop`). */
export interface TreeEntry {
  path: string;
  type: FileType;
  /** Bytes of file content; 0 for everything but regular files. */
  size: number;
  /** Link target for symlinks. */
  target?: string;
  /** For character and block devices, when the format records them (ext4, EROFS, folders). */
  device?: DeviceNumbers;
  /** Mode, owner, SELinux label and capabilities, where the package records them (ext4, EROFS, file-based OTAs). */
  metadata?: FileMetadata;
}

/** A tree entry with its content hash, as inventoried for a comparison. */
export interface FileEntry extends TreeEntry {
  /** SHA-256 of the content for files; null for directories and symlinks. */
  sha256: string | null;
}

/** A member that could not be read; it is reported and left out, the rest is still compared. */
export interface Problem {
  /** Device path or package member the problem belongs to. */
  path: string;
  message: string;
}

export interface PropertyChange {
  name: string;
  /** null when the property is absent on that side. */
  old: string | null;
  new: string | null;
  /** Device path of the property file that sets the effective value on each side. */
  oldLayer: string | null;
  newLayer: string | null;
}

export interface PropertyDiff {
  added: PropertyChange[];
  removed: PropertyChange[];
  changed: PropertyChange[];
}

export interface FileChange {
  path: string;
  /** Bytes on each side; null where the file does not exist (or is a symlink). */
  oldSize: number | null;
  newSize: number | null;
  /** SHA-256 of the content on each side; null where there is none (absent, a symlink, unreadable). */
  oldSha256: string | null;
  newSha256: string | null;
  /** What the entry is on each side, when it is not a regular file (absent for regular files). */
  oldType?: FileType;
  newType?: FileType;
  /** Device numbers on each side, for device nodes. */
  oldDevice?: DeviceNumbers;
  newDevice?: DeviceNumbers;
}

/** A file both builds have with the same content (or a symlink with the same target). */
export interface UnchangedFile {
  path: string;
  /** Bytes; null for anything but a regular file. */
  size: number | null;
  /** SHA-256 of the content, the same on both sides; null for a symlink. */
  sha256: string | null;
  /** What it is, when not a regular file (absent for regular files). */
  type?: FileType;
  device?: DeviceNumbers;
}

export interface FileDiff {
  added: FileChange[];
  removed: FileChange[];
  changed: FileChange[];
  /**
   * Files known to be the same, so the Files view can show the whole device tree. A file unreadable
   * on a side is in none of these lists: it is a problem of that side.
   */
  unchanged: UnchangedFile[];
}

/** One side of a comparison: the package and the partitions found in it. */
export interface PackageSide extends PackageInfo {
  partitions: PartitionSummary[];
}

export interface ComparisonResult {
  schemaVersion: typeof SCHEMA_VERSION;
  old: PackageSide;
  new: PackageSide;
  /** The answer: each known privacy-relevant feature's default on both sides, with evidence. */
  features: FeatureVerdict[];
  /** Other privacy-sounding boolean defaults that flipped. */
  otherDefaultChanges: DefaultChange[];
  /** Present when claims were checked (`--claim`). */
  claims?: ClaimCheck[];
  /** Present when claims about single keys were checked (`--claim setting:NAME=VALUE`…). */
  keyClaims?: KeyClaimCheck[];
  /** Base names of the feature rule files applied over the built-in knowledge base, in order; absent when none. */
  ruleFiles?: string[];
  /** Every preference, setting, property and flag default of the new build, for checking claims about any key. */
  claimableKeys: KeyFact[];
  /** aconfig flags and device-config defaults added, removed and flipped. */
  flags: FlagDiff;
  apps: AppDiff;
  /** Effective properties over all property files, with the layer that sets each value. */
  properties: PropertyDiff;
  /** SettingsProvider defaults after resource overlays. */
  settings: SettingDiff;
  permissionGrants: GrantDiff;
  sysconfig: SysconfigDiff;
  initServices: InitServiceDiff;
  files: FileDiff;
  /** Line diffs of changed text-like files and of changed apps' decoded manifests and preference XML. */
  textDiffs: TextDiff[];
  /**
   * Did the update weaken the device: setuid files, capabilities, world-writable files, SELinux
   * policy, init services, build and AVB flags, most serious first (absent in results written
   * before schema version 3).
   */
  security?: SecurityDiff;
  /**
   * The full text of every file a verdict cites (decoded XML for binary XML), by device path, so
   * evidence can be shown in place at its line, in the window and in the static report alike.
   */
  evidenceFiles: { old: Record<string, string>; new: Record<string, string> };
  problems: { old: Problem[]; new: Problem[] };
}

/** Stages of a comparison, in order, for progress reporting. */
export type ProgressStage = 'opening' | 'reading' | 'diffing' | 'done';

export interface Progress {
  stage: ProgressStage;
  /** Which package the stage is working on, when it concerns one. */
  side?: 'old' | 'new';
  /** Files read so far / total files known, when counting applies. */
  done?: number;
  total?: number;
  /** Bytes hashed so far. */
  bytes?: number;
  /** Apps parsed so far / apps found, while reading. */
  appsDone?: number;
  appsTotal?: number;
}
