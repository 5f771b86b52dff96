/**
 * Names and values of resources in one resource table: `@bool/def_x` for an ID, the value in a
 * configuration with reference chains followed (`@bool/x` → `@bool/y` → `true`), and every
 * configuration's value side by side.
 */
import { InputError } from '../../errors.js';
import { hex } from '../axml/chunks.js';
import { type TypedValue, ValueType, formatResourceId, formatTypedValue, isReference } from '../typedValue.js';
import { betterForDevice, matchesDevice } from './deviceMatch.js';
import type { ResourceBag, ResourceEntry, ResourcePackage, ResourceTable, ResourceType } from './table.js';

/** Android gives up on longer chains too; a chain this long in real resources is a loop in disguise. */
export const MAX_REFERENCE_CHAIN = 32;

/** Why a resolved value is still a reference. */
export type UnresolvedReason =
  /** The ID belongs to a package none of the tables contains (usually the framework, 0x01). */
  | 'external-package'
  /** The package is here but has no such entry (in the default configuration either). */
  | 'missing-entry';

export interface ResolvedValue {
  /** The final value: not a reference unless `unresolved` says why. */
  value: TypedValue;
  /** Every ID visited, starting with the one asked for. */
  chain: number[];
  /** Configuration (qualifiers) the final value came from; '' is the default. */
  config: string;
  /** The last entry read, when there was one (its offset is evidence). */
  entry?: ResourceEntry;
  /** For complex resources (arrays, styles): the bag instead of a simple value. */
  bag?: ResourceBag;
  unresolved?: UnresolvedReason;
}

export interface ConfigValue {
  config: string;
  entry: ResourceEntry;
  value?: TypedValue;
  bag?: ResourceBag;
}

export interface ResolveOptions {
  /** Qualifiers as printed by aapt (`zh-rCN`); an entry missing there falls back to the default. */
  config?: string;
}

/**
 * Over one table, or several: the app's table first, then e.g. the device's framework-res.apk
 * table so `@android:string/ok` resolves too. The first table holding a package ID wins.
 */
export class ResourceResolver {
  private readonly packagesById = new Map<number, { pkg: ResourcePackage; table: ResourceTable }>();
  private readonly packages: ResourcePackage[] = [];
  /** The app's own package: names of its resources are printed without a package prefix. */
  readonly ownPackage: ResourcePackage | undefined;
  private nameIndex: Map<string, number> | undefined;

  constructor(tables: ResourceTable | readonly ResourceTable[], options: { packageName?: string } = {}) {
    const list = Array.isArray(tables) ? (tables as readonly ResourceTable[]) : [tables as ResourceTable];
    for (const table of list) {
      for (const pkg of table.packages) {
        if (this.packagesById.has(pkg.id)) continue;
        this.packagesById.set(pkg.id, { pkg, table });
        this.packages.push(pkg);
      }
    }
    const first = list[0]?.packages ?? [];
    this.ownPackage =
      (options.packageName === undefined ? undefined : this.packages.find((pkg) => pkg.name === options.packageName)) ??
      first.find((pkg) => pkg.id === 0x7f) ??
      first[0];
  }

  /** `@bool/def_x`, `@com.other:string/y`; undefined when the table does not know the ID. */
  nameOf(id: number): string | undefined {
    const found = this.typeOf(id);
    if (!found) return undefined;
    const key = this.keyOf(found.type, id & 0xffff);
    if (key === undefined) return undefined;
    const prefix = found.pkg === this.ownPackage ? '' : `${found.pkg.name}:`;
    return `@${prefix}${found.type.name}/${key}`;
  }

  /** The ID of `type/name` (`bool`, `def_x`) in the own package, or in `packageName`. */
  lookup(type: string, name: string, packageName?: string): number | undefined {
    this.nameIndex ??= this.buildNameIndex();
    const pkg = packageName === undefined ? this.ownPackage : this.packages.find((candidate) => candidate.name === packageName);
    if (!pkg) return undefined;
    return this.nameIndex.get(`${pkg.id}:${type}/${name}`);
  }

  /** The entry for `id` in exactly the configuration `config` ('' = default). */
  entryIn(id: number, config = ''): ResourceEntry | undefined {
    const found = this.typeOf(id);
    if (!found) return undefined;
    for (const chunk of found.type.configs) {
      if (chunk.config.qualifiers !== config) continue;
      const entry = chunk.entry(id & 0xffff);
      if (entry) return entry;
    }
    return undefined;
  }

  /**
   * The entry a default device (en-US, mdpi, portrait, SDK 10000) would read for `id` when it has
   * no default value, with its qualifiers; undefined when no configuration matches that device.
   */
  deviceEntry(id: number): { entry: ResourceEntry; config: string } | undefined {
    const found = this.typeOf(id);
    if (!found) return undefined;
    let best: { entry: ResourceEntry; chunk: ResourceType['configs'][number] } | undefined;
    for (const chunk of found.type.configs) {
      const entry = chunk.entry(id & 0xffff);
      if (!entry || !matchesDevice(chunk.config)) continue;
      if (best === undefined || betterForDevice(chunk.config, best.chunk.config)) best = { entry, chunk };
    }
    return best === undefined ? undefined : { entry: best.entry, config: best.chunk.config.qualifiers };
  }

