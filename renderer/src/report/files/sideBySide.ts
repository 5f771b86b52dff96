import { classifyDiffLines } from '../../text/unifiedDiff.js';

export interface DiffCell {
  /** 1-based line number on that side. */
  number: number;
  text: string;
  kind: 'context' | 'removed' | 'added';
}

export type SideBySideRow = { kind: 'hunk'; text: string } | { kind: 'lines'; old: DiffCell | null; new: DiffCell | null };

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/**
 * A unified diff as two columns: context on both sides, and each run of removed lines paired
 * row by row with the added lines that replace it, so a changed line sits beside its new form.
 */
export function sideBySide(patch: string): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let oldNumber = 0;
  let newNumber = 0;
  let removed: DiffCell[] = [];
  let added: DiffCell[] = [];
  const flush = () => {
    for (let index = 0; index < Math.max(removed.length, added.length); index++) {
      rows.push({ kind: 'lines', old: removed[index] ?? null, new: added[index] ?? null });
    }
    removed = [];
    added = [];
  };
  for (const line of classifyDiffLines(patch)) {
    switch (line.kind) {
      case 'hunk': {
        flush();
        const match = HUNK_HEADER.exec(line.text);
        oldNumber = Number(match?.[1] ?? 1);
        newNumber = Number(match?.[2] ?? 1);
        rows.push({ kind: 'hunk', text: line.text });
        break;
      }
      case 'removed':
        removed.push({ number: oldNumber++, text: line.text.slice(1), kind: 'removed' });
        break;
      case 'added':
        added.push({ number: newNumber++, text: line.text.slice(1), kind: 'added' });
        break;
      case 'context':
        flush();
        rows.push({
          kind: 'lines',
          old: { number: oldNumber++, text: line.text.slice(1), kind: 'context' },
          new: { number: newNumber++, text: line.text.slice(1), kind: 'context' },
        });
        break;
      default:
        break;
    }
  }
  flush();
  return rows;
}
