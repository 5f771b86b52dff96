// File metadata of a file-based OTA from its updater-script: edify parsed as bootable/recovery's
// lexer.ll/parser.yy do, and set_perm, set_perm_recursive, set_metadata and
// set_metadata_recursive replayed in order as the updater applies them (AOSP bootable/recovery
// updater/install.cpp SetMetadataFn/ApplyParsedPerms; SetPermFn and minzip
// dirSetHierarchyPermissions from KitKat's updater/install.c), with Linux's chown clearing
// setuid, group-executable setgid and file capabilities (fs/open.c chown_common, fs/attr.c).
// The expectations below are reasoned by hand from those sources, line by line.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileMetadata, TreeEntry } from '../../shared/model.js';
import { InputError } from '../../electron/engine/errors.js';
import { closePackage, openPackage } from '../../electron/engine/formats/registry.js';
import { edifyCalls, EdifySyntaxError, parseEdify } from '../../electron/engine/updater/edify.js';
import { tempDir } from '../support/ext4.js';
import { run } from '../support/oracles.js';

const temp = tempDir('updater-script');
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const SCRIPT_PATH = 'META-INF/com/google/android/updater-script';

describe('edify', () => {
  it('reads calls in evaluation order with their literal arguments, escapes and bare words', () => {
    const script = [
      'ui_print("a \\"quoted\\" \\x41\\n");  # a comment',
      'set_perm(0, 2000, 0755, "/system/bin/" + "sh") || abort("failed");',
      'ifelse(is_mounted("/system"), unmount("/system"));',
      'if getprop("ro.x") == "1" then set_perm(0, 0, 0777, "/a"); else symlink("t", "/b"); endif;',
      'set_perm(getprop("uid"), 0, 0755, "/c");',
    ].join('\n');
    const calls = edifyCalls(parseEdify(script, 'script'));
    expect(calls.map((call) => [call.name, call.line, call.conditional, call.args])).toEqual([
      ['ui_print', 1, false, ['a "quoted" A\n']],
      ['set_perm', 2, false, ['0', '2000', '0755', '/system/bin/sh']],
      ['abort', 2, true, ['failed']],
      ['is_mounted', 3, false, ['/system']],
      ['unmount', 3, true, ['/system']],
      ['ifelse', 3, false, [null, null]],
      ['getprop', 4, false, ['ro.x']],
      ['set_perm', 4, true, ['0', '0', '0777', '/a']],
      ['symlink', 4, true, ['t', '/b']],
      ['getprop', 5, false, ['uid']],
      ['set_perm', 5, false, [null, '0', '0755', '/c']],
    ]);
  });

  it.each([
    ['set_perm(0, 0, 0755, "/a";', /line 1: ";" in the arguments of set_perm\(\)/],
    ['ui_print("no end);\nx();', /line 1: string literal is not closed/],
    ['a();\nb() c();', /line 2: "c" where a ; or the end of a block belongs/],
    ['if x() then y();', /line 1: if without endif/],
    ['a(); $', /line 1: unexpected character "\$"/],
    [`${'('.repeat(300)}x()${')'.repeat(300)}`, /nested more than 200 deep/],
  ])('refuses %j with a typed error naming the line', (script, message) => {
    let caught: unknown;
    try {
      parseEdify(script, 'updater-script');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EdifySyntaxError);
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as Error).message).toMatch(message);
  });
});