  /** Every configuration's value of `id`, in table order. */
  valuesByConfig(id: number): ConfigValue[] {
    const found = this.typeOf(id);
    if (!found) return [];
    const out: ConfigValue[] = [];
    for (const chunk of found.type.configs) {
      const entry = chunk.entry(id & 0xffff);
      if (!entry) continue;
      const item: ConfigValue = { config: chunk.config.qualifiers, entry };
      if (entry.value) item.value = entry.value;
      if (entry.bag) item.bag = entry.bag;
      out.push(item);
    }
    return out;
  }

  /**
   * Follows references from `id` to a final value in the requested configuration (default: the
   * default configuration), falling back to the default configuration where the requested one
   * has no entry (an exact qualifier match), and where there is no default value either, to the
   * configuration a default device would use (Android's best match). A loop is an
   * InputError; a reference the tables cannot follow (framework, missing entry) is returned with
   * `unresolved` set.
   */
  resolve(id: number, options: ResolveOptions = {}): ResolvedValue {
    return this.follow({ type: ValueType.REFERENCE, data: id }, options);
  }

  /** Like `resolve`, starting from a value (an attribute's); non-references come back as they are. */
  resolveValue(value: TypedValue, options: ResolveOptions = {}): ResolvedValue {
    return this.follow(value, options);
  }

  /** A value as text, references named (`@bool/def_x`) rather than numbered. */
  format(value: TypedValue): string {
    return formatTypedValue(value, { resolveReference: (target) => this.nameOf(target) });
  }

  private follow(start: TypedValue, options: ResolveOptions): ResolvedValue {
    const wanted = options.config ?? '';
    const chain: number[] = [];
    let value = start;
    let config = '';
    let entry: ResourceEntry | undefined;
    while (isReference(value) && value.data !== 0) {
      const id = value.data >>> 0;
      if (chain.includes(id)) this.loop(chain, id, entry);
      if (chain.length >= MAX_REFERENCE_CHAIN) this.loop(chain, id, entry, `longer than ${MAX_REFERENCE_CHAIN} references`);
      chain.push(id);
      if (!this.packagesById.has(id >>> 24)) return { value, chain, config, ...(entry ? { entry } : {}), unresolved: 'external-package' };
      let next = this.entryIn(id, wanted);
      config = wanted;
      if (!next && wanted !== '') {
        next = this.entryIn(id, '');
        config = '';
      }
      if (!next) {
        // No default value: the one a default device would see, as Android picks it.
        const best = this.deviceEntry(id);
        if (best !== undefined) ({ entry: next, config } = best);
      }
      if (!next) return { value, chain, config, ...(entry ? { entry } : {}), unresolved: 'missing-entry' };
      entry = next;
      if (next.bag) return { value, chain, config, entry, bag: next.bag };
      value = next.value ?? { type: ValueType.NULL, data: 0 };
    }
    return { value, chain, config, ...(entry ? { entry } : {}) };
  }

  private loop(chain: number[], id: number, entry: ResourceEntry | undefined, why = 'reference loop'): never {
    const names = [...chain, id].map((item) => this.nameOf(item) ?? `@${formatResourceId(item)}`).join(' → ');
    const holder = this.packagesById.get(id >>> 24) ?? this.packagesById.values().next().value;
    const where = holder?.table.where ?? { file: 'unknown', member: 'resources.arsc' };
    throw new InputError(`${why}: ${names}`, {
      file: where.file,
      format: `${where.container ?? 'apk'} › ${where.member} › reference ${hex(chain[0] ?? id, 8)}`,
      offset: entry?.offset,
      expected: 'references that end in a value',
    });
  }

  private typeOf(id: number): { pkg: ResourcePackage; type: ResourceType } | undefined {
    const pkg = this.packagesById.get(id >>> 24)?.pkg;
    const type = pkg?.types.get((id >>> 16) & 0xff);
    return pkg && type ? { pkg, type } : undefined;
  }

  private keyOf(type: ResourceType, index: number): string | undefined {
    for (const chunk of type.configs) {
      const entry = chunk.entry(index);
      if (entry) return entry.key;
    }
    return undefined;
  }

  private buildNameIndex(): Map<string, number> {
    const index = new Map<string, number>();
    for (const pkg of this.packages) {
      for (const type of pkg.types.values()) {
        for (const chunk of type.configs) {
          for (const entry of chunk.entries()) {
            const name = `${pkg.id}:${type.name}/${entry.key}`;
            if (!index.has(name)) index.set(name, entry.id);
          }
        }
      }
    }
    return index;
  }
}
