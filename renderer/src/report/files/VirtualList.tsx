import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

interface VirtualListProps<T> {
  items: readonly T[];
  /** Every row is this tall (CSS pixels): the window is computed, never measured. */
  rowHeight: number;
  /** Height of the scrolling viewport. */
  height: number;
  itemKey: (item: T) => string;
  renderRow: (item: T, index: number) => ReactNode;
  label: string;
  testId?: string;
  onKeyDown?: (event: KeyboardEvent<HTMLDivElement>) => void;
  /** The row keyboard focus should be on: scrolled into view, rendered, then focused. */
  focusIndex?: number | null;
  /** Rows rendered beyond each edge, so fast scrolling shows no gap. */
  overscan?: number;
}

/** Renders only the rows in view (plus a margin), so a list of tens of thousands scrolls as lightly as a short one. */
export function VirtualList<T>({ items, rowHeight, height, itemKey, renderRow, label, testId, onKeyDown, focusIndex = null, overscan = 8 }: VirtualListProps<T>) {
  const [scrollTop, setScrollTop] = useState(0);
  const viewportRef = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<number | null>(null);

  useEffect(() => {
    const viewport = viewportRef.current;
    if (focusIndex === null || viewport === null) return;
    pendingFocus.current = focusIndex;
    const top = focusIndex * rowHeight;
    let next = viewport.scrollTop;
    if (top < next) next = top;
    else if (top + rowHeight > next + height) next = top + rowHeight - height;
    if (next !== viewport.scrollTop) {
      viewport.scrollTop = next;
      // Render the new window now rather than on the scroll event, so the row exists to be focused.
      setScrollTop(next);
    }
  }, [focusIndex, rowHeight, height]);

  // After every render: focus the wanted row once it is among the rendered ones.
  useEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const target = viewportRef.current?.querySelector<HTMLElement>(`li[data-index="${index}"] button`);
    if (target === null || target === undefined) return;
    pendingFocus.current = null;
    if (target !== document.activeElement) target.focus();
  });
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const shown = items.slice(first, last);
  return (
    <div
      ref={viewportRef}
      className="virtual-list"
      style={{ height, overflowY: 'auto' }}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
      data-testid={testId}
      data-rows={items.length}
    >
      <div style={{ height: items.length * rowHeight, position: 'relative' }}>
        <ul aria-label={label} className="virtual-rows" style={{ position: 'absolute', top: first * rowHeight, left: 0, right: 0 }}>
          {shown.map((item, offset) => (
            <li key={itemKey(item)} style={{ height: rowHeight }} data-index={first + offset}>
              {renderRow(item, first + offset)}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
