// resources.arsc decoding and resolution checked against `aapt dump --values resources` (run now,
// on the committed fixtures), plus hand-re-encoded sparse / 16-bit-offset / compact type chunks and
// corrupt tables.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResourceResolver, type ResourceTable, TypeFlag, parseResourceTable } from '../../electron/engine/android/arsc/index.js';
import { InputError } from '../../electron/engine/errors.js';
import { ValueType, formatJavaFloat, formatTypedValue } from '../../electron/engine/android/typedValue.js';
import { APK_FIXTURES, FIXTURE_APKS, type OracleResource, aaptResources, unzipMember } from '../support/aapt.js';
import { expectSameResources } from '../support/aaptCompare.js';

const fixture = (name: string): string => join(APK_FIXTURES, name);
const arscOf = (apk: string): Buffer => unzipMember(fixture(apk), 'resources.arsc');
const tableOf = (apk: string, bytes = arscOf(apk)): ResourceTable => parseResourceTable(bytes, { file: apk, member: 'resources.arsc' });

/** What aapt says a reference chain from `id` ends in, following `t=0x01` values in one configuration (falling back to default). */
function oracleResolve(resources: OracleResource[], id: number, config = ''): { chain: number[]; final: OracleResource | undefined; last: number } {
  const chain: number[] = [];
  let current = id;
  for (;;) {
    chain.push(current);
    const found = resources.find((r) => r.id === current && r.config === config) ?? resources.find((r) => r.id === current && r.config === '');
    if (!found || found.type !== ValueType.REFERENCE) return { chain, final: found, last: current };
    current = found.data ?? 0;
  }
}

describe('parseResourceTable against aapt dump --values resources', () => {
  for (const apk of [...FIXTURE_APKS, 'framework-res.apk']) {
    it(`${apk}: every entry in every configuration`, () => {
      const compared = expectSameResources(tableOf(apk), aaptResources(fixture(apk)), apk);
      expect(compared).toBeGreaterThan(0);
    });
  }

  it('settings-provider: configuration qualifiers as aapt prints them', () => {
    const table = tableOf('settings-provider.apk');
    const ours = new Set(table.packages.flatMap((pkg) => [...pkg.types.values()].flatMap((type) => type.configs.map((chunk) => chunk.config.qualifiers))));
    const oracle = new Set(aaptResources(fixture('settings-provider.apk')).resources.map((resource) => resource.config));
    expect(ours).toEqual(oracle);
    // The ones the fixture asked for (aapt adds the implied minimum versions).
    for (const config of ['', 'land', 'night-v8', 'sw600dp-v13', 'v21', 'zh-rCN', 'b+sr+Latn', 'mcc310-mnc260', 'xhdpi-v4', 'en-rUS-port-v23']) {
      expect(ours.has(config), config).toBe(true);
    }
  });
});

