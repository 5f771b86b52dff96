import type { FileDiff } from '../../../shared/model.js';
import { PathList } from './PathList.js';

const KINDS = [
  { kind: 'changed', title: 'Changed' },
  { kind: 'added', title: 'Added' },
  { kind: 'removed', title: 'Removed' },
] as const;

export function FilesSection({ files }: { files: FileDiff }) {
  return (
    <section id="files" className="section" aria-labelledby="files-heading" data-testid="files">
      <h2 id="files-heading">Files</h2>
      <dl className="counts">
        {KINDS.map(({ kind, title }) => (
          <div key={kind} className={`count-item kind-${kind}`}>
            <dt>{title}</dt>
            <dd data-testid={`files-${kind}-count`}>{files[kind].length.toLocaleString('en-US')}</dd>
          </div>
        ))}
      </dl>
      {KINDS.map(({ kind, title }) => (
        <PathList key={kind} kind={kind} title={title} files={files[kind]} />
      ))}
    </section>
  );
}
