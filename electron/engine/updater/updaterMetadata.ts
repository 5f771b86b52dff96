import { posix } from 'node:path';
import type { FileCapabilities, FileMetadata, FileType, MetadataLines, Problem } from '../../../shared/model.js';
import { compareStrings } from '../../../shared/sort.js';
import { updaterCapabilities } from '../security/fileCapabilities.js';
import type { EdifyCall } from './edify.js';

/** The owner of what the updater creates: it runs as root (uid 0, gid 0). */
const UPDATER_ID = 0;
const SYMLINK_MODE = 0o777;
const MAX_LINK_HOPS = 8;

/** What the script knows of one entry so far; null where it cannot know (a mode under the recovery's umask, a label from file_contexts). */
interface EntryState {
  type: FileType;
  mode: number | null;
  uid: number | null;
  gid: number | null;
  label: string | null;
  capabilities: FileCapabilities | null;
  lines: Omit<MetadataLines, 'file'>;
  /** Whether any line of the script created or changed it. */
  touched: boolean;
}

export interface UpdaterMetadata {
  /** Metadata of every entry a line of the script created or set, by device path. */
  metadata: Map<string, FileMetadata>;
  problems: Problem[];
}

/** The links `symlink("target", "/path", …)` calls make, in script order (paths that are not absolute are left out). */
export function scriptSymlinks(calls: readonly EdifyCall[]): { target: string; path: string }[] {
  const links: { target: string; path: string }[] = [];
  for (const call of calls) {
    const [target, ...paths] = call.args;
    if (call.name !== 'symlink' || target === undefined || target === null) continue;
    for (const path of paths) if (path !== null && path.startsWith('/')) links.push({ target, path });
  }
  return links;
}

/** Thrown when a call's arguments make the updater abort: the script ends there. */
class UpdaterAbort extends Error {}

/**
 * Replays an updater-script's file operations, in order, the way the device's updater applies
 * them (AOSP bootable/recovery updater/install.cpp; set_perm from KitKat's install.c):
 *
 * - `package_extract_dir(src, dst)` / `package_extract_file(src, dst)` create the zip's files (and
 *   their folders) as root; their mode depends on the recovery's umask and their label on its
 *   file_contexts, so both stay unknown until a line sets them. `symlink(target, path…)` makes
 *   links (mode 0777, root).
 * - `set_perm(uid, gid, mode, path…)`: chown then chmod (both follow links);
 *   `set_perm_recursive(uid, gid, dmode, fmode, dir…)`: the same over the tree, folders getting
 *   dmode and everything else fmode, links skipped (minzip dirSetHierarchyPermissions). Numbers
 *   as strtoul(…, 0) reads them (0755 octal, 0x hex); a bad one aborts the script.
 * - `set_metadata(path, key, value, …)` / `set_metadata_recursive(dir, …)` with keys uid, gid
 *   (decimal), mode, dmode, fmode, capabilities (C's %i: octal, hex or decimal) and selabel:
 *   the label first (links too), then, except on links: owner, group, mode, dmode on folders,
 *   fmode on files, and on files capabilities (0 removes them; else a revision 2
 *   security.capability with the effective flag).
 * - As Linux's chown does on anything but a folder, every chown clears setuid, setgid (when the
 *   group may execute) and the file capabilities: a later owner change undoes an earlier setuid.
 *
 * Later lines override earlier ones. A line that names a path the package does not have is a
 * problem and is skipped; arguments the updater cannot parse end the replay, as they end the
 * updater. `entries` are the device paths the package holds (partition roots, folders, files and
 * the script's links), `members` the zip's file members (what package_extract_* can extract).
 */
