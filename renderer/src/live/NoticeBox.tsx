import type { Notice } from './liveState.js';

/** A problem the user should read: what happened, the exact message, and what to try next. */
export function NoticeBox({ notice }: { notice: Notice }) {
  return (
    <div className="notice" role="alert" data-testid="notice">
      <h2 className="notice-title">{notice.title}</h2>
      <p className="notice-message mono" data-testid="notice-message">{notice.message}</p>
      <p className="notice-next">{notice.nextStep}</p>
    </div>
  );
}
