import { ValueText } from './ValueText.js';

/** `old → new`, each value named in words when absent or empty; the arrow is read as "to". */
export function OldToNew({ old, current, prose = false }: { old: string | null; current: string | null; prose?: boolean }) {
  return (
    <span className="old-to-new">
      <span data-testid="value-old">
        <ValueText value={old} prose={prose} />
      </span>{' '}
      <span className="arrow" aria-label="to" role="img">
        →
      </span>{' '}
      <span data-testid="value-new">
        <ValueText value={current} prose={prose} />
      </span>
    </span>
  );
}
