import { useState } from 'react';

/** How many rows a list renders before asking: firmware can add or remove tens of thousands of files. */
export const DEFAULT_LIST_LIMIT = 500;

export interface LimitedList<T> {
  visible: readonly T[];
  hiddenCount: number;
  showAll: () => void;
}

export function useLimitedList<T>(items: readonly T[], limit = DEFAULT_LIST_LIMIT): LimitedList<T> {
  const [expanded, setExpanded] = useState(false);
  const visible = expanded ? items : items.slice(0, limit);
  return { visible, hiddenCount: items.length - visible.length, showAll: () => setExpanded(true) };
}
