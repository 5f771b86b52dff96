import type { PreferenceDefault } from '../../../../shared/app.js';

type DefaultFields = Pick<PreferenceDefault, 'defaultValue' | 'defaultSource' | 'defaultResource'>;

/** A preference default and where it comes from, in words: `true (from @bool/def_on)`. */
export function describePreferenceDefault(preference: DefaultFields): string {
  const value = preference.defaultValue ?? 'none';
  switch (preference.defaultSource) {
    case 'literal':
      return `${value} (written in the XML)`;
    case 'resource':
      return `${value} (from ${preference.defaultResource ?? 'a resource'})`;
    case 'implicit':
      return preference.defaultValue === null ? 'none (no default given)' : `${value} (no default given)`;
    default:
      return value;
  }
}
