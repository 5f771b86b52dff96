import { useId, useState, type DragEvent } from 'react';
import type { PackageKind, PickedPackage, Side } from '../../../shared/api.js';

interface PackageZoneProps {
  side: Side;
  pick: PickedPackage | null;
  onChoose: (kind: PackageKind) => void;
  onDropFile: (file: File) => void;
}

const SIDE_TITLES: Record<Side, string> = { old: 'Old build', new: 'New build' };

/** One side of the start screen: shows the chosen package and offers the dialog buttons and a drop target. */
export function PackageZone({ side, pick, onChoose, onDropFile }: PackageZoneProps) {
  const headingId = useId();
  const [dragging, setDragging] = useState(false);

  const acceptDrag = (event: DragEvent<HTMLElement>) => {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };
  const drop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files.item(0);
    if (file !== null) onDropFile(file);
  };

  return (
    <section
      className={dragging ? 'zone zone-dragging' : 'zone'}
      aria-labelledby={headingId}
      data-testid={`zone-${side}`}
      data-chosen={pick !== null}
      onDragEnter={acceptDrag}
      onDragOver={acceptDrag}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      <h2 id={headingId}>{SIDE_TITLES[side]}</h2>
      {pick === null ? (
        <p className="zone-empty">No package chosen yet. Drop a zip file here, or choose one:</p>
      ) : (
        <div className="zone-pick">
          <p className="zone-name" data-testid={`pick-name-${side}`}>{pick.name}</p>
          <p className="zone-path mono" data-testid={`pick-path-${side}`}>{pick.path}</p>
        </div>
      )}
      {dragging && <p className="zone-drop-hint">Release to use this as the {SIDE_TITLES[side].toLowerCase()}.</p>}
      <div className="button-row">
        <button type="button" onClick={() => onChoose('file')}>Open file…</button>
        <button type="button" onClick={() => onChoose('folder')}>Open folder…</button>
      </div>
    </section>
  );
}
