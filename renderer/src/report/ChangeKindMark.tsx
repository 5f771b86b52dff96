import type { RowStatus } from './changeKind.js';

const MARKS: Record<RowStatus, { icon: string; text: string }> = {
  added: { icon: '+', text: 'Added' },
  removed: { icon: '−', text: 'Removed' },
  changed: { icon: '~', text: 'Changed' },
  unchanged: { icon: '=', text: 'Unchanged' },
};

/** The kind of a row's change as a sign and a word, for tables that mix kinds. */
export function ChangeKindMark({ kind }: { kind: RowStatus }) {
  const mark = MARKS[kind];
  return (
    <span className={`kind-mark kind-${kind}`}>
      <span aria-hidden="true" className="kind-mark-icon">
        {mark.icon}
      </span>{' '}
      {mark.text}
    </span>
  );
}
