import { pathWithLine } from '../../text/verdictText.js';
import { DevicePath } from '../DevicePath.js';
import { fileHash } from '../views/inspectorViews.js';
import { useEvidenceViewer, type EvidenceSide } from './evidenceViewer.js';

const SIDE_WORDS: Record<EvidenceSide, string> = { old: 'old build', new: 'new build' };

interface EvidenceLinkProps {
  side: EvidenceSide;
  path: string;
  line?: number | undefined;
  detail?: string | undefined;
  testId?: string;
}

/**
 * A device path that opens the file at the cited line; where the result has no text of it but the
 * file changed, a link to its diff in Files; else plain text.
 */
export function EvidenceLink({ side, path, line, detail, testId }: EvidenceLinkProps) {
  const viewer = useEvidenceViewer();
  if (viewer === null) return <DevicePath path={path} line={line} testId={testId} />;
  if (!viewer.has(side, path)) {
    if (!viewer.inFiles(path)) return <DevicePath path={path} line={line} testId={testId} />;
    return (
      <a href={fileHash(path)} className="evidence-link" data-testid="evidence-in-files" aria-label={`Show the changes of ${pathWithLine(path, line)} in Files`}>
        <DevicePath path={path} line={line} testId={testId} />
      </a>
    );
  }
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
