import type { FileCapabilities } from '../../../shared/model.js';

/** Linux capability names by bit number (include/uapi/linux/capability.h). */
export const CAPABILITY_NAMES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

const REVISION_MASK = 0xff000000;
const FLAGS_EFFECTIVE = 0x000001;
/** vfs_cap_data sizes by revision: magic_etc, then (permitted, inheritable) pairs, then (v3) rootid. */
const REVISIONS: ReadonlyMap<number, { version: FileCapabilities['version']; size: number; words: number }> = new Map([
  [0x01000000, { version: 1, size: 12, words: 1 }],
  [0x02000000, { version: 2, size: 20, words: 2 }],
  [0x03000000, { version: 3, size: 24, words: 2 }],
]);

/** Why a `security.capability` value cannot be decoded (the caller names the file and format). */
export class CapabilityDataError extends Error {
  override readonly name = 'CapabilityDataError';
  constructor(
    message: string,
    /** Byte offset in the value. */
    readonly offset: number,
    readonly expected: string,
  ) {
    super(message);
  }
}

/**
 * Decodes a `security.capability` value as the kernel does (security/commoncap.c,
 * get_vfs_caps_from_disk): the revision in the top byte of the little-endian magic, a value of
 * exactly that revision's size, 32-bit permitted/inheritable words low first.
 */
export function decodeVfsCapData(value: Buffer): FileCapabilities {
  if (value.length < 4) throw new CapabilityDataError(`security.capability of ${value.length} bytes is too short`, 0, 'at least 4 bytes');
  const magic = value.readUInt32LE(0);
  const revision = REVISIONS.get((magic & REVISION_MASK) >>> 0);
  if (revision === undefined) {
    throw new CapabilityDataError(`unknown security.capability revision 0x${((magic & REVISION_MASK) >>> 24).toString(16)}`, 3, 'revision 1, 2 or 3');
  }
  if (value.length !== revision.size) {
    throw new CapabilityDataError(`security.capability revision ${revision.version} of ${value.length} bytes`, 0, `${revision.size} bytes`);
  }
  let permitted = 0n;
  let inheritable = 0n;
  for (let word = 0; word < revision.words; word++) {
    permitted |= BigInt(value.readUInt32LE(4 + word * 8)) << BigInt(32 * word);
    inheritable |= BigInt(value.readUInt32LE(8 + word * 8)) << BigInt(32 * word);
  }
  const capabilities: FileCapabilities = {
    version: revision.version,
    permitted: capabilityNames(permitted),
    inheritable: capabilityNames(inheritable),
    effective: (magic & FLAGS_EFFECTIVE) !== 0,
  };
  if (revision.version === 3) capabilities.rootUid = value.readUInt32LE(20);
  return capabilities;
}

/**
 * The capabilities Android's updater writes for a `set_metadata(…, "capabilities", MASK)`: a
 * revision 2 value with the effective flag, MASK permitted and nothing inheritable
 * (bootable/recovery updater/install.cpp, ApplyParsedPerms).
 */
export function updaterCapabilities(mask: bigint): FileCapabilities {
  return { version: 2, permitted: capabilityNames(mask & 0xffffffffffffffffn), inheritable: [], effective: true };
}

/** Names of the bits set in `mask`, lowest first. */
export function capabilityNames(mask: bigint): string[] {
  const names: string[] = [];
  for (let bit = 0; mask >> BigInt(bit) !== 0n; bit++) {
    if (((mask >> BigInt(bit)) & 1n) === 1n) names.push(CAPABILITY_NAMES[bit] ?? `CAP_${bit}`);
  }
  return names;
}
