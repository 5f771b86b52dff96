import type { ComparisonResult } from '../../../../shared/model.js';

/** The inspector's views; each shows some of the report's sections, the summary first. */
export type ViewId = 'summary' | 'apps' | 'settings' | 'files' | 'problems' | 'security';

export interface InspectorView {
  id: ViewId;
  title: string;
  /** How many changes the view lists; null where a count would mean nothing. */
  count: number | null;
  /** Element ids of the sections the view shows, in page order. */
  sections: readonly string[];
}

const sum = (...lists: readonly (readonly unknown[])[]): number => lists.reduce((total, list) => total + list.length, 0);

/** The views of one comparison; Problems only when something could not be read. */
export function inspectorViews(result: ComparisonResult): InspectorView[] {
  const { apps, properties, settings, permissionGrants, sysconfig, initServices, files, problems } = result;
  const summarySections = [
    ...(result.security?.findings.some((finding) => finding.severity === 'serious') === true ? ['security-alert'] : []),
    'verdicts',
    ...(result.features.length > 0 || result.claimableKeys.length > 0 ? ['check-claim'] : []),
    ...((result.claims?.length ?? 0) + (result.keyClaims?.length ?? 0) > 0 ? ['claims'] : []),
    'other-defaults',
    'builds',
  ];
  const views: InspectorView[] = [
    { id: 'summary', title: 'Summary', count: null, sections: summarySections },
    {
      id: 'security',
      title: 'Security',
      count: result.security === undefined ? null : result.security.findings.filter((finding) => finding.severity !== 'info').length,
      sections: ['security-findings', 'security-flags', 'security-services', 'security-selinux', 'security-avb'],
    },
    { id: 'apps', title: 'Apps', count: sum(apps.added, apps.removed, apps.changed), sections: ['apps'] },
    {
      id: 'settings',
      title: 'Settings & properties',
      count: sum(settings.added, settings.removed, settings.changed, permissionGrants.added, permissionGrants.removed, sysconfig.added, sysconfig.removed) +
        sum(initServices.added, initServices.removed, initServices.changed, properties.added, properties.removed, properties.changed) +
        sum(result.flags.added, result.flags.removed, result.flags.changed),
      sections: ['settings', 'grants', 'sysconfig', 'init-services', 'properties', 'flags'],
    },
    { id: 'files', title: 'Files', count: sum(files.added, files.removed, files.changed), sections: ['file-browser', 'files', 'text-diffs'] },
  ];
  if (problems.old.length + problems.new.length > 0) views.push({ id: 'problems', title: 'Problems', count: sum(problems.old, problems.new), sections: ['problems'] });
  return views;
}

/** Where the inspector is: a view, and in Apps one app's detail or in Files one file. */
export interface InspectorRoute {
  view: ViewId;
  /** Package shown in detail, in the Apps view. */
  app?: string;
  /** Device path picked in the tree, in the Files view. */
  file?: string;
  /** A section to scroll to, when the address named a section rather than a view. */
  section?: string;
}

/**
 * Reads `#/apps`, `#/apps/com.android.mms`, `#/files/%2Fsystem%2Fbuild.prop` or a section's `#id`
 * (which opens the view holding it).
 * Anything else is the summary, so a stale or mistyped address still shows the answer.
 */
export function parseRoute(hash: string, views: readonly InspectorView[]): InspectorRoute {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text.startsWith('/')) {
    const [viewId = '', ...rest] = text.slice(1).split('/');
    const view = views.find((candidate) => candidate.id === viewId);
    if (view === undefined) return { view: 'summary' };
    const detail = rest.length > 0 ? safeDecode(rest.join('/')) : '';
    if (detail === '') return { view: view.id };
    if (view.id === 'apps') return { view: 'apps', app: detail };
    if (view.id === 'files' && detail.startsWith('/')) return { view: 'files', file: detail };
    return { view: view.id };
  }
  const holder = views.find((view) => view.sections.includes(text));
  return holder === undefined ? { view: 'summary' } : { view: holder.id, section: text };
}

export function routeHash(route: InspectorRoute): string {
  if (route.section !== undefined) return `#${route.section}`;
  const detail = route.app ?? route.file;
  return detail === undefined ? `#/${route.view}` : `#/${route.view}/${encodeURIComponent(detail)}`;
}

/** The address of one app's detail view. */
export function appDetailHash(packageName: string): string {
  return routeHash({ view: 'apps', app: packageName });
}

/** The address of one file in the Files view. */
export function fileHash(devicePath: string): string {
  return routeHash({ view: 'files', file: devicePath });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}
