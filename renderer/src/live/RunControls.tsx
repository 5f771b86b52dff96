import { ElapsedTime } from './ElapsedTime.js';

/** How long a run has taken, and the button that stops it. */
export function RunControls({ startedAt, cancelling, onCancel }: { startedAt: number; cancelling: boolean; onCancel: () => void }) {
  return (
    <>
      <p className="elapsed">
        Elapsed: <ElapsedTime startedAt={startedAt} />
      </p>
      <div className="button-row">
        <button type="button" onClick={onCancel} disabled={cancelling}>
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
    </>
  );
}
