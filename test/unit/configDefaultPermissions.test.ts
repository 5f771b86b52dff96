// etc/default-permissions/*.xml read as frameworks/base DefaultPermissionGrantPolicy.java reads them.
// Expected values are written from the samples; line numbers are found in the raw text.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../electron/engine/errors.js';
import { parseDefaultPermissions } from '../../electron/engine/config/defaultPermissions.js';

const FILE = '/product/etc/default-permissions/default-permissions-example.xml';

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at === -1) throw new Error(`sample has no ${needle}`);
  return text.slice(0, at).split('\n').length;
}

const SAMPLE = `<?xml version="1.0" encoding="utf-8"?>
<!--
  Copyright (C) 2017 The Android Open Source Project
  Licensed under the Apache License, Version 2.0
-->

<!--
    This file contains permissions to be granted by default. Default
    permissions are granted to special platform components and to apps
    that are approved to get default grants.
-->

<exceptions>
    <!-- This is an example of an exception:
    <exception
        package="foo.bar.permission"
      <permission name="android.permission.READ_CONTACTS" fixed="true"/>
      <permission name="android.permission.READ_CALENDAR" fixed="false"/>
    </exception>
    -->

    <exception package="com.example.dialer" sha256-cert-digest="AA:BB:CC">
        <!-- Phone -->
        <permission name="android.permission.READ_PHONE_STATE" fixed="true"/>
        <permission name="android.permission.CALL_PHONE" fixed="false"/>
        <!-- Contacts -->
        <permission name="android.permission.READ_CONTACTS"/>
        <permission name="android.permission.WRITE_CONTACTS" fixed="TRUE" whitelisted="true"/>
        <permission name="android.permission.READ_CALL_LOG" fixed="1"/>
    </exception>

    <exception package="com.example.maps" brand="example">
        <permission name="android.permission.ACCESS_FINE_LOCATION" fixed="false"/>
        <permission fixed="true"/>
    </exception>

    <exception>
        <permission name="android.permission.CAMERA" fixed="true"/>
    </exception>
</exceptions>
`;

describe('parseDefaultPermissions', () => {
  it('lists each granted permission with its package, fixed flag (Boolean.parseBoolean, default false) and line', () => {
    // The commented-out example names some of the same permissions: look for lines after it.
    const afterExample = SAMPLE.indexOf('-->', SAMPLE.indexOf('foo.bar.permission'));
    const grant = (packageName: string, permission: string, fixed: boolean) => ({
      kind: 'default-permission',
      package: packageName,
      permission,
      fixed,
      file: FILE,
      line: SAMPLE.slice(0, SAMPLE.indexOf(`"${permission}"`, afterExample)).split('\n').length,
    });
    expect(parseDefaultPermissions(SAMPLE, FILE)).toEqual([
      grant('com.example.dialer', 'android.permission.READ_PHONE_STATE', true),
      grant('com.example.dialer', 'android.permission.CALL_PHONE', false),
      grant('com.example.dialer', 'android.permission.READ_CONTACTS', false),
      grant('com.example.dialer', 'android.permission.WRITE_CONTACTS', true),
      grant('com.example.dialer', 'android.permission.READ_CALL_LOG', false),
      grant('com.example.maps', 'android.permission.ACCESS_FINE_LOCATION', false),
    ]);
  });

  it('walks into unknown elements at every level, as Android does', () => {
    const xml = `<vendor-wrapper>
  <exceptions>
    <group>
      <exception package="com.example.wrapped">
        <section><permission name="android.permission.RECORD_AUDIO" fixed="true"/></section>
      </exception>
    </group>
  </exceptions>
</vendor-wrapper>`;
    expect(parseDefaultPermissions(xml, FILE)).toEqual([
      { kind: 'default-permission', package: 'com.example.wrapped', permission: 'android.permission.RECORD_AUDIO', fixed: true, file: FILE, line: lineOf(xml, 'RECORD_AUDIO') },
    ]);
  });

  it('takes any element whose name is part of "permission" as a permission (Android\'s contains() quirk)', () => {
    const xml = `<exceptions><exception package="p">
<perm name="a"/>
<mission name="b"/>
<permissions name="not-a-grant"/>
<grant name="not-either"/>
</exception></exceptions>`;
    expect(parseDefaultPermissions(xml, FILE).map((grant) => [grant.permission, grant.line])).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
  });

  it('ignores <exception> elements outside <exceptions> and anything after a permission without name', () => {
    const xml = `<exceptions-list>
  <exception package="outside"><permission name="x"/></exception>
  <exceptions>
    <exception package="inside">
      <permission><permission name="nested-in-nameless"/></permission>
      <permission name="kept"><permission name="nested-in-named"/></permission>
    </exception>
  </exceptions>
</exceptions-list>`;
    expect(parseDefaultPermissions(xml, FILE).map((grant) => `${grant.package}/${grant.permission}`)).toEqual(['inside/kept', 'inside/nested-in-named']);
  });

  it('reports malformed XML as a typed error naming the file', () => {
    let error: unknown;
    try {
      parseDefaultPermissions('<exceptions>\n  <exception package="a">\n</exceptions>', FILE);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).file).toBe(FILE);
    expect((error as InputError).problem).toContain('line 3');
  });
});