export function replayUpdaterScript(calls: readonly EdifyCall[], entries: ReadonlyMap<string, FileType>, members: readonly string[], file: string): UpdaterMetadata {
  const states = new Map<string, EntryState>();
  const symlinks: { target: string; path: string }[] = [];
  const problems: Problem[] = [];
  const problem = (call: EdifyCall, message: string): void => {
    problems.push({ path: file, message: `line ${call.line}: ${call.name}: ${message}` });
  };

  const state = (path: string): EntryState | null => {
    let found = states.get(path);
    if (found === undefined) {
      const type = entries.get(path);
      if (type === undefined) return null;
      found = { type, mode: null, uid: null, gid: null, label: null, capabilities: null, lines: {}, touched: false };
      states.set(path, found);
    }
    return found;
  };
  const create = (path: string, type: FileType, line: number): void => {
    const created = state(path);
    if (created === null || created.type !== type) return;
    Object.assign(created, { mode: type === 'symlink' ? SYMLINK_MODE : null, uid: UPDATER_ID, gid: UPDATER_ID, label: null, capabilities: null, touched: true });
    created.lines = { uid: line, gid: line, ...(type === 'symlink' ? { mode: line } : {}) };
  };
  const below = (root: string): string[] => [...entries.keys()].filter((path) => path === root || path.startsWith(`${root === '/' ? '' : root}/`)).sort(compareStrings);

  /** chown as Linux does it: on anything but a folder, setuid, group-executable setgid and capabilities are dropped. */
  const chown = (target: EntryState, uid: number | null, gid: number | null, line: number): void => {
    target.touched = true;
    if (uid !== null) {
      target.uid = uid;
      target.lines.uid = line;
    }
    if (gid !== null) {
      target.gid = gid;
      target.lines.gid = line;
    }
    if (target.type === 'directory') return;
    if (target.mode !== null) {
      const cleared = target.mode & ~0o4000 & ~((target.mode & 0o010) !== 0 ? 0o2000 : 0);
      if (cleared !== target.mode) {
        target.mode = cleared;
        target.lines.mode = line;
      }
    }
    if (target.capabilities !== null) {
      target.capabilities = null;
      target.lines.capabilities = line;
    }
  };
  const chmod = (target: EntryState, mode: number, line: number): void => {
    target.touched = true;
    target.mode = mode & 0o7777;
    target.lines.mode = line;
  };
  /** Where a path leads once links are followed (chown and chmod follow them), or null. */
  const followed = (path: string): string | null => {
    let current = path;
    for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
      const entry = state(current);
      if (entry === null) return null;
      if (entry.type !== 'symlink') return current;
      const link = symlinks.findLast((candidate) => candidate.path === current);
      if (link === undefined) return null;
      current = posix.resolve(posix.dirname(current), link.target);
    }
    return null;
  };

  const setPerm = (call: EdifyCall, args: string[]): void => {
    const recursive = call.name === 'set_perm_recursive';
    const minimum = recursive ? 5 : 4;
    if (args.length < minimum) throw abort(call, `expects ${minimum}+ arguments, got ${args.length}`);
    const [uid, gid, first, second] = [0, 1, 2, 3].map((index) => strtoul(args[index] as string));
    const names = recursive ? ['uid', 'gid', 'dirmode', 'filemode'] : ['uid', 'gid', 'mode'];
    names.forEach((name, index) => {
      if ([uid, gid, first, second][index] === null) throw abort(call, `${JSON.stringify(args[index])} is not a valid ${name}`);
    });
    for (const path of args.slice(recursive ? 4 : 3).map(normalizePath)) {
      if (recursive) {
        const root = state(path);
        if (root === null) {
          problem(call, `${path} is not in the package; skipped`);
          continue;
        }
        if (root.type === 'symlink') continue;
        for (const entry of below(path)) {
          const target = state(entry) as EntryState;
          if (target.type === 'symlink') continue;
          chown(target, uid as number, gid as number, call.line);
          chmod(target, (target.type === 'directory' ? first : second) as number, call.line);
        }
        continue;
      }
      const resolved = followed(path);
      if (resolved === null) {
        problem(call, `${path} is not in the package; skipped`);
        continue;
      }
      const target = state(resolved) as EntryState;
      chown(target, uid as number, gid as number, call.line);
      chmod(target, first as number, call.line);
    }
  };

  const setMetadata = (call: EdifyCall, args: string[]): void => {
    if (args.length % 2 !== 1) throw abort(call, `expects an odd number of arguments, got ${args.length}`);
    const path = normalizePath(args[0] as string);
    if (state(path) === null) {
      problem(call, `${path} is not in the package; skipped`);
      return;
    }
    const parsed = parsePermArgs(args.slice(1), (message) => problem(call, message));
    const targets = call.name === 'set_metadata_recursive' ? below(path) : [path];
    for (const entry of targets) applyParsed(state(entry) as EntryState, parsed, call.line);
  };

  const applyParsed = (target: EntryState, parsed: ParsedPerms, line: number): void => {
    if (parsed.selabel !== undefined) {
      target.label = parsed.selabel;
      target.lines.selinuxLabel = line;
      target.touched = true;
    }
    if (target.type === 'symlink') return;
    if (parsed.uid !== undefined) chown(target, parsed.uid, null, line);
    if (parsed.gid !== undefined) chown(target, null, parsed.gid, line);
    if (parsed.mode !== undefined) chmod(target, parsed.mode, line);
    if (parsed.dmode !== undefined && target.type === 'directory') chmod(target, parsed.dmode, line);
    if (parsed.fmode !== undefined && target.type === 'file') chmod(target, parsed.fmode, line);
    if (parsed.capabilities !== undefined && target.type === 'file') {
      target.capabilities = parsed.capabilities === 0n ? null : updaterCapabilities(parsed.capabilities);
      target.lines.capabilities = line;
      target.touched = true;
    }
  };

  const extract = (call: EdifyCall, args: string[], wholeFolder: boolean): void => {
    if (args.length !== 2) return; // one argument: package_extract_file returns the bytes, nothing is written
    const [source = '', destination = ''] = args.map((arg) => arg.replace(/\/+$/, ''));
    const target = normalizePath(destination);
    for (const member of members) {
      const rest = wholeFolder ? (member.startsWith(`${source}/`) ? member.slice(source.length + 1) : null) : member === source ? '' : null;
      if (rest === null) continue;
      const path = rest === '' ? target : `${target}/${rest}`;
      create(path, 'file', call.line);
      // The folders on the way are made as root too (dirCreateHierarchy); the destination may exist already.
      for (let folder = posix.dirname(path); folder.length > target.length && folder !== '/'; folder = posix.dirname(folder)) create(folder, 'directory', call.line);
    }
  };

  try {
    for (const call of calls) {
      if (!HANDLED.has(call.name)) continue;
      const args = call.args;
      if (args.some((arg) => arg === null)) {
        problem(call, 'an argument is computed when the script runs, not written in it; the line is not applied');
        continue;
      }
      if (call.conditional) problem(call, 'runs only under a condition the script tests on the device; applied as if it holds');
      const values = args as string[];
      switch (call.name) {
        case 'package_extract_dir':
          extract(call, values, true);
          break;
        case 'package_extract_file':
          extract(call, values, false);
          break;
        case 'symlink': {
          const [target, ...paths] = values;
          if (target === undefined) throw abort(call, 'expects 1+ arguments, got 0');
          for (const path of paths.map(normalizePath)) {
            symlinks.push({ target, path });
            create(path, 'symlink', call.line);
          }
          break;
        }
        case 'set_perm':
        case 'set_perm_recursive':
          setPerm(call, values);
          break;
        default:
          setMetadata(call, values);
      }
    }
  } catch (error) {
    if (!(error instanceof UpdaterAbort)) throw error;
    problems.push({ path: file, message: error.message });
  }

  const metadata = new Map<string, FileMetadata>();
  for (const [path, entry] of [...states].sort(([a], [b]) => compareStrings(a, b))) {
    if (!entry.touched) continue;
    metadata.set(path, { mode: entry.mode, uid: entry.uid, gid: entry.gid, selinuxLabel: entry.label, capabilities: entry.capabilities, setBy: { file, ...entry.lines } });
  }
  return { metadata, problems };

  function abort(call: EdifyCall, message: string): UpdaterAbort {
    return new UpdaterAbort(`line ${call.line}: ${call.name}: ${message}; the updater stops here, so no later line is applied`);
  }
}

