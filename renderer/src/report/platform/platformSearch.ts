import type { GrantDiff, InitServiceDiff, SettingChange, SettingDiff, SysconfigDiff, ValueChange } from '../../../../shared/appDiff.js';
import { flagAddress, type FeatureFlag, type FlagDiff } from '../../../../shared/flags.js';
import type { InitService, PermissionGrant, SysconfigEntry } from '../../../../shared/inventory.js';
import type { PropertyChange, PropertyDiff } from '../../../../shared/model.js';

/** The lower-case words of a search; none means everything matches. */
export function searchWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter((word) => word !== '');
}

/** Whether every word appears in one of the texts (case-insensitive). */
export function matchesWords(texts: readonly (string | null | undefined)[], words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const haystack = texts.filter((text) => text !== null && text !== undefined).join('\n').toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export const GRANT_KINDS: Record<string, string> = {
  'default-permission': 'Granted by default',
  'privapp-permission': 'Privileged permission',
  'privapp-deny': 'Privileged permission denied',
};

// What each row is found by: its names, values and the file or APK that sets it.
export const settingTexts = (change: SettingChange) => [change.name, change.type, change.old, change.new, change.oldSource, change.newSource];
export const grantTexts = (grant: PermissionGrant) => [GRANT_KINDS[grant.kind] ?? grant.kind, grant.package, grant.permission, grant.file];
export const sysconfigTexts = (entry: SysconfigEntry) => [entry.kind, entry.package, entry.name, entry.file];
export const serviceTexts = (service: InitService) => [service.name, service.command, ...service.options, service.file];
export const propertyTexts = (change: PropertyChange) => [change.name, change.old, change.new, change.oldLayer, change.newLayer];
export const flagTexts = (flag: FeatureFlag | null) => (flag === null ? [] : [flagAddress(flag), flag.namespace, flag.state, flag.value, flag.permission, flag.description, flag.file]);

export interface PlatformDiffs {
  settings: SettingDiff;
  permissionGrants: GrantDiff;
  sysconfig: SysconfigDiff;
  initServices: InitServiceDiff;
  properties: PropertyDiff;
  /** Absent in results made before flags were read. */
  flags?: FlagDiff;
}

type Texts = readonly (string | null | undefined)[];

/** A changed init service is found by what either build says of it. */
export const serviceChangeTexts = (change: ValueChange<InitService>): Texts => [...serviceTexts(change.old), ...serviceTexts(change.new)];

/** How many rows of the Settings & properties view a search keeps, of how many. */
export function countPlatformMatches(diffs: PlatformDiffs, words: readonly string[]): { matching: number; total: number } {
  const { settings, permissionGrants, sysconfig, initServices, properties } = diffs;
  let matching = 0;
  let total = 0;
  const add = <T>(rows: readonly T[], textsOf: (row: T) => Texts) => {
    total += rows.length;
    matching += rows.filter((row) => matchesWords(textsOf(row), words)).length;
  };
  add([...settings.added, ...settings.removed, ...settings.changed], settingTexts);
  add([...permissionGrants.added, ...permissionGrants.removed], grantTexts);
  add([...sysconfig.added, ...sysconfig.removed], sysconfigTexts);
  add([...initServices.added, ...initServices.removed], serviceTexts);
  add(initServices.changed, serviceChangeTexts);
  add([...properties.added, ...properties.removed, ...properties.changed], propertyTexts);
  if (diffs.flags !== undefined) {
    add([...diffs.flags.added, ...diffs.flags.removed], flagTexts);
    add(diffs.flags.changed, (change) => [...flagTexts(change.old), ...flagTexts(change.new)]);
  }
  return { matching, total };
}
