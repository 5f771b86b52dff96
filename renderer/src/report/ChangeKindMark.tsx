export type ChangeKind = 'added' | 'removed' | 'changed';

const MARKS: Record<ChangeKind, { icon: string; text: string }> = {
  added: { icon: '+', text: 'Added' },
  removed: { icon: '−', text: 'Removed' },
  changed: { icon: '~', text: 'Changed' },
};

/** The kind of a row's change as a sign and a word, for tables that mix kinds. */
export function ChangeKindMark({ kind }: { kind: ChangeKind }) {
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
