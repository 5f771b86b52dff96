import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ExpectedFileDiff, ExpectedPropertyDiff } from './sampleOracle.js';

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
    expect((await readShownPaths(page, kind)).sort(), `files ${kind}`).toEqual(expected[kind]);
    expect(await readCell(page, `files-${kind}-count`), `files ${kind} count`).toBe(expected[kind].length.toLocaleString('en-US'));
  }
}
