import type { SettingDefault } from '../../../shared/inventory.js';
import { compareStrings } from '../../../shared/sort.js';
import type { NamedResourceValue } from '../android/resourceValues.js';

export interface SettingsSource {
  /** Device path of the APK. */
  path: string;
  package: string;
  values: ReadonlyMap<string, NamedResourceValue>;
}

export interface OverlaySource extends SettingsSource {
  priority: number | null;
}

/**
 * SettingsProvider's `def_*` defaults with resource overlays applied as the platform applies
 * them: in order of priority (lowest first, so the highest wins; ties by path), each replacing
 * the resources it defines by name. Names the provider does not define are ignored, as an overlay
 * can only replace existing resources.
 */
export function settingsDefaults(provider: SettingsSource | null, overlays: readonly OverlaySource[]): SettingDefault[] {
  if (provider === null) return [];
  const ordered = [...overlays].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0) || compareStrings(a.path, b.path));
  const settings: SettingDefault[] = [];
  for (const [name, base] of [...provider.values].sort(([a], [b]) => compareStrings(a, b))) {
    const setting: SettingDefault = { name, type: base.type, value: base.value, source: provider.path, base: base.value, layers: [{ source: provider.path, value: base.value }] };
    for (const overlay of ordered) {
      const replaced = overlay.values.get(name);
      if (replaced === undefined || replaced.type !== base.type) continue;
      setting.value = replaced.value;
      setting.source = overlay.path;
      setting.overlay = { package: overlay.package, priority: overlay.priority };
      setting.layers.push({ source: overlay.path, value: replaced.value });
    }
    settings.push(setting);
  }
  return settings;
}
