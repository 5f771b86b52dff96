import { useMemo, useState } from 'react';
import type { OtaLensApi } from '../../../../shared/api.js';
import type { ComparisonResult } from '../../../../shared/model.js';
import type { FileTextReader } from '../files/fileTextReader.js';
import type { EvidenceTarget, EvidenceViewer } from './evidenceViewer.js';

export interface FileViewer {
  /** For evidence links: what can be opened, and where it lives. */
  viewer: EvidenceViewer;
  /** Reads a file of a package again in the window; null in a static report. */
  reader: FileTextReader | null;
  /** The texts the file view can show: the evidence's, and those read on request. */
  texts: ComparisonResult['evidenceFiles'];
  /** The file shown, or null. */
  target: EvidenceTarget | null;
  close: () => void;
}

/** The state behind the one file view: evidence opened from verdicts, files read again from the packages. */
export function useFileViewer(result: ComparisonResult, readFileText: OtaLensApi['readFileText'] | undefined): FileViewer {
  const [target, setTarget] = useState<EvidenceTarget | null>(null);
  const [readTexts, setReadTexts] = useState<ComparisonResult['evidenceFiles']>({ old: {}, new: {} });
  const texts = useMemo(
    () => ({ old: { ...result.evidenceFiles.old, ...readTexts.old }, new: { ...result.evidenceFiles.new, ...readTexts.new } }),
    [result, readTexts],
  );
  const reader = useMemo<FileTextReader | null>(() => {
    if (readFileText === undefined) return null;
    return async (side, path) => {
      const outcome = await readFileText(side, path);
      if (!outcome.ok) return outcome.message;
      setReadTexts((current) => ({ ...current, [side]: { ...current[side], [path]: outcome.file.text } }));
      setTarget({ side, path, detail: outcome.file.decoded ? 'Binary XML, decoded by OTA Lens.' : undefined });
      return null;
    };
  }, [readFileText]);
  const viewer = useMemo<EvidenceViewer>(() => {
    const { added, removed, changed } = result.files;
    const filesShown = new Set([...added, ...removed, ...changed].map((file) => file.path).concat(result.textDiffs.map((diff) => diff.path)));
    const appsByPath = {
      old: new Map(result.apps.profiles.old.map((app) => [app.path, app])),
      new: new Map(result.apps.profiles.new.map((app) => [app.path, app])),
    };
    return {
      open: setTarget,
      has: (side, path) => Object.hasOwn(texts[side], path),
      inFiles: (path) => filesShown.has(path),
      appAt: (side, apkPath) => appsByPath[side].get(apkPath) ?? null,
    };
  }, [result, texts]);
  return { viewer, reader, texts, target, close: () => setTarget(null) };
}
