/** Kinds of lines in a unified diff, as the text diff view marks them. */
export type DiffLineKind = 'header' | 'hunk' | 'added' | 'removed' | 'context' | 'note';

export interface DiffLine {
  kind: DiffLineKind;
  /** The line exactly as in the patch, its `+`, `-` or space prefix included. */
  text: string;
}

export interface DiffCounts {
  added: number;
  removed: number;
}

/**
 * Classifies each line of a unified diff. Before the first hunk everything is header (`===`,
 * `---`, `+++`); inside hunks the first character says what the line is, so a content line that
 * itself starts with `--` is never mistaken for a header.
 */
export function classifyDiffLines(patch: string): DiffLine[] {
  const lines = patch.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let inHunk = false;
  return lines.map((text): DiffLine => {
    if (text.startsWith('@@')) {
      inHunk = true;
      return { kind: 'hunk', text };
    }
    if (!inHunk) return { kind: 'header', text };
    switch (text[0]) {
      case '+':
        return { kind: 'added', text };
      case '-':
        return { kind: 'removed', text };
      case '\\':
        return { kind: 'note', text };
      default:
        return { kind: 'context', text };
    }
  });
}

export function countDiffLines(lines: readonly DiffLine[]): DiffCounts {
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.kind === 'added') added++;
    else if (line.kind === 'removed') removed++;
  }
  return { added, removed };
}
