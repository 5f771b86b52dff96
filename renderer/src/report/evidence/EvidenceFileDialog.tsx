import { useEffect, useMemo, useRef } from 'react';
import type { ComparisonResult } from '../../../../shared/model.js';
import { pathWithLine } from '../../text/verdictText.js';
import { fileHash } from '../views/inspectorViews.js';
import { splitLines, type EvidenceTarget } from './evidenceViewer.js';

interface EvidenceFileDialogProps {
  files: ComparisonResult['evidenceFiles'];
  target: EvidenceTarget;
  /** The file changed between the builds: offer its side-by-side diff in the Files view. */
  inFiles: boolean;
  onClose: () => void;
}

const SIDE_TITLES = { old: 'Old build', new: 'New build' } as const;

/** The full text of a cited file, in a modal dialog, with the cited line marked and scrolled into view. */
export function EvidenceFileDialog({ files, target, inFiles, onClose }: EvidenceFileDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const citedRef = useRef<HTMLSpanElement>(null);
  const text = files[target.side][target.path];
  const lines = useMemo(() => (text === undefined ? [] : splitLines(text)), [text]);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog === null) return;
    if (!dialog.open) dialog.showModal();
    citedRef.current?.scrollIntoView({ block: 'center' });
  }, [target]);

  const numberWidth = String(lines.length).length;
  return (
    <dialog
      ref={dialogRef}
      className="file-dialog"
      aria-labelledby="file-dialog-title"
      data-testid="evidence-file"
      data-side={target.side}
      data-path={target.path}
      onClose={onClose}
    >
      <div className="file-dialog-head">
        <div>
          <p className="eyebrow">{SIDE_TITLES[target.side]}</p>
          <h2 id="file-dialog-title" className="mono device-path" data-testid="evidence-file-title">
            {pathWithLine(target.path, target.line)}
          </h2>
          {target.detail !== undefined && (
            <p className="file-dialog-detail" data-testid="evidence-file-detail">
              {target.detail}
            </p>
          )}
          {inFiles && (
            <p className="file-dialog-detail">
              <a href={fileHash(target.path)} data-testid="evidence-show-in-files" onClick={() => dialogRef.current?.close()}>
                Compare this file with the other build in Files
              </a>
            </p>
          )}
        </div>
        <button type="button" onClick={() => dialogRef.current?.close()} autoFocus>
          Close
        </button>
      </div>
      {text === undefined ? (
        <p className="empty">The text of this file is not part of this result.</p>
      ) : (
        <pre className="file-text" data-testid="evidence-file-text" tabIndex={0} aria-label={`Text of ${target.path}`}>
          {lines.map((line, index) => {
            const number = index + 1;
            const cited = number === target.line;
            return (
              <span
                key={number}
                ref={cited ? citedRef : undefined}
                className={cited ? 'file-line file-line-cited' : 'file-line'}
                data-line={number}
                data-testid={cited ? 'evidence-cited-line' : undefined}
                aria-current={cited ? 'true' : undefined}
              >
                <span className="line-number" aria-hidden="true">
                  {String(number).padStart(numberWidth, ' ')}
                </span>
                {cited && <span className="visually-hidden">Cited line {number}: </span>}
                <span className="line-text">{line}</span>
                {'\n'}
              </span>
            );
          })}
        </pre>
      )}
    </dialog>
  );
}
