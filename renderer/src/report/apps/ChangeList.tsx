import type { ReactNode } from 'react';

export interface ChangeListItem {
  key: string;
  content: ReactNode;
}

interface ChangeListProps {
  title: string;
  kind: 'added' | 'removed' | 'changed';
  items: readonly ChangeListItem[];
  testId?: string;
}

const SIGNS = { added: '+', removed: '−', changed: '~' } as const;

/** A titled list whose items carry a sign; the title says in words what the sign means. Nothing when empty. */
export function ChangeList({ title, kind, items, testId }: ChangeListProps) {
  if (items.length === 0) return null;
  return (
    <div className={`change-group kind-${kind}`} data-testid={testId}>
      <h5>{title}</h5>
      <ul className="change-list">
        {items.map((item, index) => (
          <li key={`${item.key}\u0000${index}`}>
            <span className="change-sign" aria-hidden="true">
              {SIGNS[kind]}
            </span>
            <span className="change-content">{item.content}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
