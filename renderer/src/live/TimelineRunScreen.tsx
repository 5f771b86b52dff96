import { useEffect, useRef } from 'react';
import type { PickedPackage } from '../../../shared/api.js';
import type { Progress } from '../../../shared/model.js';
import { RunControls } from './RunControls.js';

interface TimelineRunScreenProps {
  builds: readonly PickedPackage[];
  progress: Progress | null;
  startedAt: number;
  cancelling: boolean;
  onCancel: () => void;
}

/** While the builds of a timeline are read, one after the other. */
export function TimelineRunScreen({ builds, progress, startedAt, cancelling, onCancel }: TimelineRunScreenProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const reading = progress?.stage === 'reading' && progress.done !== undefined ? progress.done : null;
  const status = reading !== null ? `Reading build ${reading + 1} of ${builds.length}: ${builds[reading]?.name ?? ''}` : progress?.stage === 'diffing' || progress?.stage === 'done' ? 'Putting the builds in order and following each feature' : 'Starting';
  return (
    <main className="page comparing" data-testid="timeline-running" aria-busy="true">
      <header className="page-header">
        <h1 ref={headingRef} tabIndex={-1}>
          Following {builds.length} builds
        </h1>
      </header>
      <p role="status" data-testid="timeline-progress">
        {status}
      </p>
      <RunControls startedAt={startedAt} cancelling={cancelling} onCancel={onCancel} />
    </main>
  );
}
