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
