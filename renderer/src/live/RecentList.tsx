import type { RecentComparison } from '../../../shared/api.js';

interface RecentListProps {
  entries: readonly RecentComparison[];
  onOpen: (entry: RecentComparison) => void;
  onForget: (entry: RecentComparison) => void;
}

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** Comparisons made earlier on this machine: run one again, or forget it. */
export function RecentList({ entries, onOpen, onForget }: RecentListProps) {
  if (entries.length === 0) return null;
  return (
    <section className="recent" aria-labelledby="recent-heading" data-testid="recent">
      <h2 id="recent-heading">Recent comparisons</h2>
      <p className="hint">Kept on this computer only.</p>
      <ul className="recent-list">
        {entries.map((entry) => (
          <li key={entry.id} className="recent-item" data-testid="recent-item" data-id={entry.id}>
            <button type="button" className="link-button recent-open" onClick={() => onOpen(entry)} title={`${entry.old.path}\n${entry.new.path}`}>
              <span className="mono">{entry.old.name}</span> → <span className="mono">{entry.new.name}</span>
            </button>
            <span className="recent-headline">{entry.headline}</span>
            <span className="hint">{when(entry.comparedAt)}</span>
            <button type="button" className="recent-forget" aria-label={`Remove ${entry.old.name} → ${entry.new.name} from recent comparisons`} onClick={() => onForget(entry)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
