import type { Badge as BadgeData } from '../text/verdictText.js';

/** An icon and words; the tone only adds colour to what they already say. */
export function Badge({ badge, testId }: { badge: BadgeData; testId?: string }) {
  return (
    <span className={`badge tone-${badge.tone}`} data-testid={testId}>
      <span className="badge-icon" aria-hidden="true">
        {badge.icon}
      </span>{' '}
      <span className="badge-text">{badge.text}</span>
    </span>
  );
}
