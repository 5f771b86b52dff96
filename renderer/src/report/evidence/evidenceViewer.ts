import { createContext, useContext } from 'react';

export type EvidenceSide = 'old' | 'new';

/** A place to show: a file of one build, at a line when the evidence names one. */
export interface EvidenceTarget {
  side: EvidenceSide;
  path: string;
  line?: number | undefined;
  /** What the evidence says was found there, shown above the text. */
  detail?: string | undefined;
}

export interface EvidenceViewer {
  open(target: EvidenceTarget): void;
  /** Whether the result carries this file's text (only files some verdict cites do). */
  has(side: EvidenceSide, path: string): boolean;
  /** Whether the Files view lists this path as changed, added or removed (with its diff when it has one). */
  inFiles(path: string): boolean;
  /** The app whose APK is at this path on that side, when the Apps view lists it (added, removed or changed). */
  appAt(side: EvidenceSide, apkPath: string): { package: string; label: string | null } | null;
}

/** Opens the file view at a piece of evidence; null outside a report (nothing to open). */
export const EvidenceViewerContext = createContext<EvidenceViewer | null>(null);

export function useEvidenceViewer(): EvidenceViewer | null {
  return useContext(EvidenceViewerContext);
}

/** The file's lines, split once; `\r\n` and `\n` both end a line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  // A final newline ends the last line; it does not start an empty one.
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}
