import { describeFileType } from '../../../shared/fileTypes.js';
import type { DeviceNumbers, FileChange, FileType } from '../../../shared/model.js';
import { formatBytes, formatExactBytes } from '../text/format.js';
import { ShowAllButton } from './ShowAllButton.js';
import { useLimitedList } from './useLimitedList.js';

export type FileChangeKind = 'added' | 'removed' | 'changed';

interface PathListProps {
  kind: FileChangeKind;
  title: string;
  files: readonly FileChange[];
}

function Size({ bytes, type, device }: { bytes: number | null; type: FileType | undefined; device: DeviceNumbers | undefined }) {
  if (bytes === null) {
    // Results from before file types were recorded have none: their only non-files were symlinks.
    const kind = type ?? 'symlink';
    return (
      <span title={`Not a regular file (${describeFileType(kind, device)})`} data-size={kind === 'symlink' ? 'link' : kind}>
        {kind === 'symlink' ? 'link' : describeFileType(kind, device)}
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
      {kind !== 'added' && <Size bytes={file.oldSize} type={file.oldType} device={file.oldDevice} />}
      {kind === 'changed' && (
        <>
          {' '}
          <span role="img" aria-label="to">
            →
          </span>{' '}
        </>
      )}
      {kind !== 'removed' && <Size bytes={file.newSize} type={file.newType} device={file.newDevice} />}
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
