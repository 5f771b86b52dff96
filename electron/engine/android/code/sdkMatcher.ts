/**
 * Matches the classes an app defines against the SDK knowledge base (shared/sdks.ts): a class is
 * an SDK's when one of its enclosing packages is an SDK package prefix, or when it (or the class
 * it is nested in) is an SDK class name. Each package of a class name is one map lookup.
 */
import type { SdkFound } from '../../../../shared/app.js';
import { SDKS, type SdkDefinition } from '../../../../shared/sdks.js';
import { compareStrings } from '../../../../shared/sort.js';

interface SdkIndex {
  /** `com.umeng.analytics` → the SDKs whose prefix is that package. */
  packages: Map<string, SdkDefinition[]>;
  /** `com.facebook.CampaignTrackingReceiver` → the SDKs naming that class. */
  classes: Map<string, SdkDefinition[]>;
}

function buildIndex(definitions: readonly SdkDefinition[]): SdkIndex {
  const index: SdkIndex = { packages: new Map(), classes: new Map() };
  for (const definition of definitions) {
    for (const prefix of definition.prefixes) {
      const [map, key] = prefix.endsWith('.') ? [index.packages, prefix.slice(0, -1)] : [index.classes, prefix];
      map.set(key, [...(map.get(key) ?? []), definition]);
    }
  }
  return index;
}

const DEFAULT_INDEX = buildIndex(SDKS);

interface Match {
  definition: SdkDefinition;
  className: string;
  dexFile: string;
  classCount: number;
}

export class SdkMatcher {
  private readonly matches = new Map<string, Match>();
  private readonly index: SdkIndex;

  constructor(definitions?: readonly SdkDefinition[]) {
    this.index = definitions === undefined ? DEFAULT_INDEX : buildIndex(definitions);
  }

  /** A class the app defines, e.g. `com.umeng.analytics.MobclickAgent`, in `dexFile`. */
  addClass(className: string, dexFile: string): void {
    for (const definition of this.sdksOf(className)) this.record(definition, className, dexFile, 1);
  }

  /** SDKs another reading of the app found, so two readings merge. */
  addFound(found: readonly SdkFound[]): void {
    const byId = new Map(SDKS.map((definition) => [definition.id, definition]));
    for (const sdk of found) {
      const definition = byId.get(sdk.id) ?? { id: sdk.id, name: sdk.name, vendor: '', category: sdk.category, prefixes: [], sources: [] };
      this.record(definition, sdk.evidence.className, sdk.evidence.dexFile, sdk.classCount);
    }
  }

  private sdksOf(className: string): SdkDefinition[] {
    const found: SdkDefinition[] = [];
    for (let dot = className.indexOf('.'); dot >= 0; dot = className.indexOf('.', dot + 1)) {
      found.push(...(this.index.packages.get(className.slice(0, dot)) ?? []));
    }
    const outer = className.includes('$') ? className.slice(0, className.indexOf('$')) : className;
    found.push(...(this.index.classes.get(outer) ?? []));
    return found;
  }

  private record(definition: SdkDefinition, className: string, dexFile: string, count: number): void {
    const match = this.matches.get(definition.id);
    if (match === undefined) {
      this.matches.set(definition.id, { definition, className, dexFile, classCount: count });
      return;
    }
    match.classCount += count;
    if (compareStrings(className, match.className) < 0) {
      match.className = className;
      match.dexFile = dexFile;
    }
  }

  /** The SDKs found, sorted by id, each with its first class by name as evidence. */
  result(): SdkFound[] {
    return [...this.matches.values()]
      .sort((a, b) => compareStrings(a.definition.id, b.definition.id))
      .map(({ definition, className, dexFile, classCount }) => ({ id: definition.id, name: definition.name, category: definition.category, evidence: { className, dexFile }, classCount }));
  }
}
