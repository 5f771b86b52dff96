import { createTwoFilesPatch } from 'diff';
import type { TextDiff } from './appDiff.js';

const CONTEXT_LINES = 3;

/** A unified diff of two versions of one text, labelled with its device path(s); null when equal. */
export function textDiff(oldPath: string, newPath: string, oldText: string, newText: string): TextDiff | null {
  if (oldText === newText) return null;
  const patch = createTwoFilesPatch(oldPath, newPath, oldText, newText, 'old build', 'new build', { context: CONTEXT_LINES });
  return { path: newPath, patch };
}
