import type { FileChange } from '../../../shared/model.js';
import { formatBytes, formatExactBytes } from '../text/format.js';
import { ShowAllButton } from './ShowAllButton.js';
import { useLimitedList } from './useLimitedList.js';

export type FileChangeKind = 'added' | 'removed' | 'changed';

interface PathListProps {
  kind: FileChangeKind;
  title: string;
  files: readonly FileChange[];
}

function Size({ bytes }: { bytes: number | null }) {
  if (bytes === null) {
    return (
      <span title="Not a regular file (a symbolic link)" data-size="link">
        link
      </span>
    );
  }
  return (
    <span title={formatExactBytes(bytes)} data-size={bytes}>
      {formatBytes(bytes)}
    </span>
  );
}

/** The size on the side(s) where the file exists: `12.0 KB → 12.3 KB` for a changed one. */
function Sizes({ kind, file }: { kind: FileChangeKind; file: FileChange }) {
  return (
    <span className="file-size" data-testid="file-size">
      {kind !== 'added' && <Size bytes={file.oldSize} />}
      {kind === 'changed' && (
        <>
          {' '}
          <span role="img" aria-label="to">
            →
          </span>{' '}
        </>
      )}
      {kind !== 'removed' && <Size bytes={file.newSize} />}
    </span>
  );
}

export function PathList({ kind, title, files }: PathListProps) {
  const { visible, hiddenCount, showAll } = useLimitedList(files);
  const headingId = `files-${kind}-heading`;
  return (
    <section className={`subsection kind-${kind}`} aria-labelledby={headingId}>
      <h3 id={headingId}>
        <span className="kind-tag">{title}</span> <span className="count">({files.length.toLocaleString('en-US')})</span>
      </h3>
      {files.length === 0 ? (
        <p className="empty">No files {kind}.</p>
      ) : (
        <ul className="paths file-list" data-testid={`files-${kind}`}>
          {visible.map((file) => (
            <li key={file.path} data-testid="file-row">
              <span className="mono" data-testid="file-path">
                {file.path}
              </span>{' '}
              <Sizes kind={kind} file={file} />
            </li>
          ))}
        </ul>
      )}
      <ShowAllButton shown={visible.length} hiddenCount={hiddenCount} noun={['file', 'files']} onShowAll={showAll} />
    </section>
  );
}
