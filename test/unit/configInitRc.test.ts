// init .rc files read with the rules of system/core/init (README.md, tokenizer.cpp, parser.cpp).
// Expected values are written from the samples; line numbers are found in the raw text.
import { describe, expect, it } from 'vitest';
import { parseInitRc, tokenizeRc } from '../../electron/engine/config/initRc.js';

const FILE = '/system/etc/init/hw/init.rc';

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at === -1) throw new Error(`sample has no ${needle}`);
  return text.slice(0, at).split('\n').length;
}

const INIT_RC = `# Copyright (C) 2012 The Android Open Source Project
#
# IMPORTANT: Do not create world writable files or directories.
# This is a common source of Android security bugs.
#

import /init.environ.rc
import /system/etc/init/hw/init.usb.rc
import /init.\${ro.hardware}.rc
import /vendor/etc/init/hw/init.\${ro.hardware}.rc
import /system/etc/init/hw/init.\${ro.zygote}.rc

on early-init
    # Set init and its forked children's oom_adj.
    write /proc/1/oom_score_adj -1000
    start ueventd

on init
    sysclktz 0
    setprop net.tcp.default_init_rwnd 60

service ueventd /system/bin/ueventd
    class core
    critical
    seclabel u:r:ueventd:s0
    shutdown critical

service console /system/bin/sh
    class core
    console
    disabled
    user shell
    group shell log readproc
    seclabel u:r:shell:s0
    setenv HOSTNAME console

on property:ro.debuggable=1
    # Give writes to anyone for the trace folder on debug builds.
    chmod 0773 /data/misc/trace
    start console

service flash_recovery /system/bin/install-recovery.sh
    class main
    oneshot

service   zygote   /system/bin/app_process64 -Xzygote /system/bin --zygote \\
        --start-system-server --socket-name=zygote
    class main
    priority -20
    user root
    group root readproc reserved_disk
    socket zygote stream 660 root system
    onrestart write /sys/power/state on   # comment after an option
    onrestart restart audioserver
    task_profiles ProcessCapacityHigh MaxPerformance
    critical window=\${zygote.critical_window.minute:-off} target=zygote-fatal
`;

describe('parseInitRc', () => {
  it('lists the services of an init.rc in the AOSP style with their command, options and line', () => {
    expect(parseInitRc(INIT_RC, FILE)).toEqual([
      {
        name: 'ueventd',
        command: '/system/bin/ueventd',
        options: ['class core', 'critical', 'seclabel u:r:ueventd:s0', 'shutdown critical'],
        file: FILE,
        line: lineOf(INIT_RC, 'service ueventd'),
      },
      {
        name: 'console',
        command: '/system/bin/sh',
        options: ['class core', 'console', 'disabled', 'user shell', 'group shell log readproc', 'seclabel u:r:shell:s0', 'setenv HOSTNAME console'],
        file: FILE,
        line: lineOf(INIT_RC, 'service console'),
      },
      {
        name: 'flash_recovery',
        command: '/system/bin/install-recovery.sh',
        options: ['class main', 'oneshot'],
        file: FILE,
        line: lineOf(INIT_RC, 'service flash_recovery'),
      },
      {
        name: 'zygote',
        command: '/system/bin/app_process64 -Xzygote /system/bin --zygote --start-system-server --socket-name=zygote',
        options: [
          'class main',
          'priority -20',
          'user root',
          'group root readproc reserved_disk',
          'socket zygote stream 660 root system',
          'onrestart write /sys/power/state on',
          'onrestart restart audioserver',
          'task_profiles ProcessCapacityHigh MaxPerformance',
          'critical window=${zygote.critical_window.minute:-off} target=zygote-fatal',
        ],
        file: FILE,
        line: lineOf(INIT_RC, 'service   zygote'),
      },
    ]);
  });

  it('reads a vendor file made only of services, as imported from init.rc', () => {
    const file = '/vendor/etc/init/android.hardware.example@1.0-service.rc';
    const text = 'service vendor.example-1-0 /vendor/bin/hw/android.hardware.example@1.0-service\n    interface android.hardware.example@1.0::IExample default\n    class hal\n    user system\n    group system\n\nservice vendor.other /vendor/bin/other --flag\n    disabled\n    oneshot\n';
    expect(parseInitRc(text, file).map(({ name, command, options, line }) => ({ name, command, options, line }))).toEqual([
      {
        name: 'vendor.example-1-0',
        command: '/vendor/bin/hw/android.hardware.example@1.0-service',
        options: ['interface android.hardware.example@1.0::IExample default', 'class hal', 'user system', 'group system'],
        line: 1,
      },
      { name: 'vendor.other', command: '/vendor/bin/other --flag', options: ['disabled', 'oneshot'], line: 7 },
    ]);
  });

  it('ends a service at the next section and drops services init rejects with their options', () => {
    const text = 'service broken /system/bin/x\n    disabled\nservice nocommand\n    class main\non boot\n    class_start main\nimport /x.rc\n    user root\n';
    expect(parseInitRc(text, FILE)).toEqual([{ name: 'broken', command: '/system/bin/x', options: ['disabled'], file: FILE, line: 1 }]);
  });

  it('shows words holding blanks, quotes or backslashes JSON-quoted so options stay unambiguous', () => {
    const text = 'service quoted /system/bin/sh -c "echo hello  world" ""\n    setenv GREETING "a b"\n    setenv ESCAPED tab\\there\n';
    expect(parseInitRc(text, FILE)[0]).toMatchObject({
      command: '/system/bin/sh -c "echo hello  world" ""',
      options: ['setenv GREETING "a b"', 'setenv ESCAPED "tab\\there"'],
    });
  });
});