/** A 2014-style file OTA: system/ members, a symlink-making, permission-setting updater-script. */
const SCRIPT = [
  /* 1 */ 'ui_print("Installing");',
  /* 2 */ 'mount("ext4", "EMMC", "/dev/block/system", "/system");',
  /* 3 */ 'package_extract_dir("system", "/system");',
  /* 4 */ 'symlink("toolbox", "/system/bin/ls", "/system/bin/ps");',
  /* 5 */ 'set_perm_recursive(0, 0, 0755, 0644, "/system");',
  /* 6 */ 'set_perm_recursive(0, 2000, 0755, 0755, "/system/bin");',
  /* 7 */ 'set_perm(0, 3003, 02750, "/system/bin/netcfg");',
  /* 8 */ 'set_perm(0, 0, 06755, "/system/xbin/su");',
  /* 9 */ 'set_metadata("/system/bin/ping", "uid", 0, "gid", 3003, "mode", 0750, "capabilities", 0x2000, "selabel", "u:object_r:ping_exec:s0");',
  /* 10 */ 'set_metadata("/system/xbin/su", "gid", 2000); # only the group: chown still runs',
  /* 11 */ 'set_perm(0, 0, 0755, "/system/bin/ps");',
  /* 12 */ 'set_metadata_recursive("/system/etc", "selabel", "u:object_r:system_etc_file:s0", "fmode", 0600, "colour", "blue");',
  /* 13 */ 'if getprop("ro.debuggable") == "1" then set_perm(0, 0, 0777, "/system/etc/hosts"); endif;',
  /* 14 */ 'set_metadata("/system/missing", "uid", 0);',
  /* 15 */ 'set_perm(0, 0, "07x5", "/system/etc/hosts");',
  /* 16 */ 'set_perm(0, 0, 0777, "/system/build.prop");',
  /* 17 */ 'unmount("/system");',
].join('\n');

const lines = (values: Partial<Record<'uid' | 'gid' | 'mode' | 'selinuxLabel' | 'capabilities', number>>): FileMetadata['setBy'] => ({ file: SCRIPT_PATH, ...values });

/**
 * What the updater leaves, line by line:
 * - line 3 extracts every system/ member as root (mode under the recovery's umask: unknown, label
 *   from its file_contexts: unknown); line 4 makes two links, root's, 0777;
 * - line 5 (dirSetHierarchyPermissions) gives every folder 0:0 0755 and everything else 0:0 0644,
 *   skipping links; line 6 does /system/bin again with 0:2000, files 0755;
 * - line 7: chown 0:3003, then chmod 02750;
 * - line 8: su 0:0 06755; line 10's chown (group 2000) clears setuid and, as the group may
 *   execute, setgid: 0755;
 * - line 9: owner, group, mode 0750, then a revision 2 security.capability with the effective flag
 *   and 0x2000 (bit 13, CAP_NET_RAW) permitted, and the label;
 * - line 11: chown and chmod follow the link ps → toolbox: toolbox becomes 0:0 0755;
 * - line 12: the label on /system/etc and below, fmode 0600 on files only (the folder keeps 0755);
 *   the unknown key is ignored;
 * - line 13 runs only if the device says ro.debuggable=1: applied as if it does (and reported);
 * - line 14 names a path the package lacks: skipped (reported); line 15's mode does not parse:
 *   the updater aborts, so line 16 never runs (build.prop keeps line 5's 0644).
 */
const EXPECTED: Record<string, FileMetadata> = {
  '/system/bin': { mode: 0o755, uid: 0, gid: 2000, selinuxLabel: null, capabilities: null, setBy: lines({ uid: 6, gid: 6, mode: 6 }) },
  '/system/bin/toolbox': { mode: 0o755, uid: 0, gid: 0, selinuxLabel: null, capabilities: null, setBy: lines({ uid: 11, gid: 11, mode: 11 }) },
  '/system/bin/ls': { mode: 0o777, uid: 0, gid: 0, selinuxLabel: null, capabilities: null, setBy: lines({ uid: 4, gid: 4, mode: 4 }) },
  '/system/bin/ps': { mode: 0o777, uid: 0, gid: 0, selinuxLabel: null, capabilities: null, setBy: lines({ uid: 4, gid: 4, mode: 4 }) },
  '/system/bin/netcfg': { mode: 0o2750, uid: 0, gid: 3003, selinuxLabel: null, capabilities: null, setBy: lines({ uid: 7, gid: 7, mode: 7 }) },
  '/system/bin/ping': {
    mode: 0o750,
    uid: 0,
    gid: 3003,
    selinuxLabel: 'u:object_r:ping_exec:s0',
    capabilities: { version: 2, permitted: ['CAP_NET_RAW'], inheritable: [], effective: true },
    setBy: lines({ uid: 9, gid: 9, mode: 9, selinuxLabel: 9, capabilities: 9 }),
  },
  '/system/xbin': { mode: 0o755, uid: 0, gid: 0, selinuxLabel: null, capabilities: null, setBy: lines({ uid: 5, gid: 5, mode: 5 }) },
  '/system/xbin/su': { mode: 0o755, uid: 0, gid: 2000, selinuxLabel: null, capabilities: null, setBy: lines({ uid: 8, gid: 10, mode: 10 }) },
  '/system/etc': { mode: 0o755, uid: 0, gid: 0, selinuxLabel: 'u:object_r:system_etc_file:s0', capabilities: null, setBy: lines({ uid: 5, gid: 5, mode: 5, selinuxLabel: 12 }) },
  '/system/etc/hosts': { mode: 0o777, uid: 0, gid: 0, selinuxLabel: 'u:object_r:system_etc_file:s0', capabilities: null, setBy: lines({ uid: 13, gid: 13, mode: 13, selinuxLabel: 12 }) },
  '/system/build.prop': { mode: 0o644, uid: 0, gid: 0, selinuxLabel: null, capabilities: null, setBy: lines({ uid: 5, gid: 5, mode: 5 }) },
};

