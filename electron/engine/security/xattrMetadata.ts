import type { FileMetadata } from '../../../shared/model.js';
import { CapabilityDataError, decodeVfsCapData } from './fileCapabilities.js';

export const SELINUX_XATTR = 'security.selinux';
export const CAPABILITY_XATTR = 'security.capability';

/** What an inode's mode, owner and two security attributes say; `problem` when an attribute could not be decoded (it is then left out). */
export interface DecodedMetadata {
  metadata: FileMetadata;
  problem: string | null;
}

/**
 * An entry's metadata from its inode fields and the raw values of `security.selinux` (a label,
 * NUL-terminated as libselinux writes it) and `security.capability` (null when absent).
 */
export function metadataFromInode(mode: number, uid: number, gid: number, label: Buffer | null, capability: Buffer | null): DecodedMetadata {
  let problem: string | null = null;
  let capabilities: FileMetadata['capabilities'] = null;
  if (capability !== null) {
    try {
      capabilities = decodeVfsCapData(capability);
    } catch (error) {
      if (!(error instanceof CapabilityDataError)) throw error;
      problem = `${CAPABILITY_XATTR} not read: ${error.message} at byte ${error.offset} of its value (expected ${error.expected})`;
    }
  }
  return { metadata: { mode: mode & 0o7777, uid, gid, selinuxLabel: label === null ? null : labelText(label), capabilities }, problem };
}

function labelText(value: Buffer): string {
  const nul = value.indexOf(0);
  return value.subarray(0, nul === -1 ? value.length : nul).toString('utf8');
}
