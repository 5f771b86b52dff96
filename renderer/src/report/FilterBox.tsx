import { useId } from 'react';

interface FilterBoxProps {
  label: string;
  placeholder: string;
  /** The input's `data-testid`; the match count's is this plus `-status`. */
  testId: string;
  query: string;
  onQueryChange: (query: string) => void;
  matching: number;
  /** What is being filtered, counted, e.g. `1,204 properties`. */
  totalText: string;
}

/** A search box that narrows a section's rows, with how many match once something is typed. */
export function FilterBox({ label, placeholder, testId, query, onQueryChange, matching, totalText }: FilterBoxProps) {
  const inputId = useId();
  return (
    <div className="filter">
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        type="search"
        value={query}
        placeholder={placeholder}
        onChange={(event) => onQueryChange(event.target.value)}
        data-testid={testId}
        spellCheck={false}
        autoComplete="off"
      />
      {query.trim() !== '' && (
        <span className="filter-status" role="status" data-testid={`${testId}-status`}>
          {matching.toLocaleString('en-US')} of {totalText} match.
        </span>
      )}
    </div>
  );
}