describe('tokenizeRc (init tokenizer rules)', () => {
  const words = (text: string) => tokenizeRc(text).map((line) => line.words);

  it('splits at blanks and carriage returns, and treats # as a comment only at the start of a word', () => {
    expect(words('a  b\tc\r\n# whole line\nsetprop x y#z # tail\n')).toEqual([
      ['a', 'b', 'c'],
      ['setprop', 'x', 'y#z'],
    ]);
  });

  it('keeps blanks inside quotes, joins quoted parts to the word around them and takes "" as an empty word', () => {
    expect(words('write /f "a b"c d"e f" ""\n')).toEqual([['write', '/f', 'a bc', 'de f', '']]);
  });

  it('decodes \\n \\r \\t \\\\ and keeps the character of any other escape', () => {
    expect(words('x a\\nb a\\tb a\\\\b a\\qb a\\"b\n')).toEqual([['x', 'a\nb', 'a\tb', 'a\\b', 'aqb', 'a"b']]);
  });

  it('continues a word after a backslash at the end of a line (LF or CRLF), dropping leading blanks there', () => {
    const lines = tokenizeRc('service s /bin/x --a \\\n      --b\\\r\n   c\nnext line\n');
    expect(lines).toEqual([
      { words: ['service', 's', '/bin/x', '--a', '--bc'], line: 1 },
      { words: ['next', 'line'], line: 4 },
    ]);
  });

  it('counts lines inside quotes so later line numbers stay true', () => {
    expect(tokenizeRc('a "multi\nline"\nb\n')).toEqual([
      { words: ['a', 'multi\nline'], line: 1 },
      { words: ['b'], line: 3 },
    ]);
  });

  it('stops at a quote left open, as init does, dropping that line', () => {
    expect(words('first line\nsecond "never closed\nthird\n')).toEqual([['first', 'line']]);
  });

  it('reads nothing after a NUL character, and drops the words pending before it, as init does', () => {
    expect(words('a b\nc\0d\ne\n')).toEqual([['a', 'b']]);
  });

  it('reads a last line without newline, but loses one ending in a backslash (init appends only one newline)', () => {
    expect(words('a b\nc d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(words('a b\nc d\\')).toEqual([['a', 'b']]);
  });
});