function fileOta(dir: string, script: string): string {
  const root = join(temp, dir);
  for (const path of ['system/bin/toolbox', 'system/bin/netcfg', 'system/bin/ping', 'system/xbin/su', 'system/etc/hosts', 'system/build.prop']) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), `${path}\n`);
  }
  mkdirSync(join(root, 'META-INF/com/google/android'), { recursive: true });
  writeFileSync(join(root, SCRIPT_PATH), script);
  // A link in the zip itself is not how 2014 packages made them; the script makes them.
  symlinkSync('nowhere', join(root, 'unrelated-link'));
  const zip = join(temp, `${dir}.zip`);
  run('zip', ['-q', '-r', '-X', zip, 'system', 'META-INF'], root);
  return zip;
}

async function metadataOf(zip: string): Promise<{ entries: Map<string, TreeEntry>; problems: { path: string; message: string }[]; text: string | undefined }> {
  const handle = await openPackage(zip);
  try {
    const entries = new Map<string, TreeEntry>();
    for await (const entry of handle.opened.tree.walk('/')) entries.set(entry.path, entry);
    return { entries, problems: handle.opened.problems, text: handle.opened.memberTexts?.get(SCRIPT_PATH) };
  } finally {
    await closePackage(handle);
  }
}

describe('a file OTA whose updater-script sets owners, modes, labels and capabilities', () => {
  it('gives every entry what the updater leaves after running the script in order', async () => {
    const { entries, problems, text } = await metadataOf(fileOta('perms', SCRIPT));
    expect(text).toBe(SCRIPT);
    expect(Object.fromEntries([...entries].filter(([path]) => path !== '/system').map(([path, entry]) => [path, entry.metadata]))).toEqual(EXPECTED);
    expect(problems).toEqual([
      { path: SCRIPT_PATH, message: 'line 12: set_metadata_recursive: unknown key "colour"; ignored, as the updater ignores it' },
      { path: SCRIPT_PATH, message: 'line 13: set_perm: runs only under a condition the script tests on the device; applied as if it holds' },
      { path: SCRIPT_PATH, message: 'line 14: set_metadata: /system/missing is not in the package; skipped' },
      { path: SCRIPT_PATH, message: 'line 15: set_perm: "07x5" is not a valid mode; the updater stops here, so no later line is applied' },
    ]);
  });

  it('a script that does not parse is a problem; the files are still listed, without metadata', async () => {
    const { entries, problems } = await metadataOf(fileOta('broken', 'package_extract_dir("system", "/system");\nset_perm(0, 0, 0755, "/system/bin/ping";\n'));
    expect(entries.get('/system/bin/ping')).toEqual({ path: '/system/bin/ping', type: 'file', size: 'system/bin/ping\n'.length });
    expect(problems).toEqual([{ path: SCRIPT_PATH, message: expect.stringMatching(/^symlinks and file metadata not read: .*updater-script \(edify\) at offset \d+: line 2: ";" in the arguments of set_perm\(\)/) }]);
  });
});
