import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ExpectedFile, ExpectedFileDiff, ExpectedPropertyDiff } from './sampleOracle.js';

/** What the report page shows, read from the DOM as text (textContent keeps whitespace exactly). */

export interface ShownProperty {
  kind: string;
  name: string;
  old: string | null;
  new: string | null;
}

export async function waitForReport(page: Page): Promise<void> {
  await page.getByTestId('report').waitFor({ state: 'visible' });
}

export type ViewName = 'summary' | 'apps' | 'settings' | 'files' | 'problems' | 'security';

/** Opens a view by its link in the view bar, as a user would, and waits until it shows. */
export async function showView(page: Page, view: ViewName): Promise<void> {
  await page.getByTestId(`view-link-${view}`).click();
  await page.getByTestId(`view-${view}`).waitFor({ state: 'visible' });
}

/** Opens one app's detail from the apps table by its package link. */
export async function openAppDetail(page: Page, packageName: string): Promise<void> {
  await showView(page, 'apps');
  await page.locator(`[data-testid="app-row"][data-package="${packageName}"] [data-testid="app-open"]`).click();
  await page.locator(`[data-testid="app-detail"][data-package="${packageName}"]`).waitFor({ state: 'visible' });
}

/** The rows of one list of the open app detail (e.g. `app-requested-permissions`) as `[change, name]`. */
export async function readAppDetailRows(page: Page, list: string): Promise<[string, string][]> {
  return page
    .getByTestId('app-detail')
    .getByTestId(`${list}-row`)
    .evaluateAll((rows) => rows.map((row): [string, string] => [row.getAttribute('data-kind') ?? '', row.getAttribute('data-name') ?? '']));
}

export async function readShownProperties(page: Page): Promise<ShownProperty[]> {
  return page.getByTestId('property-row').evaluateAll((rows) =>
    rows.map((row) => ({
      kind: row.getAttribute('data-kind') ?? '',
      name: row.querySelector('th')?.textContent ?? '',
      old: row.querySelector('[data-testid="property-old"]')?.textContent ?? null,
      new: row.querySelector('[data-testid="property-new"]')?.textContent ?? null,
    })),
  );
}

export async function readShownPaths(page: Page, kind: 'added' | 'removed' | 'changed'): Promise<string[]> {
  const list = page.getByTestId(`files-${kind}`);
  if ((await list.count()) === 0) return [];
  return list.getByTestId('file-path').allTextContents();
}

/** Each listed file with the exact sizes the page carries (`data-size`), null for a link or a missing side. */
export async function readShownFiles(page: Page, kind: 'added' | 'removed' | 'changed'): Promise<ExpectedFile[]> {
  const list = page.getByTestId(`files-${kind}`);
  if ((await list.count()) === 0) return [];
  return list.getByTestId('file-row').evaluateAll(
    (rows, side) =>
      rows.map((row) => {
        const sizes = Array.from(row.querySelectorAll('[data-size]')).map((element) => {
          const size = element.getAttribute('data-size');
          return size === 'link' || size === null ? null : Number(size);
        });
        const [first = null, second = null] = sizes;
        return {
          path: row.querySelector('[data-testid="file-path"]')?.textContent ?? '',
          oldSize: side === 'added' ? null : first,
          newSize: side === 'removed' ? null : side === 'added' ? first : second,
        };
      }),
    kind,
  );
}

export async function readCell(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).textContent()) ?? '';
}

/** The page lists exactly the expected changes, each with its exact old and new value. */
export async function expectPropertiesShown(page: Page, expected: ExpectedPropertyDiff): Promise<void> {
  const byName = (a: ShownProperty, b: ShownProperty) => (a.kind + a.name < b.kind + b.name ? -1 : 1);
  const want: ShownProperty[] = [
    ...[...expected.changed].map(([name, values]) => ({ kind: 'changed', name, old: values.old, new: values.new })),
    ...[...expected.added].map(([name, value]) => ({ kind: 'added', name, old: null, new: value })),
    ...[...expected.removed].map(([name, value]) => ({ kind: 'removed', name, old: value, new: null })),
  ];
  expect(want.length, 'the sample pair should differ in some properties').toBeGreaterThan(0);
  expect((await readShownProperties(page)).sort(byName)).toEqual(want.sort(byName));
  for (const { name } of want) {
    expect(await page.locator(`[data-testid="property-row"][data-name="${name}"]`).isVisible(), `${name} visible`).toBe(true);
  }
}

export async function expectFilesShown(page: Page, expected: ExpectedFileDiff): Promise<void> {
  for (const kind of ['added', 'removed', 'changed'] as const) {
    const byPath = (a: ExpectedFile, b: ExpectedFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    expect((await readShownFiles(page, kind)).sort(byPath), `files ${kind}`).toEqual(expected[kind]);
    expect(await readCell(page, `files-${kind}-count`), `files ${kind} count`).toBe(expected[kind].length.toLocaleString('en-US'));
  }
}

/** A feature's verdict card as shown: change, both states, and each side's evidence paths. */
export interface ShownVerdict {
  change: string | null;
  badge: string;
  old: string;
  new: string;
  summary: string;
  reachNote: string | null;
  oldEvidence: string[];
  newEvidence: string[];
}

export async function readVerdictCard(page: Page, featureId: string): Promise<ShownVerdict> {
  const card = page.locator(`[data-testid="feature-card"][data-feature="${featureId}"]`);
  expect(await card.count(), `one card for ${featureId}`).toBe(1);
  const reach = card.getByTestId('feature-reach-note');
  const evidencePaths = (side: 'old' | 'new') => card.getByTestId(`evidence-${side}`).getByTestId('evidence-path').allTextContents();
  return {
    change: await card.getAttribute('data-change'),
    badge: (await card.getByTestId('feature-change').textContent()) ?? '',
    old: (await card.getByTestId('feature-old-state').textContent()) ?? '',
    new: (await card.getByTestId('feature-new-state').textContent()) ?? '',
    summary: (await card.getByTestId('feature-summary').textContent()) ?? '',
    reachNote: (await reach.count()) === 0 ? null : await reach.textContent(),
    oldEvidence: await evidencePaths('old'),
    newEvidence: await evidencePaths('new'),
  };
}
