import { ShowAllButton } from './ShowAllButton.js';
import { useLimitedList } from './useLimitedList.js';

export type FileChangeKind = 'added' | 'removed' | 'changed';

interface PathListProps {
  kind: FileChangeKind;
  title: string;
  paths: readonly string[];
}

export function PathList({ kind, title, paths }: PathListProps) {
  const { visible, hiddenCount, showAll } = useLimitedList(paths);
  const headingId = `files-${kind}-heading`;
  return (
    <section className={`subsection kind-${kind}`} aria-labelledby={headingId}>
      <h3 id={headingId}>
        <span className="kind-tag">{title}</span> <span className="count">({paths.length.toLocaleString('en-US')})</span>
      </h3>
      {paths.length === 0 ? (
        <p className="empty">No files {kind}.</p>
      ) : (
        <ul className="paths mono" data-testid={`files-${kind}`}>
          {visible.map((path) => (
            <li key={path} data-testid="file-path">
              {path}
            </li>
          ))}
        </ul>
      )}
      <ShowAllButton shown={visible.length} hiddenCount={hiddenCount} noun={['file', 'files']} onShowAll={showAll} />
    </section>
  );
}