describe('ResourceResolver', () => {
  it('mms: @bool/def_cloud_messaging → @bool/def_cloud_base → true, as aapt lists them', () => {
    const oracle = aaptResources(fixture('mms.apk')).resources;
    const id = oracle.find((r) => r.name === 'com.android.mms:bool/def_cloud_messaging')?.id as number;
    const expected = oracleResolve(oracle, id);
    expect(expected.chain).toHaveLength(2);
    const resolver = new ResourceResolver(tableOf('mms.apk'));
    expect(resolver.lookup('bool', 'def_cloud_messaging')).toBe(id);
    expect(resolver.nameOf(id)).toBe('@bool/def_cloud_messaging');
    const resolved = resolver.resolve(id);
    expect(resolved.chain).toEqual(expected.chain);
    expect(resolved.chain.map((item) => resolver.nameOf(item))).toEqual(['@bool/def_cloud_messaging', '@bool/def_cloud_base']);
    expect(resolved.value).toEqual({ type: expected.final?.type, data: expected.final?.data });
    expect(formatTypedValue(resolved.value)).toBe(expected.final?.data !== 0 ? 'true' : 'false');
    expect(resolved.unresolved).toBeUndefined();
    expect(resolved.entry?.key).toBe('def_cloud_base');
  });

  it('mms-new: the same chain ends in false', () => {
    const resolver = new ResourceResolver(tableOf('mms-new.apk'));
    const resolved = resolver.resolve(resolver.lookup('bool', 'def_cloud_messaging') as number);
    const oracle = aaptResources(fixture('mms-new.apk')).resources.find((r) => r.name === 'com.android.mms:bool/def_cloud_base');
    expect(oracle?.data).toBe(0);
    expect(resolved.value).toEqual({ type: ValueType.INT_BOOLEAN, data: 0 });
  });

  for (const apk of ['mms.apk', 'settings-provider.apk', 'settings-overlay.apk']) {
    it(`${apk}: every value resolves to what following aapt's references gives, in every configuration`, () => {
      const oracle = aaptResources(fixture(apk)).resources;
      const resolver = new ResourceResolver(tableOf(apk));
      let followed = 0;
      for (const resource of oracle) {
        const expected = oracleResolve(oracle, resource.id, resource.config);
        const resolved = resolver.resolve(resource.id, { config: resource.config });
        expect(resolved.chain, resource.name).toEqual(expected.chain);
        if (expected.final === undefined) {
          expect(resolved.unresolved, resource.name).toBe('external-package');
          expect(resolved.value).toEqual({ type: ValueType.REFERENCE, data: expected.last });
        } else if (expected.final.bag) {
          expect(resolved.bag?.items.map((item) => item.name), resource.name).toEqual(expected.final.bag.items.map((item) => item.key));
        } else {
          expect(resolved.value, resource.name).toMatchObject({ type: expected.final.type, data: expected.final.data });
        }
        const full = resource.name.slice(resource.name.indexOf(':') + 1);
        expect(resolver.nameOf(resource.id)).toBe(`@${full}`);
        expect(resolver.lookup(full.split('/')[0] as string, full.split('/')[1] as string)).toBe(resource.id);
        if (expected.chain.length > 1) followed++;
      }
      if (apk !== 'settings-overlay.apk') expect(followed).toBeGreaterThan(0);
    });
  }

  it('settings-provider: a configuration-specific link in the chain (mcc310-mnc260) wins over the default', () => {
    const resolver = new ResourceResolver(tableOf('settings-provider.apk'));
    const wifiOn = resolver.lookup('bool', 'def_wifi_on') as number;
    expect(resolver.resolve(wifiOn).value).toEqual({ type: ValueType.INT_BOOLEAN, data: 0 });
    const mobile = resolver.resolve(wifiOn, { config: 'mcc310-mnc260' });
    expect(mobile.chain.map((id) => resolver.nameOf(id))).toEqual(['@bool/def_wifi_on', '@bool/def_wifi_base']);
    expect(mobile.config).toBe('mcc310-mnc260');
    expect(mobile.value.data).not.toBe(0);
  });

  it('valuesByConfig lists each configuration, as aapt does', () => {
    const resolver = new ResourceResolver(tableOf('mms.apk'));
    const oracle = aaptResources(fixture('mms.apk')).resources.filter((r) => r.name === 'com.android.mms:string/app_name');
    expect(oracle.map((r) => r.config)).toEqual(['', 'zh-rCN']);
    const values = resolver.valuesByConfig(resolver.lookup('string', 'app_name') as number);
    expect(values.map((item) => [item.config, item.value?.string])).toEqual(oracle.map((r) => [r.config, r.printed?.kind === 'string' ? r.printed.text : undefined]));
  });

  it('framework references stay unresolved in the app table, and resolve with the framework table added', () => {
    const app = tableOf('settings-provider.apk');
    const alone = new ResourceResolver(app);
    const label = alone.lookup('string', 'def_cancel_label') as number;
    const unresolved = alone.resolve(label);
    expect(unresolved.unresolved).toBe('external-package');
    expect(unresolved.value).toEqual({ type: ValueType.REFERENCE, data: 0x01040000 });
    expect(alone.nameOf(0x01040000)).toBeUndefined();
    expect(alone.format(unresolved.value)).toBe('@0x01040000');

    const withFramework = new ResourceResolver([app, tableOf('framework-res.apk')]);
    expect(withFramework.nameOf(0x01040000)).toBe('@android:string/cancel');
    expect(withFramework.nameOf(label)).toBe('@string/def_cancel_label');
    const frameworkOracle = aaptResources(fixture('framework-res.apk')).resources.find((r) => r.id === 0x01040000);
    const resolved = withFramework.resolve(label);
    expect(resolved.unresolved).toBeUndefined();
    expect(resolved.value.string).toBe(frameworkOracle?.printed?.kind === 'string' ? frameworkOracle.printed.text : 'missing');
    expect(withFramework.lookup('string', 'cancel', 'android')).toBe(0x01040000);
  });

  it('a reference loop is an InputError naming the loop, the file and the entry offset', () => {
    const bytes = Buffer.from(arscOf('settings-provider.apk'));
    const resolver = new ResourceResolver(tableOf('settings-provider.apk', bytes));
    const wifiOn = resolver.lookup('bool', 'def_wifi_on') as number;
    const last = resolver.entryIn(resolver.lookup('bool', 'def_radio_default') as number);
    // Patch def_radio_default's Res_value (after its 8-byte entry header) into a reference back to def_wifi_on.
    const valueAt = (last?.offset ?? 0) + 8;
    expect(bytes[valueAt + 3]).toBe(ValueType.INT_BOOLEAN);
    bytes[valueAt + 3] = ValueType.REFERENCE;
    bytes.writeUInt32LE(wifiOn, valueAt + 4);
    const looping = new ResourceResolver(tableOf('settings-provider.apk', bytes));
    let caught: unknown;
    try {
      looping.resolve(wifiOn);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const error = caught as InputError;
    expect(error.problem).toBe('reference loop: @bool/def_wifi_on → @bool/def_wifi_base → @bool/def_radio_default → @bool/def_wifi_on');
    expect(error.file).toBe('settings-provider.apk');
    expect(error.format).toContain('resources.arsc');
    expect(error.offset).toBe(last?.offset);
    // A resource referring to itself, too.
    bytes.writeUInt32LE(resolver.lookup('bool', 'def_radio_default') as number, valueAt + 4);
    expect(() => new ResourceResolver(tableOf('settings-provider.apk', bytes)).resolve(wifiOn)).toThrow(/reference loop: .*def_radio_default → @bool\/def_radio_default/);
  });
});

describe('formatTypedValue', () => {
  it('prints values the way Android does, numbers agreeing with aapt', () => {
    const table = tableOf('settings-provider.apk');
    const resolver = new ResourceResolver(table);
    const text = (name: string): string => {
      const [type, key] = name.split('/') as [string, string];
      return formatTypedValue(resolver.entryIn(resolver.lookup(type, key) as number)?.value ?? { type: 0, data: 0 });
    };
    const oracle = aaptResources(fixture('settings-provider.apk')).resources;
    const printed = (name: string) => oracle.find((r) => r.name === `com.android.providers.settings:${name}` && r.config === '')?.printed;
    expect(printed('dimen/def_touch_slop')).toEqual({ kind: 'dimension', number: 16, unit: 'dp' });
    expect(text('dimen/def_touch_slop')).toBe('16.0dip');
    expect(printed('dimen/def_text_size')).toEqual({ kind: 'dimension', number: 14.5, unit: 'sp' });
    expect(text('dimen/def_text_size')).toBe('14.5sp');
    expect(printed('dimen/def_font_scale')).toEqual({ kind: 'float', number: 1.15 });
    expect(text('dimen/def_font_scale')).toBe('1.15');
    // aapt prints the raw fraction (0.5); Android shows it as a percentage.
    expect(printed('fraction/def_volume_fraction')).toEqual({ kind: 'fraction', number: 0.5, unit: '%' });
    expect(text('fraction/def_volume_fraction')).toBe('50.0%');
    expect(text('fraction/def_parent_fraction')).toBe('25.0%p');
    expect(text('color/def_accent')).toBe('#ff00ff00');
    expect(text('color/def_accent_rgb')).toBe('#ff123456');
    expect(text('bool/def_auto_time')).toBe('true');
    expect(text('bool/def_bluetooth_on')).toBe('false');
    expect(text('integer/def_screen_off_timeout')).toBe('60000');
    expect(text('integer/def_dock_audio_media_enabled')).toBe('-1');
    expect(text('integer/def_wifi_sleep_policy')).toBe('0x2');
    expect(text('string/def_empty')).toBe('');
    expect(text('string/def_cancel_label')).toBe('@0x01040000');
    expect(resolver.format(resolver.entryIn(resolver.lookup('bool', 'def_wifi_on') as number)?.value ?? { type: 0, data: 0 })).toBe('@bool/def_wifi_base');
  });

  it('Java-style float text', () => {
    expect([16, 1.5, 0.1, -2, 1e-7, 3.4e38].map((n) => formatJavaFloat(Math.fround(n)))).toEqual(['16.0', '1.5', '0.1', '-2.0', '1.0E-7', '3.4E38']);
    expect(formatTypedValue({ type: ValueType.ATTRIBUTE, data: 0x01010036 })).toBe('?0x01010036');
    expect(formatTypedValue({ type: ValueType.NULL, data: 0 })).toBe('@null');
  });
});

// ---------------------------------------------------------------- other layouts of type chunks

type Layout = 'sparse' | 'offset16' | 'compact';

/**
 * Re-encodes every dense ResTable_type chunk of a table in another layout (AOSP ResourceTypes.h:
 * FLAG_SPARSE 0x01 with {u16 index, u16 offset/4} pairs; FLAG_OFFSET16 0x02 with u16 offset/4 and
 * 0xffff for none; FLAG_COMPACT 0x08 entries of u16 key, u16 flags|type<<8, u32 data), fixing
 * every enclosing chunk size. Written here independently of the decoder.
 */
function reencodeTable(bytes: Buffer, layout: Layout): { bytes: Buffer; changed: number } {
  let changed = 0;
  const rechunk = (original: Buffer, children: Buffer[]): Buffer => {
    const headerSize = original.readUInt16LE(2);
    const out = Buffer.concat([original.subarray(0, headerSize), ...children]);
    out.writeUInt32LE(out.length, 4);
    return out;
  };
  const childrenOf = (chunk: Buffer): Buffer[] => {
    const out: Buffer[] = [];
    for (let at = chunk.readUInt16LE(2); at < chunk.length; at += chunk.readUInt32LE(at + 4)) out.push(chunk.subarray(at, at + chunk.readUInt32LE(at + 4)));
    return out;
  };
  const reencodeType = (type: Buffer): Buffer => {
    const headerSize = type.readUInt16LE(2);
    const flags = type[9] ?? 0;
    const count = type.readUInt32LE(12);
    const entriesStart = type.readUInt32LE(16);
    if (flags !== 0) return type;
    const offsets = Array.from({ length: count }, (_, i) => type.readUInt32LE(headerSize + i * 4));
    let entries = type.subarray(entriesStart);
    let table: Buffer;
    let newFlags = flags;
    let newCount = count;
    if (layout === 'compact') {
      const parts: Buffer[] = [];
      let at = 0;
      for (let i = 0; i < count; i++) {
        const offset = offsets[i] as number;
        if (offset === 0xffffffff) continue;
        const size = entries.readUInt16LE(offset);
        const entryFlags = entries.readUInt16LE(offset + 2);
        const key = entries.readUInt32LE(offset + 4);
        let encoded: Buffer;
        if (entryFlags & 0x1 || key > 0xffff) {
          const itemCount = entryFlags & 0x1 ? entries.readUInt32LE(offset + 12) : 0;
          encoded = entries.subarray(offset, offset + size + (entryFlags & 0x1 ? itemCount * 12 : 8));
        } else {
          encoded = Buffer.alloc(8);
          encoded.writeUInt16LE(key, 0);
          encoded.writeUInt16LE((entries[offset + size + 3] ?? 0) << 8 | entryFlags | 0x8, 2);
          encoded.writeUInt32LE(entries.readUInt32LE(offset + size + 4), 4);
        }
        offsets[i] = at;
        parts.push(encoded);
        at += encoded.length;
      }
      entries = Buffer.concat(parts);
      table = Buffer.alloc(count * 4);
      offsets.forEach((offset, i) => table.writeUInt32LE(offset, i * 4));
    } else if (layout === 'sparse') {
      const present = offsets.map((offset, index) => ({ offset, index })).filter(({ offset }) => offset !== 0xffffffff);
      table = Buffer.alloc(present.length * 4);
      present.forEach(({ offset, index }, i) => {
        table.writeUInt16LE(index, i * 4);
        table.writeUInt16LE(offset / 4, i * 4 + 2);
      });
      newFlags |= 0x01;
      newCount = present.length;
    } else {
      table = Buffer.alloc(Math.ceil((count * 2) / 4) * 4);
      offsets.forEach((offset, i) => table.writeUInt16LE(offset === 0xffffffff ? 0xffff : offset / 4, i * 2));
      newFlags |= 0x02;
    }
    const header = Buffer.from(type.subarray(0, headerSize));
    header[9] = newFlags;
    header.writeUInt32LE(newCount, 12);
    header.writeUInt32LE(headerSize + table.length, 16);
    changed++;
    return rechunk(header, [table, entries]);
  };
  const rebuilt = rechunk(
    bytes,
    childrenOf(bytes).map((child) => (child.readUInt16LE(0) === 0x0200 ? rechunk(child, childrenOf(child).map((inner) => (inner.readUInt16LE(0) === 0x0201 ? reencodeType(inner) : inner))) : child)),
  );
  return { bytes: rebuilt, changed };
}

describe('sparse, 16-bit-offset and compact type chunks', () => {
  for (const layout of ['sparse', 'offset16', 'compact'] as const) {
    for (const apk of ['settings-provider.apk', 'mms.apk']) {
      it(`${apk} re-encoded ${layout}: the same values as aapt's dump of the dense original`, () => {
        const { bytes, changed } = reencodeTable(arscOf(apk), layout);
        expect(changed).toBeGreaterThan(3);
        const table = tableOf(apk, bytes);
        const chunks = table.packages.flatMap((pkg) => [...pkg.types.values()].flatMap((type) => type.configs));
        if (layout === 'sparse') expect(chunks.every((chunk) => chunk.flags & TypeFlag.SPARSE)).toBe(true);
        if (layout === 'offset16') expect(chunks.every((chunk) => chunk.flags & TypeFlag.OFFSET16)).toBe(true);
        if (layout === 'compact') expect(chunks.some((chunk) => [...chunk.entries()].some((entry) => entry.flags & 0x8))).toBe(true);
        expectSameResources(table, aaptResources(fixture(apk)), `${apk} (${layout})`);
        // Lookups of absent entries and chains behave as in the dense table.
        const resolver = new ResourceResolver(table);
        const dense = new ResourceResolver(tableOf(apk));
        for (const chunk of chunks) {
          for (let index = 0; index < 40; index++) {
            const id = ((chunk.packageId << 24) | (chunk.typeId << 16) | index) >>> 0;
            expect(resolver.entryIn(id, chunk.config.qualifiers)?.value, `${id.toString(16)} ${chunk.config.qualifiers}`).toEqual(dense.entryIn(id, chunk.config.qualifiers)?.value);
          }
        }
      });
    }
  }
});

// ---------------------------------------------------------------- corrupt tables

describe('corrupt resources.arsc', () => {
  const real = arscOf('settings-provider.apk');
  const where = { file: 'settings-provider.apk', member: 'resources.arsc' };

  /** Parses and reads everything: every entry, name and chain. */
  function readAll(bytes: Buffer): void {
    const table = parseResourceTable(bytes, where);
    const resolver = new ResourceResolver(table);
    for (const pkg of table.packages) {
      for (const type of pkg.types.values()) {
        for (const chunk of type.configs) {
          for (const entry of chunk.entries()) {
            resolver.nameOf(entry.id);
            resolver.resolve(entry.id, { config: chunk.config.qualifiers });
          }
        }
      }
    }
  }

  function expectInputError(run: () => unknown): InputError {
    let caught: unknown;
    try {
      run();
    } catch (error) {
      caught = error;
    }
    expect(caught, 'expected an InputError').toBeInstanceOf(InputError);
    const error = caught as InputError;
    expect(error.file).toBe(where.file);
    expect(error.format.startsWith('apk › resources.arsc › ')).toBe(true);
    expect(typeof error.offset).toBe('number');
    return error;
  }

  it('truncated at any offset', () => {
    for (let length = 0; length < real.length; length += 5) expectInputError(() => readAll(real.subarray(0, length)));
  });

  it('huge counts and sizes', () => {
    const table = tableOf('settings-provider.apk');
    // Type 2 is bool (aapt numbers types from 0 in its dump: "type 1"), type 8 the string-array.
    const chunk = table.packages[0]?.types.get(2)?.configs[0];
    expect(chunk?.entryCount).toBe(5);
    const at = chunk?.chunk.offset ?? 0;
    const hugeEntries = Buffer.from(real);
    hugeEntries.writeUInt32LE(0x3fffffff, at + 12);
    expect(expectInputError(() => readAll(hugeEntries)).format).toContain('ResTable_type');
    const hugeConfig = Buffer.from(real);
    hugeConfig.writeUInt32LE(0xffff0000, at + 20);
    expect(expectInputError(() => readAll(hugeConfig)).format).toContain('ResTable_config');
    const bag = table.packages[0]?.types.get(8)?.configs[0]?.entry(0);
    expect(bag?.bag).toBeDefined();
    const hugeBag = Buffer.from(real);
    hugeBag.writeUInt32LE(0x7fffffff, (bag?.offset ?? 0) + 12);
    expect(expectInputError(() => readAll(hugeBag)).format).toContain('ResTable_map');
    const hugeTable = Buffer.from(real);
    hugeTable.writeUInt32LE(0xffffffff, 4);
    expect(expectInputError(() => readAll(hugeTable)).offset).toBe(0);
  });

  it('a bad key string index names the entry and the field offset', () => {
    const table = tableOf('settings-provider.apk');
    const entry = table.packages[0]?.types.get(2)?.configs[0]?.entry(1);
    expect(entry?.key).toBe('def_bluetooth_on');
    const bytes = Buffer.from(real);
    bytes.writeUInt32LE(0x00ffffff, (entry?.offset ?? 0) + 4);
    const error = expectInputError(() => readAll(bytes));
    expect(error.format).toBe('apk › resources.arsc › ResTable_entry 0x7f020001');
    expect(error.offset).toBe((entry?.offset ?? 0) + 4);
    expect(error.problem).toContain('string index 16777215');
  });

  it('flipped chunk headers and random corruption: only InputErrors, quickly', () => {
    let state = 99;
    const random = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
    const headers: number[] = [];
    const walk = (start: number, end: number, depth: number): void => {
      for (let at = start; at + 8 <= end && depth < 3; ) {
        const size = real.readUInt32LE(at + 4);
        headers.push(at);
        if (real.readUInt16LE(at) === 0x0200 || real.readUInt16LE(at) === 0x0002) walk(at + real.readUInt16LE(at + 2), at + size, depth + 1);
        at += size;
      }
    };
    walk(0, real.length, 0);
    expect(headers.length).toBeGreaterThan(10);
    let failures = 0;
    const attempt = (bytes: Buffer): void => {
      try {
        readAll(bytes);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        failures++;
      }
    };
    const started = Date.now();
    for (const header of headers) {
      for (const [field, value] of [[0, 0xffff], [2, 0], [2, 0xffff], [2, 9], [4, 0], [4, 0xffffffff], [4, 12]] as const) {
        const bytes = Buffer.from(real);
        if (field === 4) bytes.writeUInt32LE(value, header + 4);
        else bytes.writeUInt16LE(value, header + field);
        attempt(bytes);
      }
    }
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(real);
      for (let n = 1 + (random() % 4); n > 0; n--) bytes[random() % bytes.length] = random() & 0xff;
      attempt(bytes);
    }
    expect(failures).toBeGreaterThan(50);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
