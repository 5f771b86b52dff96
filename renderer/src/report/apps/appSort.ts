import type { AppRef } from '../../../../shared/appDiff.js';

export type AppSortKey = 'package' | 'label' | 'partition' | 'version';

export interface AppSort {
  key: AppSortKey;
  ascending: boolean;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function sortValue(app: AppRef, key: AppSortKey): string {
  switch (key) {
    case 'package':
      return app.package;
    case 'label':
      return app.label ?? '';
    case 'partition':
      return app.partition;
    case 'version':
      return app.versionCode === null ? (app.versionName ?? '') : String(app.versionCode);
  }
}

/** A sorted copy; missing labels and versions sort last either way, ties fall back to the package name. */
export function sortApps(apps: readonly AppRef[], sort: AppSort): AppRef[] {
  const direction = sort.ascending ? 1 : -1;
  return [...apps].sort((a, b) => {
    const left = sortValue(a, sort.key);
    const right = sortValue(b, sort.key);
    if (left === '' || right === '') return Number(left === '') - Number(right === '') || collator.compare(a.package, b.package);
    return direction * collator.compare(left, right) || collator.compare(a.package, b.package);
  });
}
