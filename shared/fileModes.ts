/** Modes, owners and capabilities in the words `ls -l`, `stat` and `getcap` use, for the CLI, the report and the summaries. */
import { fileTypeLetter } from './fileTypes.js';
import type { FileCapabilities, FileMetadata, FileType } from './model.js';

const SETUID = 0o4000;
const SETGID = 0o2000;
const STICKY = 0o1000;

/** `rwsr-x---` for 0o4750: nine letters, setuid/setgid/sticky as `s`/`S`, `t`/`T`; `?????????` when unknown. */
export function permissionLetters(mode: number | null): string {
  if (mode === null) return '?????????';
  const triplet = (bits: number, special: boolean, specialLetter: string): string => {
    const execute = (bits & 1) !== 0;
    const last = special ? (execute ? specialLetter : specialLetter.toUpperCase()) : execute ? 'x' : '-';
    return `${(bits & 4) !== 0 ? 'r' : '-'}${(bits & 2) !== 0 ? 'w' : '-'}${last}`;
  };
  return triplet(mode >> 6, (mode & SETUID) !== 0, 's') + triplet(mode >> 3, (mode & SETGID) !== 0, 's') + triplet(mode, (mode & STICKY) !== 0, 't');
}

/** `-rwsr-x---`: the type letter, then the permission letters. */
export function modeString(type: FileType, mode: number | null): string {
  return `${fileTypeLetter(type)}${permissionLetters(mode)}`;
}

/** `04750` as stat prints it (`%04o`); `?` when unknown. */
export function octalMode(mode: number | null): string {
  return mode === null ? '?' : mode.toString(8).padStart(4, '0');
}

/** `CAP_NET_ADMIN,CAP_NET_RAW=ep`, groups like getcap's (effective shown as `e`), with `[rootid=N]` for revision 3. */
export function capabilitiesText(capabilities: FileCapabilities): string {
  const flags = new Map<string, string>();
  for (const name of [...capabilities.permitted, ...capabilities.inheritable]) {
    if (flags.has(name)) continue;
    const letters = `${capabilities.effective ? 'e' : ''}${capabilities.inheritable.includes(name) ? 'i' : ''}${capabilities.permitted.includes(name) ? 'p' : ''}`;
    flags.set(name, letters);
  }
  const groups = new Map<string, string[]>();
  for (const [name, letters] of flags) groups.set(letters, [...(groups.get(letters) ?? []), name]);
  const text = [...groups].map(([letters, names]) => `${names.join(',')}=${letters}`).join(' ');
  const rootid = capabilities.rootUid === undefined ? '' : ` [rootid=${capabilities.rootUid}]`;
  return (text === '' ? '(none)' : text) + rootid;
}

/** Whether a process executing the file could gain privileges from it: setuid or setgid bits, or capabilities it permits. */
export function grantsPrivilege(metadata: FileMetadata | undefined): boolean {
  if (metadata === undefined) return false;
  const special = metadata.mode !== null && (metadata.mode & (SETUID | SETGID)) !== 0;
  return special || (metadata.capabilities?.permitted.length ?? 0) > 0;
}

/** `uid 0, gid 2000`-style owner text; `?` for an unknown id. */
export function ownerText(metadata: Pick<FileMetadata, 'uid' | 'gid'>): string {
  return `${metadata.uid ?? '?'}:${metadata.gid ?? '?'}`;
}
