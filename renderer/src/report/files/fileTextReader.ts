import { createContext, useContext } from 'react';
import type { EvidenceSide } from '../evidence/evidenceViewer.js';

/**
 * Reads a file of a compared package again and shows its text (the app window only: a static
 * report has no packages behind it). Resolves null once shown, or why it could not be.
 */
export type FileTextReader = (side: EvidenceSide, path: string) => Promise<string | null>;

export const FileTextReaderContext = createContext<FileTextReader | null>(null);

export function useFileTextReader(): FileTextReader | null {
  return useContext(FileTextReaderContext);
}
