/**
 * The data model shared by the engine (Node), the CLI, the Electron main process and the renderer.
 * Pure types: nothing here may import Node, Electron or the DOM.
 */

import type { AppDiff, GrantDiff, InitServiceDiff, SettingDiff, SysconfigDiff, TextDiff } from './appDiff.js';
import type { ClaimCheck, DefaultChange, FeatureVerdict } from './verdict.js';

export const SCHEMA_VERSION = 1 as const;

/** How a package was recognised. */
export type PackageFormat =
  | 'directory'
  | 'file-ota-zip'
  | 'ab-ota-zip'
  | 'block-ota-zip'
  | 'factory-zip'
  | 'factory-tar'
  | 'raw-image'
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
}

/** What `otalens info` reports about one package. */
export interface PackageDescription {
  file: string;
  format: PackageFormat;
  fingerprint: string | null;
  fingerprintSource: string | null;
  androidVersion: string | null;
  securityPatch: string | null;
  /** `META-INF/com/android/metadata` key/values, when the package has them. */
  otaMetadata: Record<string, string> | null;
  partitions: PartitionSummary[];
  problems: Problem[];
}

export type FileType = 'file' | 'directory' | 'symlink';

/** One entry of a device tree, addressed by its absolute device path (`/system/build.prop`). */
export interface TreeEntry {
  path: string;
  type: FileType;
  /** Bytes of file content; 0 for directories and symlinks. */
  size: number;
  /** Link target for symlinks. */
  target?: string;
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
}

/** A file both builds have with the same content (or a symlink with the same target). */
export interface UnchangedFile {
  path: string;
  /** Bytes; null for a symlink. */
  size: number | null;
  /** SHA-256 of the content, the same on both sides; null for a symlink. */
  sha256: string | null;
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
