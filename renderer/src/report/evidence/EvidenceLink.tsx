import { pathWithLine } from '../../text/verdictText.js';
import { DevicePath } from '../DevicePath.js';
import { useEvidenceViewer, type EvidenceSide } from './evidenceViewer.js';

const SIDE_WORDS: Record<EvidenceSide, string> = { old: 'old build', new: 'new build' };

interface EvidenceLinkProps {
  side: EvidenceSide;
  path: string;
  line?: number | undefined;
  detail?: string | undefined;
  testId?: string;
}

/** A device path that opens the file at the cited line; plain text where the result has no text of it. */
export function EvidenceLink({ side, path, line, detail, testId }: EvidenceLinkProps) {
  const viewer = useEvidenceViewer();
  if (viewer === null || !viewer.has(side, path)) return <DevicePath path={path} line={line} testId={testId} />;
  return (
    <button
      type="button"
      className="link-button evidence-link"
      data-testid="evidence-open"
      data-side={side}
      aria-label={`Show ${pathWithLine(path, line)} in the ${SIDE_WORDS[side]}`}
      onClick={() => viewer.open({ side, path, line, detail })}
    >
      <DevicePath path={path} line={line} testId={testId} />
    </button>
  );
}
