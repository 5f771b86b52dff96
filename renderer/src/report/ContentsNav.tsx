import type { ContentsEntry } from './reportContents.js';

/** Links to every section with its number of changes, so a long report can be skimmed. */
export function ContentsNav({ entries }: { entries: readonly ContentsEntry[] }) {
  return (
    <nav className="contents" aria-label="Sections of this report" data-testid="contents">
      <ul>
        {entries.map((entry) => (
          <li key={entry.id}>
            <a href={`#${entry.id}`}>
              {entry.title}
              {entry.count !== null && <span className="count"> ({entry.count.toLocaleString('en-US')})</span>}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
