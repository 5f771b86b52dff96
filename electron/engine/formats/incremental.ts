import { needsSourcePartition, type DeltaArchiveManifest } from '../containers/payload/manifest.js';
import { UnsupportedFormatError } from '../errors.js';

/**
 * An incremental OTA holds only the changes from one exact earlier build, so it cannot be read as
 * a device tree on its own. The message names that build (the metadata's `pre-build`), so the user
 * knows what to get instead. `evidence` says what gave it away.
 */
export function incrementalPackageError(file: string, otaMetadata: Record<string, string> | null, evidence: string): UnsupportedFormatError {
  const source = otaMetadata?.['pre-build'];
  const needs = source ? `it only holds the changes from build ${source}` : 'it only holds the changes from an earlier build';
  return new UnsupportedFormatError(`an incremental OTA (${evidence}): ${needs} and cannot be read on its own; open a full OTA or factory image of the same build instead`, {
    file,
    format: 'OTA package',
  });
}

/** Throws for a package whose metadata says it is incremental. */
export function rejectIncrementalMetadata(file: string, otaMetadata: Record<string, string> | null): void {
  if (otaMetadata?.['pre-build']) throw incrementalPackageError(file, otaMetadata, 'its metadata names a pre-build');
}

/** Bytes in words for messages: 4096 → 4 KiB. */
function sizeWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/**
 * What a delta payload patches, from its manifest alone (a bare payload.bin has no metadata to
 * name the source build): its minor version and, per partition it patches, the old partition's
 * size and SHA-256 — which identify the build it needs.
 */
export function describeDeltaPayload(manifest: DeltaArchiveManifest): string {
  const patched = manifest.partitions.filter((partition) => partition.oldPartitionInfo !== undefined || partition.operations.some((operation) => needsSourcePartition(operation.type)));
  const described = patched.map((partition) => {
    const old = partition.oldPartitionInfo;
    const facts = [old?.size === undefined ? null : `old size ${sizeWords(old.size)}`, old === undefined || old.hash.length === 0 ? null : `old SHA-256 ${old.hash.toString('hex')}`].filter((fact) => fact !== null);
    return facts.length === 0 ? partition.name : `${partition.name} (${facts.join(', ')})`;
  });
  const what = described.length === 0 ? 'no partition names an old image' : `it patches ${described.join('; ')}`;
  return `payload minor version ${manifest.minorVersion}; ${what}`;
}
