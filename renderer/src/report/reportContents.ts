import type { ComparisonResult } from '../../../shared/model.js';

export interface ContentsEntry {
  /** The section's element id, for `#id` links. */
  id: string;
  title: string;
  /** How many changes the section lists; null where a count would mean nothing. */
  count: number | null;
}

const sum = (...lists: readonly (readonly unknown[])[]): number => lists.reduce((total, list) => total + list.length, 0);

/** The report's sections in page order, with their counts; claims and problems only when present. */
export function reportContents(result: ComparisonResult): ContentsEntry[] {
  const { apps, properties, settings, permissionGrants, sysconfig, initServices, files, problems } = result;
  const entries: (ContentsEntry | null)[] = [
    { id: 'verdicts', title: 'Privacy defaults', count: null },
    result.features.length > 0 ? { id: 'check-claim', title: 'Check a claim', count: null } : null,
    result.claims !== undefined && result.claims.length > 0 ? { id: 'claims', title: 'Claims checked', count: result.claims.length } : null,
    { id: 'other-defaults', title: 'Other default changes', count: result.otherDefaultChanges.length },
    { id: 'builds', title: 'Builds', count: null },
    { id: 'apps', title: 'Apps', count: sum(apps.added, apps.removed, apps.changed) },
    { id: 'settings', title: 'Settings defaults', count: sum(settings.added, settings.removed, settings.changed) },
    { id: 'grants', title: 'Permission grants', count: sum(permissionGrants.added, permissionGrants.removed) },
    { id: 'sysconfig', title: 'System configuration', count: sum(sysconfig.added, sysconfig.removed) },
    { id: 'init-services', title: 'Init services', count: sum(initServices.added, initServices.removed, initServices.changed) },
    { id: 'properties', title: 'Properties', count: sum(properties.added, properties.removed, properties.changed) },
    { id: 'files', title: 'Files', count: sum(files.added, files.removed, files.changed) },
    sum(files.added, files.removed, files.changed) + result.textDiffs.length > 0 ? { id: 'file-browser', title: 'Browse changed files', count: null } : null,
    { id: 'text-diffs', title: 'Text differences', count: result.textDiffs.length },
    problems.old.length + problems.new.length > 0 ? { id: 'problems', title: 'Problems', count: sum(problems.old, problems.new) } : null,
  ];
  return entries.filter((entry): entry is ContentsEntry => entry !== null);
}
