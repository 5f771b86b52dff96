import { useId, useState } from 'react';
import type { PickedPackage } from '../../../shared/api.js';

interface TimelinePickerProps {
  builds: readonly PickedPackage[];
  onChoose: () => void;
  onStart: (options: { keepOrder: boolean; claims: string[] }) => void;
}

/** Several builds at once (packages or saved inventories): every feature followed from one to the next. */
export function TimelinePicker({ builds, onChoose, onStart }: TimelinePickerProps) {
  const ids = useId();
  const [keepOrder, setKeepOrder] = useState(false);
  const [claims, setClaims] = useState('');
  const ready = builds.length >= 2;
  return (
    <section className="timeline-picker" aria-labelledby={`${ids}-heading`} data-testid="timeline-picker">
      <h2 id={`${ids}-heading`}>Follow features across several builds</h2>
      <p className="hint">Packages or saved inventories (otalens inventory PKG -o FILE); ordered by build date unless you keep the order chosen.</p>
      <div className="button-row">
        <button type="button" onClick={onChoose} data-testid="timeline-choose">
          Choose builds…
        </button>
      </div>
      {builds.length > 0 && (
        <ol className="timeline-picks" data-testid="timeline-picks">
          {builds.map((build) => (
            <li key={build.path} className="mono" title={build.path}>
              {build.name}
            </li>
          ))}
        </ol>
      )}
      <p>
        <input id={`${ids}-order`} type="checkbox" checked={keepOrder} onChange={(event) => setKeepOrder(event.target.checked)} data-testid="timeline-keep-order" />{' '}
        <label htmlFor={`${ids}-order`}>Keep the order chosen</label>
      </p>
      <p>
        <label htmlFor={`${ids}-claims`}>Also follow keys, one claim a line (e.g. <span className="mono">prop:persist.sys.usage_stats=0</span>):</label>
        <br />
        <textarea id={`${ids}-claims`} className="mono" rows={2} value={claims} spellCheck={false} onChange={(event) => setClaims(event.target.value)} data-testid="timeline-claims" />
      </p>
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={!ready}
          onClick={() => onStart({ keepOrder, claims: claims.split('\n').map((line) => line.trim()).filter((line) => line !== '') })}
          data-testid="timeline-start"
        >
          Show the timeline
        </button>
        <span className="hint">{ready ? `${builds.length} builds chosen.` : 'Choose at least two builds.'}</span>
      </div>
    </section>
  );
}
