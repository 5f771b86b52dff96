// Gives a generated tree the metadata an Android image carries on every entry: a SELinux label
// (security.selinux, by folder, as file_contexts assigns them) on every file, folder and link, and
// file capabilities (security.capability, vfs_cap_data v2) on a few executables, so a benchmark
// over it measures the readers' xattr path too. One `setfattr --restore` run sets them all.
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LABELS = [
  ['bin/', 'u:object_r:system_bin_file:s0'],
  ['etc/', 'u:object_r:system_etc_file:s0'],
  ['lib64/', 'u:object_r:system_lib_file:s0'],
];
const DEFAULT_LABEL = 'u:object_r:system_file:s0';
/** vfs_cap_data revision 2 with the effective flag: CAP_NET_RAW (13) and CAP_NET_ADMIN (12) permitted. */
const CAPABILITY = `0x${Buffer.from([0x01, 0x00, 0x00, 0x02, 0x00, 0x30, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).toString('hex')}`;
/** One file in this many gets capabilities. */
const CAPABILITY_EVERY = 97;

function labelOf(path) {
  return LABELS.find(([prefix]) => path.startsWith(prefix))?.[1] ?? DEFAULT_LABEL;
}

/** getfattr's dump format quotes anything unusual in a name with octal escapes. */
function quoted(path) {
  const plain = (code) => code > 0x20 && code < 0x7f && code !== 0x5c && code !== 0x22 && code !== 0x3d;
  return [...Buffer.from(path)].map((code) => (plain(code) || code === 0x20 ? String.fromCharCode(code) : `\\${code.toString(8).padStart(3, '0')}`)).join('');
}

/** Labels every entry under `root` (and capabilities on every CAPABILITY_EVERY-th file); returns how many of each. */
export function labelTree(root) {
  const lines = [];
  let labelled = 0;
  let capable = 0;
  const add = (path, isFile) => {
    lines.push(`# file: ${quoted(join(root, path))}`, `security.selinux="${labelOf(path === '' ? '' : `${path}`)}"`);
    labelled++;
    if (isFile && labelled % CAPABILITY_EVERY === 0) {
      lines.push(`security.capability=${CAPABILITY}`);
      capable++;
    }
    lines.push('');
  };
  const walk = (relative) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      add(entry.isDirectory() ? `${path}/` : path, entry.isFile());
      if (entry.isDirectory()) walk(path);
    }
  };
  add('', false);
  walk('');
  const dump = join(root, '..', 'xattrs.dump');
  writeFileSync(dump, `${lines.join('\n')}\n`);
  execFileSync('setfattr', ['-h', `--restore=${dump}`]);
  return { labelled, capable };
}
