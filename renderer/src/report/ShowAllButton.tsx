import { countOf } from '../text/format.js';

interface ShowAllButtonProps {
  shown: number;
  hiddenCount: number;
  /** Singular and plural, e.g. ['file', 'files']. */
  noun: readonly [string, string];
  onShowAll: () => void;
}

/** Offered under a shortened list; renders nothing when the list is complete. */
export function ShowAllButton({ shown, hiddenCount, noun, onShowAll }: ShowAllButtonProps) {
  if (hiddenCount <= 0) return null;
  return (
    <p className="show-all">
      Showing the first {countOf(shown, noun[0], noun[1])}.{' '}
      <button type="button" onClick={onShowAll} data-testid="show-all">
        Show all {(shown + hiddenCount).toLocaleString('en-US')} ({hiddenCount.toLocaleString('en-US')} more)
      </button>
    </p>
  );
}