const HANDLED = new Set(['package_extract_dir', 'package_extract_file', 'symlink', 'set_perm', 'set_perm_recursive', 'set_metadata', 'set_metadata_recursive']);

interface ParsedPerms {
  uid?: number;
  gid?: number;
  mode?: number;
  dmode?: number;
  fmode?: number;
  capabilities?: bigint;
  selabel?: string;
}

/** ParsePermArgs: key/value pairs; a value that does not parse is left out (the updater only logs it), unknown keys are ignored. */
function parsePermArgs(pairs: readonly string[], warn: (message: string) => void): ParsedPerms {
  const parsed: ParsedPerms = {};
  for (let index = 0; index + 1 < pairs.length; index += 2) {
    const key = pairs[index] as string;
    const value = pairs[index + 1] as string;
    const invalid = (): void => warn(`invalid ${key} ${JSON.stringify(value)}; ignored, as the updater ignores it`);
    switch (key) {
      case 'uid':
      case 'gid': {
        const number = scanDecimal(value);
        if (number === null) invalid();
        else parsed[key] = number;
        break;
      }
      case 'mode':
      case 'dmode':
      case 'fmode': {
        const number = scanInteger(value);
        if (number === null) invalid();
        else parsed[key] = Number(BigInt.asIntN(32, number)) & 0o7777;
        break;
      }
      case 'capabilities': {
        const number = scanInteger(value);
        if (number === null) invalid();
        else parsed.capabilities = BigInt.asUintN(64, number);
        break;
      }
      case 'selabel':
        if (value === '') invalid();
        else parsed.selabel = value;
        break;
      default:
        warn(`unknown key ${JSON.stringify(key)}; ignored, as the updater ignores it`);
    }
  }
  return parsed;
}

/** strtoul(text, &end, 0) that must consume the whole, non-empty text (SetPermFn); null otherwise. */
function strtoul(text: string): number | null {
  const match = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (match === null) return null;
  const digits = match[2] as string;
  const value = /^0[xX]/.test(digits) ? BigInt(digits) : digits.startsWith('0') ? BigInt(`0o${digits.slice(1) || '0'}`) : BigInt(digits);
  // C stores the unsigned long in an int: keep the low 32 bits, signed.
  return Number(BigInt.asIntN(32, match[1] === '-' ? -value : value));
}

/** sscanf's %d: optional blanks and sign, then decimal digits; what follows them is ignored. */
function scanDecimal(text: string): number | null {
  const match = /^\s*([+-]?\d+)/.exec(text);
  return match === null ? null : Number(BigInt.asIntN(32, BigInt(match[1] as string)));
}

/** sscanf's %i: like %d, but a leading 0 means octal and 0x hexadecimal. */
function scanInteger(text: string): bigint | null {
  const match = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text);
  if (match === null) return null;
  const digits = match[2] as string;
  const value = /^0[xX]/.test(digits) ? BigInt(digits) : digits.startsWith('0') ? BigInt(`0o${digits.slice(1) || '0'}`) : BigInt(digits);
  return match[1] === '-' ? -value : value;
}

function normalizePath(path: string): string {
  const normalized = posix.normalize(path);
  return normalized.length > 1 ? normalized.replace(/\/+$/, '') : normalized;
}
