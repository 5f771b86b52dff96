import type { ReactNode } from 'react';
import { ChangeTable, type ChangeColumn } from '../ChangeTable.js';
import { OldToNew } from '../OldToNew.js';
import { ShowAllButton } from '../ShowAllButton.js';
import { useLimitedList } from '../useLimitedList.js';
import { either, type PairedItem } from './pairItems.js';

interface DetailListProps<T> {
  id: string;
  title: string;
  intro?: ReactNode;
  items: readonly PairedItem<T>[];
  columns: readonly ChangeColumn<PairedItem<T>>[];
  showStatus: boolean;
  noun: readonly [string, string];
  /** What an empty list says (default: None.). */
  empty?: string;
}

/** One of an app's lists as a table, long ones shortened until asked. */
export function DetailList<T>({ id, title, intro, items, columns, showStatus, noun, empty = 'None.' }: DetailListProps<T>) {
  const { visible, hiddenCount, showAll } = useLimitedList(items, 200);
  return (
    <section className="subsection" aria-labelledby={`${id}-heading`} data-testid={id}>
      <h4 id={`${id}-heading`}>
        {title} <span className="count">({items.length.toLocaleString('en-US')})</span>
      </h4>
      {intro !== undefined && <p className="section-intro">{intro}</p>}
      {items.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <ChangeTable
          rows={visible}
          columns={columns}
          tableClass={id}
          rowKey={(item) => item.key}
          rowTestId={`${id}-row`}
          nameOf={(item) => item.key}
          kindOf={showStatus ? (item) => item.status : undefined}
        />
      )}
      <ShowAllButton shown={visible.length} hiddenCount={hiddenCount} noun={noun} onShowAll={showAll} />
    </section>
  );
}

/** A value that may differ between builds: `old → new` when it did, else the value. */
export function sideValue<T>(item: PairedItem<T>, read: (value: T) => string): ReactNode {
  if (item.status === 'changed' && item.old !== null && item.new !== null) return <OldToNew old={read(item.old)} current={read(item.new)} />;
  return read(either(item));
}
